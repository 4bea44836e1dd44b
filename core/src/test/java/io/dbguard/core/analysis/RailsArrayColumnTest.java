package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails column declared with {@code array: true} is a PostgreSQL array ({@code text[]}); a later
 * {@code change_column} to the scalar type, or from a scalar column to an array, changes what the
 * running version reads and is refused like the SQL {@code ALTER COLUMN … TYPE} from {@code
 * text[]}. Examples written for this test.
 */
class RailsArrayColumnTest {

  @TempDir Path dir;

  private Path app(String root, String declare, String change) throws Exception {
    write(
        dir,
        root + "/db/migrate/20230110090000_declare_project_tags.rb",
        "class DeclareProjectTags < ActiveRecord::Migration[7.0]\n  def change\n"
            + declare
            + "  end\nend\n");
    return write(
        dir,
        root + "/db/migrate/20230301120000_change_project_tags.rb",
        "class ChangeProjectTags < ActiveRecord::Migration[7.0]\n  def up\n"
            + change
            + "  end\nend\n");
  }

  @Test
  void anArrayAddedByAddColumnMadeScalarIsRefused() throws Exception {
    Path f =
        app(
            "a",
            "    add_column :projects, :tags, :text, array: true, default: []\n",
            "    change_column :projects, :tags, :text\n");
    assertThat(ruleIds(f)).containsExactly("DBG108");
  }

  @Test
  void everyDeclarationSpellingRecordsTheArray() throws Exception {
    Path created =
        app(
            "b",
            "    create_table :projects do |t|\n      t.string :labels, array: true\n    end\n",
            "    change_column :projects, :labels, :string\n");
    Path changed =
        app(
            "c",
            "    change_table :projects do |t|\n      t.integer :owner_ids, array: true\n    end\n",
            "    change_column :projects, :owner_ids, :integer\n");
    Path column =
        app(
            "d",
            "    create_table :projects do |t|\n"
                + "      t.column :tags, :text, array: true, null: false, default: []\n"
                + "    end\n",
            "    change_column :projects, :tags, :text\n");
    assertThat(ruleIds(created)).containsExactly("DBG108");
    assertThat(ruleIds(changed)).containsExactly("DBG108");
    assertThat(ruleIds(column)).containsExactly("DBG108");
  }

  @Test
  void aScalarMadeAnArrayIsRefused() throws Exception {
    Path f =
        app(
            "e",
            "    add_column :projects, :tags, :text\n",
            "    change_column :projects, :tags, :text, array: true\n");
    assertThat(ruleIds(f)).containsExactly("DBG108");
  }

  @Test
  void theSameArrayTypeIsNoChangeAndAWiderElementFollowsTheScalarRule() throws Exception {
    Path same =
        app(
            "f",
            "    add_column :projects, :tags, :text, array: true\n",
            "    change_column :projects, :tags, :text, array: true, null: false\n");
    Path wider =
        app(
            "g",
            "    add_column :projects, :tags, :string, array: true\n",
            "    change_column :projects, :tags, :text, array: true\n");
    assertThat(ruleIds(same)).containsExactly("DBG208");
    assertThat(ruleIds(wider)).isEmpty();
  }

  @Test
  void theSqlFormAgrees() throws Exception {
    write(dir, "h/V1__projects.sql", "CREATE TABLE projects (id bigint, tags text[]);\n");
    Path f =
        write(dir, "h/V2__tags_text.sql", "ALTER TABLE projects ALTER COLUMN tags TYPE text;\n");
    write(dir, "i/V1__projects.sql", "CREATE TABLE projects (id bigint, owner_ids integer[]);\n");
    Path g =
        write(
            dir,
            "i/V2__owners_text.sql",
            "ALTER TABLE projects ALTER COLUMN owner_ids TYPE text;\n");
    assertThat(ruleIds(f)).containsExactly("DBG108");
    assertThat(ruleIds(g)).containsExactly("DBG108");
  }
}
