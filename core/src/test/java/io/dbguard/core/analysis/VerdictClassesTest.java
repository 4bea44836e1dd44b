package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes of wrong verdicts (issue 13, item 2), each with examples written for this test: a
 * backfill computed from the row is a lock/scan risk (warn), not data loss; only constants,
 * sub-selects and lossy functions overwrite data (refuse).
 */
class VerdictClassesTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, sql));
  }

  @Test
  void updateOfEveryRowComputedFromTheRowIsABackfillNotDataLoss() throws Exception {
    assertThat(rules("a.sql", "UPDATE invoices SET total_cents = amount * 100;"))
        .containsExactly("DBG223");
    assertThat(rules("b.sql", "UPDATE members SET handle_lower = lower(handle);"))
        .containsExactly("DBG223");
    assertThat(
            rules("c.sql", "UPDATE shipments SET eta = shipped_at + interval '3 days', n = n + 1;"))
        .containsExactly("DBG223");
  }

  @Test
  void constantsSubSelectsAndLossyFunctionsStillOverwrite() throws Exception {
    assertThat(rules("d.sql", "UPDATE members SET nickname = 'anon';")).containsExactly("DBG112");
    assertThat(rules("e.sql", "UPDATE members SET nickname = NULL;")).containsExactly("DBG112");
    assertThat(rules("f.sql", "UPDATE readings SET celsius = round(celsius);"))
        .containsExactly("DBG112");
    assertThat(rules("g.sql", "UPDATE members SET bio = left(bio, 40);")).containsExactly("DBG112");
    assertThat(rules("h.sql", "UPDATE prices SET cents = (SELECT max(cents) FROM prices_old);"))
        .containsExactly("DBG112");
    assertThat(rules("i.sql", "UPDATE members SET a = a, b = 'reset';")).containsExactly("DBG112");
  }

  @Test
  void aFunctionOfTheColumnItReplacesIsAnOverwriteUnlessItKeepsTheValueWhole() throws Exception {
    // in place: the old value is gone once the function has been applied to it
    assertThat(rules("j.sql", "UPDATE visits SET seen_at = strftime('%Y-%m', seen_at);"))
        .containsExactly("DBG112");
    assertThat(rules("k.sql", "UPDATE members SET handle = lower(handle);"))
        .containsExactly("DBG112");
    assertThat(rules("l.sql", "UPDATE members SET code = replace(code, '-', '');"))
        .containsExactly("DBG112");
    assertThat(rules("m.sql", "UPDATE parcels SET grams = grams / 1000;"))
        .containsExactly("DBG112");
    assertThat(rules("n.sql", "UPDATE parcels SET slot = slot % 7;")).containsExactly("DBG112");
    // the same functions filling another column, and in-place changes that keep the value
    assertThat(rules("o.sql", "UPDATE visits SET seen_month = strftime('%Y-%m', seen_at);"))
        .containsExactly("DBG223");
    assertThat(rules("p.sql", "UPDATE parcels SET kilos = grams / 1000.0;"))
        .containsExactly("DBG223");
    assertThat(rules("q.sql", "UPDATE members SET handle = handle || '_old', n = n + 1;"))
        .containsExactly("DBG223");
    assertThat(rules("r.sql", "UPDATE members SET tags = array_append(tags, 'legacy');"))
        .containsExactly("DBG223");
  }

  @Test
  void functionsWrittenAsSqlSyntaxCountLikeTheirCallForms() throws Exception {
    // seen failing before the change: TRIM(...) and EXTRACT(...) are not function calls to the
    // parser, so the in-place TRIM was a backfill (DBG223) where btrim(...) was an overwrite
    assertThat(rules("s.sql", "UPDATE links SET url = TRIM(url);")).containsExactly("DBG112");
    assertThat(rules("t.sql", "UPDATE links SET url = TRIM(BOTH '/' FROM url);"))
        .containsExactly("DBG112");
    assertThat(rules("u.sql", "UPDATE visits SET seen_year = EXTRACT(YEAR FROM seen_at);"))
        .containsExactly("DBG112");
    // TRIM filling another column keeps the source whole: a backfill
    assertThat(rules("v.sql", "UPDATE links SET url_clean = TRIM(url);")).containsExactly("DBG223");
  }

  private List<String> django(String name, String src) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "greenhouse/migrations/" + name, src));
  }

  @Test
  void djangoAddFieldWhoseDefaultIsOnlyAOneOffIsRefusedLikeSql() throws Exception {
    String src =
        "from django.db import migrations, models\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    dependencies = [(\"greenhouse\", \"0003_pots\")]\n"
            + "    operations = [\n"
            + "        migrations.AddField(\n"
            + "            model_name=\"seedling\",\n"
            + "            name=\"tray_code\",\n"
            + "            field=models.CharField(max_length=12, default=\"T0\"),\n"
            + "            preserve_default=False,\n"
            + "        ),\n"
            + "    ]\n";
    assertThat(django("0004_seedling_tray_code.py", src)).containsExactly("DBG109");
    // the same field with a kept (Python) default: Django still drops the database default
    // after adding the column, so the running version's inserts fail on NOT NULL: refused too
    Path kept =
        AnalysisFiles.write(
            dir,
            "greenhouse/migrations/0005_kept.py",
            src.replace("            preserve_default=False,\n", ""));
    assertThat(AnalysisFiles.ruleIds(kept)).containsExactly("DBG220");
    assertThat(AnalysisFiles.findings(kept).get(0).verdict())
        .isEqualTo(io.dbguard.core.analysis.rules.Verdict.REFUSE);
    assertThat(
            AnalysisFiles.findings(
                    AnalysisFiles.write(
                        dir,
                        "d.sql",
                        "ALTER TABLE seedling ADD COLUMN tray_code varchar(12) NOT NULL;"))
                .get(0)
                .verdict())
        .isEqualTo(io.dbguard.core.analysis.rules.Verdict.REFUSE);
    // db_default= keeps the database default: nothing to report
    assertThat(
            django(
                "0006_db_default.py",
                src.replace("            preserve_default=False,\n", "")
                    .replace("default=\"T0\"", "db_default=\"T0\"")))
        .isEmpty();
  }

  @Test
  void aDeleteInARunPythonReverseFunctionIsNotWhatTheForwardMigrationDoes() throws Exception {
    String src =
        "from django.db import migrations\n\n"
            + "def plant_defaults(apps, schema_editor):\n"
            + "    Bed = apps.get_model(\"greenhouse\", \"Bed\")\n"
            + "    Bed.objects.get_or_create(code=\"north\")\n\n"
            + "def unplant_defaults(apps, schema_editor):\n"
            + "    Bed = apps.get_model(\"greenhouse\", \"Bed\")\n"
            + "    Bed.objects.all().delete()\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    dependencies = [(\"greenhouse\", \"0005_kept\")]\n"
            + "    operations = [migrations.RunPython(plant_defaults, unplant_defaults)]\n";
    assertThat(django("0006_beds.py", src)).doesNotContain("DBG111");
    // the same delete in the forward function is refused
    String forward =
        src.replace(
            "RunPython(plant_defaults, unplant_defaults)",
            "RunPython(unplant_defaults, plant_defaults)");
    assertThat(django("0007_beds_forward.py", forward)).contains("DBG111");
  }

  @Test
  void lintDirectoryReportsRubyAndPythonCodeItDoesNotAnalyseAndFindsMigrationsByContent()
      throws Exception {
    Path app = dir.resolve("orchard");
    Files.createDirectories(app.resolve("app/models"));
    Files.createDirectories(app.resolve("lib/tasks"));
    Files.writeString(app.resolve("app/models/apple.rb"), "class Apple < ApplicationRecord\nend\n");
    Files.writeString(
        app.resolve("lib/tasks/20250101_drop_pears.rb"),
        "class DropPears < ActiveRecord::Migration[7.1]\n  def change\n"
            + "    drop_table :pears\n  end\nend\n");
    Files.writeString(app.resolve("settings.py"), "DEBUG = False\n");
    AnalysisReport r = new Analyzer().analyze(List.of(app), AnalysisOptions.defaults());
    assertThat(r.files())
        .extracting(AnalyzedFile::path, AnalyzedFile::runner)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                app.resolve("app/models/apple.rb").toString(), "not-a-migration"),
            org.assertj.core.groups.Tuple.tuple(
                app.resolve("settings.py").toString(), "not-a-migration"),
            org.assertj.core.groups.Tuple.tuple(
                app.resolve("lib/tasks/20250101_drop_pears.rb").toString(), "rails"));
    assertThat(r.findings()).extracting(Finding::ruleId).containsExactly("DBG101");
    assertThat(io.dbguard.core.analysis.report.ReportWriter.text(r))
        .contains("apple.rb: skipped: not a migration or seed");
  }

  @Test
  void sqliteRebuildInEitherOrderIsANoticeWhenRowsAreCopiedAndADropWhenNot() throws Exception {
    String renameFirst =
        "PRAGMA foreign_keys=off;\n"
            + "ALTER TABLE gardeners RENAME TO _gardeners_old;\n"
            + "CREATE TABLE gardeners (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);\n"
            + "INSERT INTO gardeners (id, name) SELECT id, name FROM _gardeners_old;\n"
            + "DROP TABLE _gardeners_old;\n";
    assertThat(rules("sqlite_a.sql", renameFirst)).containsExactly("DBG222");
    String renameFirstNoCopy =
        "ALTER TABLE hedges RENAME TO hedges_old;\n"
            + "CREATE TABLE hedges (id INTEGER PRIMARY KEY, species TEXT);\n"
            + "DROP TABLE hedges_old;\n";
    assertThat(rules("sqlite_b.sql", renameFirstNoCopy)).containsExactly("DBG101");
    String createFirstNoCopy =
        "CREATE TABLE new_bees (id INTEGER PRIMARY KEY, hive TEXT);\n"
            + "DROP TABLE bees;\n"
            + "ALTER TABLE new_bees RENAME TO bees;\n";
    assertThat(rules("sqlite_c.sql", createFirstNoCopy)).containsExactly("DBG101");
    String createFirst =
        "CREATE TABLE new_bees (id INTEGER PRIMARY KEY, hive TEXT);\n"
            + "INSERT INTO new_bees (id, hive) SELECT id, hive FROM bees;\n"
            + "DROP TABLE bees;\n"
            + "ALTER TABLE new_bees RENAME TO bees;\n";
    assertThat(rules("sqlite_d.sql", createFirst)).containsExactly("DBG222");
  }

  private static String alter(String previous, String name, String field) {
    return "from django.db import migrations, models\n\n"
        + "class Migration(migrations.Migration):\n"
        + "    dependencies = [(\"greenhouse\", \""
        + previous
        + "\")]\n"
        + "    operations = [\n"
        + "        migrations.AlterField(model_name=\"cutting\", name=\""
        + name
        + "\", field="
        + field
        + "),\n"
        + "    ]\n";
  }

  @Test
  void djangoAlterFieldIsJudgedAgainstTheTypeEarlierMigrationsDeclared() throws Exception {
    django(
        "0001_initial.py",
        "from django.db import migrations, models\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    initial = True\n"
            + "    operations = [\n"
            + "        migrations.CreateModel(\n"
            + "            name=\"Cutting\",\n"
            + "            fields=[\n"
            + "                (\"id\", models.BigAutoField(primary_key=True)),\n"
            + "                (\"label\", models.CharField(max_length=40)),\n"
            + "                (\"rooted_days\", models.IntegerField()),\n"
            + "            ],\n"
            + "        ),\n"
            + "    ]\n");
    // only NULL allowed: no type change, a DROP NOT NULL (notice)
    assertThat(
            django(
                "0002_label_null.py",
                alter("0001_initial", "label", "models.CharField(max_length=40, null=True)")))
        .containsExactly("DBG213");
    // only blank/help_text: nothing changes in the database
    assertThat(
            django(
                "0003_label_blank.py",
                alter(
                    "0002_label_null",
                    "label",
                    "models.CharField(max_length=40, null=True, blank=True, help_text=\"x\")")))
        .isEmpty();
    // wider varchar: binary-coercible, no rewrite
    assertThat(
            django(
                "0004_label_wider.py",
                alter("0003_label_blank", "label", "models.CharField(max_length=90, null=True)")))
        .isEmpty();
    // integer to a bounded varchar, the previous type known: refused as in SQL
    assertThat(
            django(
                "0005_rooted_text.py",
                alter("0004_label_wider", "rooted_days", "models.CharField(max_length=3)")))
        .containsExactly("DBG108");
  }

  @Test
  void sqlTypeChangeIsJudgedFromTheTypeEarlierMigrationsDeclared() throws Exception {
    Path sql = dir.resolve("db/sql");
    Files.createDirectories(sql);
    Files.writeString(
        sql.resolve("V1__create_ferns.sql"),
        "CREATE TABLE ferns (id bigint PRIMARY KEY, latin_name varchar(120) NOT NULL);\n");
    Files.writeString(
        sql.resolve("V2__add_note.sql"), "ALTER TABLE ferns ADD COLUMN note varchar(30);\n");
    Path v3 = sql.resolve("V3__widen.sql");
    Files.writeString(
        v3,
        "ALTER TABLE ferns ALTER COLUMN latin_name TYPE text;\n"
            + "ALTER TABLE ferns ALTER COLUMN note TYPE varchar(10);\n");
    // only V3 is pending; V1 and V2 are read for the previous types
    List<String> ids =
        new Analyzer()
            .analyze(List.of(v3), AnalysisOptions.defaults()).findings().stream()
                .map(Finding::ruleId)
                .toList();
    assertThat(ids).containsExactly("DBG108"); // varchar(120) → text is safe; 30 → 10 narrows
  }
}
