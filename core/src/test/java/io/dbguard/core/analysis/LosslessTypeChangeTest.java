package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A type change whose cast keeps every value of the column's known previous type is a rewrite
 * (DBG209, warn), not a failing or lossy conversion (DBG108, refuse), the same in SQL, Rails and
 * Django migrations; a change whose cast can fail ({@code integer} to {@code numeric(4,1)}) stays
 * DBG108. Every migration here was written for this test.
 */
class LosslessTypeChangeTest {

  @TempDir Path dir;

  private List<String> sql(String create, String change) throws Exception {
    Path d = dir.resolve("sql" + Math.abs((create + change).hashCode()));
    AnalysisFiles.write(d, "V1__create.sql", create + ";\n");
    return AnalysisFiles.ruleIds(AnalysisFiles.write(d, "V2__change.sql", change + ";\n"));
  }

  private List<String> rails(String column, String change) throws Exception {
    Path d = dir.resolve("rails" + Math.abs((column + change).hashCode()));
    AnalysisFiles.write(
        d,
        "db/migrate/20240101000001_create_kites.rb",
        "class CreateKites < ActiveRecord::Migration[7.1]\n  def change\n"
            + "    create_table :kites do |t|\n      "
            + column
            + "\n    end\n  end\nend\n");
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            d,
            "db/migrate/20240201000001_change_kites.rb",
            "class ChangeKites < ActiveRecord::Migration[7.1]\n  def change\n    "
                + change
                + "\n  end\nend\n"));
  }

  private List<String> django(String before, String after) throws Exception {
    Path d = dir.resolve("dj" + Math.abs((before + after).hashCode()));
    String head =
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n";
    AnalysisFiles.write(
        d,
        "flights/migrations/0001_initial.py",
        head
            + "    dependencies = []\n\n    operations = [\n"
            + "        migrations.CreateModel(\n            name=\"Kite\",\n            fields=[\n"
            + "                (\"id\", models.BigAutoField(primary_key=True, serialize=False)),\n"
            + "                (\"flown\", "
            + before
            + "),\n            ],\n        ),\n    ]\n");
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            d,
            "flights/migrations/0002_alter_kite_flown.py",
            head
                + "    dependencies = [(\"flights\", \"0001_initial\")]\n\n    operations = [\n"
                + "        migrations.AlterField(model_name=\"kite\", name=\"flown\", field="
                + after
                + "),\n    ]\n"));
  }

  @Test
  void sqlLosslessCastsAreRewrites() throws Exception {
    // seen failing before the change: each was DBG108
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint PRIMARY KEY, flown date)",
                "ALTER TABLE kites ALTER COLUMN flown TYPE timestamp with time zone"))
        .containsExactly("DBG209");
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint PRIMARY KEY, span integer)",
                "ALTER TABLE kites ALTER COLUMN span TYPE double precision"))
        .containsExactly("DBG209");
    assertThat(
            sql(
                "CREATE TABLE kites (id uuid PRIMARY KEY)",
                "ALTER TABLE kites ALTER COLUMN id TYPE text USING id::text"))
        .containsExactly("DBG209");
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint PRIMARY KEY, cfg regconfig)",
                "ALTER TABLE kites ALTER COLUMN cfg SET DATA TYPE text"
                    + " USING COALESCE(cfg::text, 'simple')"))
        .containsExactly("DBG209");
    assertThat(
            sql(
                "CREATE TABLE kites (id integer PRIMARY KEY)",
                "ALTER TABLE kites ALTER COLUMN id TYPE bigint USING id::bigint"))
        .containsExactly("DBG209");
  }

  @Test
  void sqlCastsThatCanFailStayRefused() throws Exception {
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint PRIMARY KEY, span integer)",
                "ALTER TABLE kites ALTER COLUMN span TYPE numeric(4,1)"))
        .containsExactly("DBG108");
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint PRIMARY KEY, span bigint)",
                "ALTER TABLE kites ALTER COLUMN span TYPE double precision"))
        .containsExactly("DBG108");
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint PRIMARY KEY, flown timestamptz)",
                "ALTER TABLE kites ALTER COLUMN flown TYPE date"))
        .containsExactly("DBG108");
    assertThat(
            sql(
                "CREATE TABLE kites (id uuid PRIMARY KEY)",
                "ALTER TABLE kites ALTER COLUMN id TYPE text USING replace(id::text, '-', '')"))
        .containsExactly("DBG108");
    // seen failing before the change: the USING after a COLLATE was not read (DBG209)
    assertThat(
            sql(
                "CREATE TABLE kites (id uuid PRIMARY KEY)",
                "ALTER TABLE kites ALTER COLUMN id TYPE text COLLATE \"C\""
                    + " USING replace(id::text, '-', '')"))
        .containsExactly("DBG108");
  }

  @Test
  void railsDateToDatetimeIsARewrite() throws Exception {
    // seen failing before the change: DBG108
    assertThat(rails("t.date :flown", "change_column :kites, :flown, :datetime"))
        .containsExactly("DBG209");
    assertThat(rails("t.integer :span", "change_column :kites, :span, :float"))
        .containsExactly("DBG209");
    assertThat(
            rails(
                "t.integer :span", "change_column :kites, :span, :decimal, precision: 4, scale: 1"))
        .containsExactly("DBG108");
  }

  @Test
  void textOrVarcharToCitextRebuildsIndexesWithoutARewrite() throws Exception {
    // seen failing before the change: DBG108 (a known source type to citext was "incompatible")
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint, pilot_email varchar(255))",
                "ALTER TABLE kites ALTER COLUMN pilot_email TYPE citext"))
        .containsExactly("DBG209");
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint, pilot_email text)",
                "ALTER TABLE kites ALTER COLUMN pilot_email TYPE citext"))
        .containsExactly("DBG209");
    assertThat(rails("t.string :pilot_email", "change_column :kites, :pilot_email, :citext"))
        .containsExactly("DBG209");
    assertThat(
            AnalysisFiles.findings(
                    AnalysisFiles.write(
                        dir.resolve("citext"),
                        "V2__citext.sql",
                        "ALTER TABLE kites ALTER COLUMN pilot_email TYPE citext;\n"))
                .get(0)
                .message())
        .contains("previous type unknown");
    // a number is not text: its values change form, judged as before
    assertThat(
            sql(
                "CREATE TABLE kites (id bigint, span integer)",
                "ALTER TABLE kites ALTER COLUMN span TYPE citext"))
        .containsExactly("DBG108");
  }

  @Test
  void railsUsingIsJudgedLikeSql() throws Exception {
    assertThat(rails("t.uuid :token", "change_column :kites, :token, :text, using: 'token::text'"))
        .containsExactly("DBG209");
    // seen failing before the change: the using: option was not read (DBG209)
    assertThat(
            rails(
                "t.uuid :token",
                "change_column :kites, :token, :text, using: \"replace(token::text, '-', '')\""))
        .containsExactly("DBG108");
    assertThat(
            rails(
                "t.integer :span",
                "change_table :kites do |t|\n      t.change :span, :bigint, using: 'span * 10'\n"
                    + "    end"))
        .containsExactly("DBG108");
  }

  @Test
  void djangoDateFieldToDateTimeFieldIsARewrite() throws Exception {
    // seen failing before the change: DBG108
    assertThat(django("models.DateField()", "models.DateTimeField()")).containsExactly("DBG209");
    assertThat(django("models.IntegerField()", "models.FloatField()")).containsExactly("DBG209");
  }

  @Test
  void djangoIntegerToANarrowDecimalStaysRefused() throws Exception {
    // seen failing before the change: DBG209 (warn) though 1000 does not fit numeric(4,1)
    assertThat(
            django("models.IntegerField()", "models.DecimalField(max_digits=4, decimal_places=1)"))
        .containsExactly("DBG108");
    assertThat(
            django("models.IntegerField()", "models.DecimalField(max_digits=12, decimal_places=2)"))
        .containsExactly("DBG209");
  }
}
