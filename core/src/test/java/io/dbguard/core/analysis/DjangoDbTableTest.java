package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Django findings name the table a model really has: {@code options={"db_table": …}} of its {@code
 * CreateModel} (also inside {@code SeparateDatabaseAndState(state_operations=…)}), or the last
 * {@code AlterModelTable}, learnt from the same file or the app's earlier migrations, and kept by a
 * {@code RenameModel}. The name also decides whether the table was created in the same file or
 * batch. Every migration here was written for this test (issue 13).
 */
class DjangoDbTableTest {

  @TempDir Path dir;

  private Path write(String name, String deps, String operations) throws Exception {
    return write(name, deps, operations, "");
  }

  private Path write(String name, String deps, String operations, String code) throws Exception {
    Path m = dir.resolve("aviary/migrations");
    Files.createDirectories(m);
    Path f = m.resolve(name);
    Files.writeString(
        f,
        """
        from django.db import migrations, models

        %s

        class Migration(migrations.Migration):
            dependencies = [%s]

            operations = [
        %s
            ]
        """
            .formatted(code, deps, operations.indent(8)));
    return f;
  }

  private static List<Finding> analyze(Path... files) throws Exception {
    return new Analyzer().analyze(List.of(files), AnalysisOptions.defaults()).findings();
  }

  private static List<String> rules(List<Finding> findings) {
    return findings.stream().map(Finding::ruleId).toList();
  }

  private static final String CREATE_PERCH =
      """
      migrations.CreateModel(
          name="Perch",
          fields=[
              ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
              ("label", models.CharField(max_length=40)),
          ],
          options={"db_table": "bird_perch", "ordering": ["label"]},
      ),""";

  private static final String ADD_HEIGHT =
      "migrations.AddField(model_name=\"perch\", name=\"height\","
          + " field=models.IntegerField()),";

  private Path initial() throws Exception {
    return write("0001_initial.py", "", CREATE_PERCH);
  }

  @Test
  void aFieldAddedToATableCreatedInTheSameFileIsNotAnExistingTable() throws Exception {
    // seen failing before the change: the AddField named aviary_perch, a table not created here,
    // and NOT NULL without a default was refused (DBG109)
    Path f = write("0001_initial.py", "", CREATE_PERCH + "\n" + ADD_HEIGHT);
    assertThat(rules(analyze(f))).doesNotContain("DBG109");
  }

  @Test
  void aBatchThatCreatesTheTableKnowsItByItsDeclaredName() throws Exception {
    Path first = initial();
    Path second = write("0002_height.py", "(\"aviary\", \"0001_initial\")", ADD_HEIGHT);
    assertThat(rules(analyze(first, second))).doesNotContain("DBG109");
  }

  @Test
  void findingsOfALaterMigrationNameTheDeclaredTable() throws Exception {
    initial();
    Path second =
        write(
            "0002_height.py",
            "(\"aviary\", \"0001_initial\")",
            ADD_HEIGHT
                + "\nmigrations.AlterField(model_name=\"perch\", name=\"label\","
                + " field=models.CharField(max_length=40, db_index=True)),"
                + "\nmigrations.AddIndex(model_name=\"perch\","
                + " index=models.Index(fields=[\"height\"], name=\"perch_height_idx\")),");
    List<Finding> findings = analyze(second);
    assertThat(rules(findings)).contains("DBG109", "DBG201");
    assertThat(findings)
        .filteredOn(x -> List.of("DBG109", "DBG201").contains(x.ruleId()))
        .allSatisfy(
            x ->
                assertThat(x.message())
                    .as(x.ruleId())
                    .contains("bird_perch")
                    .doesNotContain("aviary_perch"));
  }

  @Test
  void ormCodeNamesTheDeclaredTable() throws Exception {
    // the rows deleted belong to a table the batch created: nothing existing is lost
    Path first = initial();
    Path second =
        write(
            "0002_clear.py",
            "(\"aviary\", \"0001_initial\")",
            "migrations.RunPython(clear, migrations.RunPython.noop),",
            """
            def clear(apps, schema_editor):
                Perch = apps.get_model("aviary", "Perch")
                Perch.objects.all().delete()
                for perch in Perch.objects.all():
                    perch.label = "x"
                    perch.save()
            """);
    assertThat(rules(analyze(first, second))).doesNotContain("DBG111", "DBG112");
    assertThat(rules(analyze(second))).contains("DBG111", "DBG112");
  }

  @Test
  void alterModelTableMovesTheNameForLaterOperationsAndMigrations() throws Exception {
    initial();
    Path second =
        write(
            "0002_rename_table.py",
            "(\"aviary\", \"0001_initial\")",
            "migrations.AlterModelTable(name=\"perch\", table=\"bird_roost\"),\n" + ADD_HEIGHT);
    List<Finding> findings = analyze(second);
    assertThat(findings)
        .filteredOn(x -> x.ruleId().equals("DBG105"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("bird_perch").contains("bird_roost"));
    assertThat(findings)
        .filteredOn(x -> x.ruleId().equals("DBG109"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("bird_roost"));
    Path third =
        write(
            "0003_index.py",
            "(\"aviary\", \"0002_rename_table\")",
            "migrations.AddIndex(model_name=\"perch\","
                + " index=models.Index(fields=[\"label\"], name=\"perch_label_idx\")),");
    assertThat(analyze(third))
        .filteredOn(x -> x.ruleId().equals("DBG201"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("bird_roost"));
  }

  @Test
  void aModelRenamedKeepsItsOwnTable() throws Exception {
    initial();
    Path second =
        write(
            "0002_rename_model.py",
            "(\"aviary\", \"0001_initial\")",
            "migrations.RenameModel(old_name=\"Perch\", new_name=\"Roost\"),\n"
                + "migrations.AddField(model_name=\"roost\", name=\"height\","
                + " field=models.IntegerField()),");
    List<Finding> findings = analyze(second);
    // the rename itself stays refused: Django renames the many-to-many columns named after the
    // model even when the table keeps its name
    assertThat(rules(findings)).contains("DBG105", "DBG109");
    assertThat(findings)
        .filteredOn(x -> x.ruleId().equals("DBG109"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("bird_perch"));
  }

  @Test
  void aTableDeclaredOnlyInTheStateIsTheOneLaterOperationsName() throws Exception {
    // a model moved from another app keeps that app's table: the database is not touched
    write(
        "0001_initial.py",
        "",
        """
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Perch",
                    fields=[("id", models.AutoField(primary_key=True))],
                    options={"db_table": "legacy_perch"},
                ),
            ],
            database_operations=[],
        ),""");
    Path second = write("0002_height.py", "(\"aviary\", \"0001_initial\")", ADD_HEIGHT);
    assertThat(analyze(second))
        .filteredOn(x -> x.ruleId().equals("DBG109"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("legacy_perch"));
  }
}
