package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django {@code AlterField} from a field class dbguard does not know (a third-party field such as
 * {@code jsonfield.fields.JSONField}, or a project's own Field subclass) to a built-in field:
 * Django emits {@code ALTER COLUMN … TYPE <new> USING "<col>"::<new>} when the database type
 * changes, so the change is judged as the SQL {@code ALTER COLUMN … TYPE <new>} with an unknown
 * previous type is (issue 13). Examples written for this test.
 */
class DjangoCustomFieldAlterTest {

  @TempDir Path dir;

  private Path migrations() throws Exception {
    Path m = dir.resolve("apiary/migrations");
    Files.createDirectories(m);
    return m;
  }

  private void write(String name, String deps, String operations) throws Exception {
    Files.writeString(
        migrations().resolve(name),
        """
        import apiary.fields
        import jsonfield.fields
        from django.db import migrations, models


        class Migration(migrations.Migration):
            dependencies = [%s]

            operations = [
        %s
            ]
        """
            .formatted(deps, operations.indent(8)));
  }

  private List<String> rules(String name) throws Exception {
    return AnalysisFiles.ruleIds(migrations().resolve(name));
  }

  private List<String> sqlRules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "sql/" + name, sql));
  }

  private static final String DEPS = "(\"apiary\", \"0001_initial\")";

  private void createHive() throws Exception {
    write(
        "0001_initial.py",
        "",
        """
        migrations.CreateModel(
            name="Hive",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
                ("inspection", jsonfield.fields.JSONField(default=dict)),
                ("queen_code", apiary.fields.QueenCodeField(max_length=12)),
                ("notes", apiary.fields.MarkdownField(blank=True)),
            ],
        ),""");
  }

  private static String alter(String name, String field) {
    return "migrations.AlterField(model_name=\"hive\", name=\"%s\", field=%s),"
        .formatted(name, field);
  }

  @Test
  void aThirdPartyJsonFieldToDjangosJsonFieldIsJudgedAsTheSqlTypeChange() throws Exception {
    createHive();
    // seen failing before the change: no finding (both classes are named JSONField)
    write("0002_json.py", DEPS, alter("inspection", "models.JSONField(default=dict)"));
    List<String> sql =
        sqlRules("1_json.sql", "ALTER TABLE apiary_hive ALTER COLUMN inspection TYPE jsonb;\n");
    assertThat(sql).isNotEmpty();
    assertThat(rules("0002_json.py")).isEqualTo(sql);
  }

  @Test
  void aProjectFieldSubclassToABuiltInFieldIsJudgedAsTheSqlTypeChange() throws Exception {
    createHive();
    write("0002_notes.py", DEPS, alter("notes", "models.TextField(blank=True)"));
    assertThat(rules("0002_notes.py"))
        .isEqualTo(
            sqlRules("1_notes.sql", "ALTER TABLE apiary_hive ALTER COLUMN notes TYPE text;\n"));
    write("0002_code.py", DEPS, alter("queen_code", "models.IntegerField()"));
    assertThat(rules("0002_code.py"))
        .isEqualTo(
            sqlRules(
                "1_code.sql", "ALTER TABLE apiary_hive ALTER COLUMN queen_code TYPE integer;\n"));
  }

  @Test
  void aFieldClassImportedByItsBareNameFromOutsideDjangoIsNotDjangos() throws Exception {
    Path m = migrations();
    Files.writeString(
        m.resolve("0001_initial.py"),
        """
        from django.db import migrations, models
        from jsonfield import JSONField
        from apiary.fields import (MarkdownField as Md)


        class Migration(migrations.Migration):
            operations = [
                migrations.CreateModel(
                    name="Frame",
                    fields=[
                        ("id", models.AutoField(primary_key=True)),
                        ("readings", JSONField(default=dict)),
                        ("remarks", Md(blank=True)),
                    ],
                ),
            ]
        """);
    String deps = "(\"apiary\", \"0001_initial\")";
    write(
        "0002_frame.py",
        deps,
        "migrations.AlterField(model_name=\"frame\", name=\"readings\","
            + " field=models.JSONField(default=dict)),");
    assertThat(rules("0002_frame.py"))
        .isEqualTo(
            sqlRules(
                "1_frame.sql", "ALTER TABLE apiary_frame ALTER COLUMN readings TYPE jsonb;\n"));
    // Django's own JSONField imported by its bare name is Django's: jsonb to jsonb, no change
    Files.writeString(
        m.resolve("0003_frame.py"),
        """
        from django.db import migrations
        from django.db.models import JSONField


        class Migration(migrations.Migration):
            dependencies = [("apiary", "0002_frame")]
            operations = [
                migrations.AlterField(
                    model_name="frame", name="readings", field=JSONField(default=list)),
            ]
        """);
    assertThat(rules("0003_frame.py")).isEmpty();
  }

  @Test
  void aDjangoModuleImportedUnderAnotherNameStaysDjangos() throws Exception {
    Path m = migrations();
    Files.writeString(
        m.resolve("0001_initial.py"),
        """
        from django.contrib.postgres import fields as pg
        from django.db import migrations, models


        class Migration(migrations.Migration):
            operations = [
                migrations.CreateModel(
                    name="Keeper",
                    fields=[
                        ("id", models.AutoField(primary_key=True)),
                        ("email", pg.CITextField()),
                    ],
                ),
            ]
        """);
    write(
        "0002_keeper.py",
        "(\"apiary\", \"0001_initial\")",
        "migrations.AlterField(model_name=\"keeper\", name=\"email\","
            + " field=django.contrib.postgres.fields.CITextField(null=True)),");
    // citext to citext: only NULL allowed (the notice DBG213), no type change
    assertThat(rules("0002_keeper.py")).containsExactly("DBG213");
  }

  @Test
  void theSameCustomFieldRestatedChangesNothing() throws Exception {
    createHive();
    write("0002_same.py", DEPS, alter("notes", "apiary.fields.MarkdownField(blank=False)"));
    assertThat(rules("0002_same.py")).isEmpty();
    write("0002_json_same.py", DEPS, alter("inspection", "jsonfield.fields.JSONField(null=False)"));
    assertThat(rules("0002_json_same.py")).isEmpty();
  }
}
