package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Type changes between {@code json} and {@code jsonb}, and to either from {@code text} or {@code
 * varchar}. PostgreSQL casts json to jsonb and back by assignment (an I/O conversion that keeps
 * every value, only whitespace, key order and duplicate keys are normalised): with the previous
 * type known it is a rewrite that keeps values (DBG209), not DBG108. From text or varchar, a {@code
 * USING} that casts the column itself to the new type declares that the column holds JSON: the
 * rewrite warning, saying that the cast fails on any value that is not valid JSON; without {@code
 * USING} PostgreSQL has no assignment cast from text, so the ALTER fails on any table (DBG108).
 * Every migration here was written for this test.
 */
class JsonTypeChangeTest {

  @TempDir Path dir;

  private List<Finding> sql(String create, String change) throws Exception {
    Path d = dir.resolve("sql" + Math.abs((create + change).hashCode()));
    if (create != null) {
      AnalysisFiles.write(d, "V1__create.sql", create + ";\n");
    }
    return AnalysisFiles.findings(AnalysisFiles.write(d, "V2__change.sql", change + ";\n"));
  }

  private List<Finding> rails(String column, String change) throws Exception {
    Path d = dir.resolve("rails" + Math.abs((column + change).hashCode()));
    AnalysisFiles.write(
        d,
        "db/migrate/20240101000001_create_notes.rb",
        "class CreateNotes < ActiveRecord::Migration[7.1]\n  def change\n"
            + "    create_table :notes do |t|\n      "
            + column
            + "\n    end\n  end\nend\n");
    return AnalysisFiles.findings(
        AnalysisFiles.write(
            d,
            "db/migrate/20240201000001_change_notes.rb",
            "class ChangeNotes < ActiveRecord::Migration[7.1]\n  def change\n    "
                + change
                + "\n  end\nend\n"));
  }

  private List<Finding> django(String before, String operation) throws Exception {
    Path d = dir.resolve("dj" + Math.abs((before + operation).hashCode()));
    String head =
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n";
    AnalysisFiles.write(
        d,
        "notebook/migrations/0001_initial.py",
        head
            + "    dependencies = []\n\n    operations = [\n"
            + "        migrations.CreateModel(\n            name=\"Note\",\n            fields=[\n"
            + "                (\"id\", models.BigAutoField(primary_key=True, serialize=False)),\n"
            + "                (\"body\", "
            + before
            + "),\n            ],\n        ),\n    ]\n");
    return AnalysisFiles.findings(
        AnalysisFiles.write(
            d,
            "notebook/migrations/0002_change_note_body.py",
            head
                + "    dependencies = [(\"notebook\", \"0001_initial\")]\n\n    operations = [\n"
                + "        "
                + operation
                + ",\n    ]\n"));
  }

  private static List<String> ids(List<Finding> fs) {
    return fs.stream().map(Finding::ruleId).toList();
  }

  private static String text(List<Finding> fs) {
    return String.join("\n", fs.stream().map(Finding::message).toList());
  }

  @Test
  void jsonToJsonbFromAKnownJsonColumnIsARewrite() throws Exception {
    // seen failing before the change: each was DBG108
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body json)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE jsonb")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body json NOT NULL)",
                    "ALTER TABLE notes ALTER COLUMN body SET DATA TYPE jsonb USING body::jsonb")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body jsonb)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE json")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, tags json[])",
                    "ALTER TABLE notes ALTER COLUMN tags TYPE jsonb[]")))
        .containsExactly("DBG209");
    assertThat(ids(rails("t.json :body", "change_column :notes, :body, :jsonb")))
        .containsExactly("DBG209");
    assertThat(ids(rails("t.jsonb :body, null: false", "change_column :notes, :body, :json")))
        .containsExactly("DBG209");
    // a JSONField is jsonb: a RunSQL back to json keeps every value
    assertThat(
            ids(
                django(
                    "models.JSONField(default=dict)",
                    "migrations.RunSQL(\"ALTER TABLE notebook_note ALTER COLUMN body TYPE json\","
                        + " reverse_sql=migrations.RunSQL.noop)")))
        .contains("DBG209")
        .doesNotContain("DBG108");
  }

  @Test
  void textToJsonbWithAUsingCastOfTheColumnIsARewriteThatFailsOnInvalidJson() throws Exception {
    // seen failing before the change: each was DBG108
    List<Finding> got =
        sql(
            "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
            "ALTER TABLE notes ALTER COLUMN body TYPE jsonb USING body::jsonb");
    assertThat(ids(got)).containsExactly("DBG209");
    assertThat(text(got)).contains("not valid JSON");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body varchar(2000))",
                    "ALTER TABLE notes ALTER COLUMN body TYPE json USING body::json")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body character varying)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE jsonb USING CAST(body AS jsonb)")))
        .containsExactly("DBG209");
    // the previous type unknown: the author still declares the column to hold JSON
    got = sql(null, "ALTER TABLE notes ALTER COLUMN body TYPE jsonb USING (body)::jsonb");
    assertThat(ids(got)).containsExactly("DBG209");
    assertThat(text(got)).contains("not valid JSON");
    got = rails("t.text :body", "change_column :notes, :body, :jsonb, using: 'body::jsonb'");
    assertThat(ids(got)).containsExactly("DBG209");
    assertThat(text(got)).contains("not valid JSON");
    // Django runs AlterField to a JSONField with USING "body"::jsonb
    got =
        django(
            "models.TextField(blank=True)",
            "migrations.AlterField(model_name=\"note\", name=\"body\","
                + " field=models.JSONField(blank=True, default=dict))");
    assertThat(ids(got)).containsExactly("DBG209");
    assertThat(text(got)).contains("not valid JSON");
    assertThat(
            ids(
                django(
                    "models.CharField(max_length=500)",
                    "migrations.AlterField(model_name=\"note\", name=\"body\","
                        + " field=models.JSONField(null=True))")))
        .contains("DBG209")
        .doesNotContain("DBG108");
  }

  @Test
  void aUsingCastToTheOtherJsonTypeParsesTheTextToo() throws Exception {
    // text → jsonb USING body::json: the text is parsed as json, then cast json → jsonb by
    // assignment; seen failing before the change: DBG108
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE jsonb USING body::json")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    null,
                    "ALTER TABLE notes ALTER COLUMN body TYPE json USING CAST(body AS jsonb)")))
        .containsExactly("DBG209");
    // a cast to another type stays refused
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE jsonb USING body::hstore")))
        .containsExactly("DBG108");
  }

  @Test
  void textToJsonbWithoutUsingStaysRefusedBecausePostgresqlHasNoAssignmentCast() throws Exception {
    List<Finding> got =
        sql(
            "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
            "ALTER TABLE notes ALTER COLUMN body TYPE jsonb");
    assertThat(ids(got)).containsExactly("DBG108");
    assertThat(text(got)).contains("cannot be cast automatically");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body varchar(200))",
                    "ALTER TABLE notes ALTER COLUMN body TYPE json")))
        .containsExactly("DBG108");
    got = rails("t.text :body", "change_column :notes, :body, :jsonb");
    assertThat(ids(got)).containsExactly("DBG108");
    assertThat(text(got)).contains("cannot be cast automatically");
    assertThat(ids(rails("t.string :body", "change_column :notes, :body, :json")))
        .containsExactly("DBG108");
  }

  @Test
  void otherConversionsStayRefused() throws Exception {
    // a USING that does more than cast the column, or casts another column
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE jsonb"
                        + " USING to_jsonb(string_to_array(body, ','))")))
        .containsExactly("DBG108");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body text, raw text)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE jsonb USING raw::jsonb")))
        .containsExactly("DBG108");
    // text to integer through a cast of the column stays a conversion that can fail
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE integer USING body::integer")))
        .containsExactly("DBG108");
    assertThat(
            ids(sql(null, "ALTER TABLE notes ALTER COLUMN body TYPE integer USING body::integer")))
        .containsExactly("DBG108");
    // jsonb to text keeps the text form, as before
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body jsonb)",
                    "ALTER TABLE notes ALTER COLUMN body TYPE text")))
        .containsExactly("DBG209");
    // an array on one side only
    assertThat(
            ids(
                sql(
                    "CREATE TABLE notes (id bigint PRIMARY KEY, body json[])",
                    "ALTER TABLE notes ALTER COLUMN body TYPE jsonb")))
        .containsExactly("DBG108");
  }
}
