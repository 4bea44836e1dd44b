package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes of wrong verdicts (issue 13) that depend on what earlier migrations declared, with
 * examples written for this test: a Rails {@code change_column} judged from the type the
 * directory's earlier migrations give the column, and a column added nullable in the batch, then
 * made NOT NULL without a default (the running version's inserts fail).
 */
class EarlierColumnsTest {

  @TempDir Path dir;

  private List<String> rails(String name, String body) throws Exception {
    Path migrate = dir.resolve("db/migrate");
    Files.createDirectories(migrate);
    Path f = migrate.resolve(name);
    Files.writeString(
        f, "class M" + name.hashCode() + " < ActiveRecord::Migration[7.1]\n" + body + "end\n");
    return rules(f);
  }

  private List<String> sql(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return rules(f);
  }

  private static List<String> rules(Path f) throws Exception {
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .map(Finding::ruleId)
            .toList();
  }

  private void createBeehives() throws Exception {
    assertThat(
            rails(
                "20230101000001_create_beehives.rb",
                "  def change\n"
                    + "    create_table :beehives do |t|\n"
                    + "      t.string :keeper, limit: 60\n"
                    + "      t.string :meadow\n"
                    + "      t.integer :frames\n"
                    + "      t.decimal :yield_kg, precision: 6, scale: 2\n"
                    + "    end\n"
                    + "    add_column :beehives, :queen_tag, :string, limit: 8\n"
                    + "  end\n"))
        .isEmpty();
  }

  @Test
  void railsChangeColumnToTheTypeEarlierMigrationsDeclaredChangesNoType() throws Exception {
    createBeehives();
    assertThat(
            rails(
                "20230101000002_meadow_required.rb",
                "  def up\n"
                    + "    change_column :beehives, :meadow, :string, null: false, default: \"\"\n"
                    + "  end\n"))
        .containsExactly("DBG208");
    assertThat(
            rails(
                "20230101000003_frames_default.rb",
                "  def up\n    change_column :beehives, :frames, :integer, default: 10\n  end\n"))
        .isEmpty();
  }

  @Test
  void railsWideningsFromADeclaredTypeAreSafeAndNarrowingsRefused() throws Exception {
    createBeehives();
    assertThat(
            rails(
                "20230101000002_keeper_text.rb",
                "  def up\n"
                    + "    change_column :beehives, :keeper, :text\n"
                    + "    change_column :beehives, :meadow, :string, limit: 255\n"
                    + "  end\n"))
        .containsExactly("DBG108"); // varchar → varchar(255) can truncate
    // a renamed column keeps its type; varchar(8) → varchar(16) is a widening
    assertThat(
            rails(
                "20230101000003_queen_tag.rb",
                "  def up\n"
                    + "    rename_column :beehives, :queen_tag, :queen_code\n"
                    + "    change_column :beehives, :queen_code, :string, limit: 16\n"
                    + "  end\n"))
        .containsExactly("DBG106");
    // the type follows a table rename made by an earlier migration
    assertThat(
            rails(
                "20230101000004_rename_hives.rb",
                "  def change\n    rename_table :beehives, :hives\n  end\n"))
        .containsExactly("DBG105");
    assertThat(
            rails(
                "20230101000005_hive_frames.rb",
                "  def up\n    change_column :hives, :frames, :bigint\n  end\n"))
        .containsExactly("DBG209"); // integer → bigint rewrites, keeps every value
  }

  @Test
  void railsChangeColumnWithoutTheDeclaringMigrationIsStillJudgedFromTheTarget() throws Exception {
    assertThat(
            rails(
                "20230101000009_frames_default.rb",
                "  def up\n    change_column :orchards, :trees, :integer, default: 10\n  end\n"))
        .containsExactly("DBG108");
  }

  @Test
  void aColumnAddedInTheBatchThenMadeNotNullWithoutADefaultIsRefused() throws Exception {
    assertThat(
            sql(
                "01_hive_serial.sql",
                "ALTER TABLE hives ADD COLUMN serial_no text;\n"
                    + "UPDATE hives SET serial_no = 'H-' || id WHERE serial_no IS NULL;\n"
                    + "ALTER TABLE hives ALTER COLUMN serial_no SET NOT NULL;\n"))
        .containsExactlyInAnyOrder("DBG109", "DBG208");
    assertThat(
            rails(
                "20230101000010_add_swarm_count.rb",
                "  def up\n"
                    + "    add_column :hives, :swarms, :integer\n"
                    + "    change_column_null :hives, :swarms, false, 0\n"
                    + "  end\n"))
        .containsExactlyInAnyOrder("DBG109", "DBG208");
  }

  @Test
  void aDefaultSetBeforeNotNullOrAnExistingColumnIsOnlyTheScan() throws Exception {
    assertThat(
            sql(
                "02_hive_weight.sql",
                "ALTER TABLE hives ADD COLUMN weight_kg integer;\n"
                    + "ALTER TABLE hives ALTER COLUMN weight_kg SET DEFAULT 0;\n"
                    + "ALTER TABLE hives ALTER COLUMN weight_kg SET NOT NULL;\n"))
        .containsExactly("DBG208");
    assertThat(
            rails(
                "20230101000011_add_colour.rb",
                "  def up\n"
                    + "    add_column :hives, :colour, :string\n"
                    + "    change_column :hives, :colour, :string, null: false, default: \"white\"\n"
                    + "  end\n"))
        .containsExactly("DBG208");
    assertThat(sql("03_existing.sql", "ALTER TABLE hives ALTER COLUMN keeper SET NOT NULL;\n"))
        .containsExactly("DBG208");
  }
}
