package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a Django {@code migrations.RunSQL(...)} commonly gives its SQL is read as SQL and
 * judged by the same rules as a {@code .sql} file: a list or tuple of statements, {@code (sql,
 * params)} tuples, triple-quoted strings, implicit concatenation across lines, {@code sql=}
 * keywords, module constants and variables assigned earlier, {@code +}, {@code %} and {@code
 * .format()} on literals, f-strings (a placeholder that is not a known constant reads as {@code
 * dbguard_param}). {@code reverse_sql} is never judged as what the migration does; only SQL that is
 * not literal stays DBG901. Every migration here was written for this test (issue 13).
 */
class DjangoRunSqlFormsTest {

  @TempDir Path dir;

  private static final String GIN =
      "CREATE INDEX aviary_nest_tags_gin ON aviary_nest USING gin (tags)";
  private static final String JSONB =
      "ALTER TABLE aviary_nest ALTER COLUMN notes TYPE jsonb USING notes::jsonb";

  private List<String> rules(String module, String operation) throws Exception {
    Path m = dir.resolve("aviary/migrations");
    Files.createDirectories(m);
    Path f = m.resolve("0007_nest_sql.py");
    Files.writeString(
        f,
        """
        from django.db import migrations

        %s

        class Migration(migrations.Migration):
            dependencies = [("aviary", "0006_previous")]

            operations = [
                %s
            ]
        """
            .formatted(module, operation));
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .map(Finding::ruleId)
            .filter(r -> !r.equals("DBG221")) // RunSQL without reverse: not what is tested here
            .sorted()
            .toList();
  }

  /** The rules the same statements fire in a plain SQL file. */
  private List<String> sqlRules(String sql) throws Exception {
    Path f = dir.resolve("plain/V7__nest.sql");
    Files.createDirectories(f.getParent());
    Files.writeString(f, sql);
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .map(Finding::ruleId)
            .sorted()
            .toList();
  }

  /** A form: code before the migration class, and the operation. */
  private record Form(String name, String module, String operation) {}

  private static final String GIN_T = "CREATE INDEX aviary_nest_tags_gin ON %s USING gin (tags)";
  private static final String JSONB_T =
      "ALTER TABLE %s ALTER COLUMN notes TYPE jsonb USING notes::jsonb";

  private static final List<Form> FORMS =
      List.of(
          new Form("list", "", "migrations.RunSQL([\"" + GIN + "\", \"" + JSONB + "\"]),"),
          new Form("tuple", "", "migrations.RunSQL((\"" + GIN + "\", \"" + JSONB + "\")),"),
          new Form(
              "(sql, params) tuples",
              "",
              "migrations.RunSQL(sql=[(\"" + GIN + "\", []), (\"" + JSONB + "\", None)]),"),
          new Form(
              "triple quoted",
              "",
              "migrations.RunSQL(\n    \"\"\"\n    "
                  + GIN
                  + ";\n    "
                  + JSONB
                  + ";\n    \"\"\"\n),"),
          new Form(
              "implicit concatenation across lines",
              "",
              "migrations.RunSQL(\n    \"" + GIN + "; \"\n    \"" + JSONB + ";\"\n),"),
          new Form(
              "keywords",
              "",
              "migrations.RunSQL(sql=\"" + GIN + "; " + JSONB + "\", reverse_sql=\"SELECT 1\"),"),
          new Form(
              "module constants",
              "NEST_GIN = \"" + GIN + "\"\nNEST_JSONB = \"\"\"\n" + JSONB + "\n\"\"\"",
              "migrations.RunSQL(NEST_GIN), migrations.RunSQL([NEST_JSONB]),"),
          new Form(
              "constant built with +",
              "SQL = (\n    \"" + GIN + ";\"\n    + \" \"\n    + \"" + JSONB + "\"\n)",
              "migrations.RunSQL(SQL),"),
          new Form(
              "%-formatting with a constant",
              "TABLE = \"aviary_nest\"",
              "migrations.RunSQL(\""
                  + GIN_T.formatted("%s")
                  + "; "
                  + JSONB_T.formatted("%s")
                  + "\" % (TABLE, TABLE)),"),
          new Form(
              ".format() with a keyword",
              "TABLE = \"aviary_nest\"",
              "migrations.RunSQL(\""
                  + GIN_T.formatted("{t}")
                  + "; "
                  + JSONB_T.formatted("{t}")
                  + "\".format(t=TABLE)),"),
          new Form(
              "f-string with a known constant",
              "TABLE = \"aviary_nest\"",
              "migrations.RunSQL(f\""
                  + GIN_T.formatted("{TABLE}")
                  + "; "
                  + JSONB_T.formatted("{TABLE}")
                  + "\"),"));

  @Test
  void eachLiteralFormIsJudgedLikeTheSameSqlFile() throws Exception {
    List<String> expected = sqlRules(GIN + ";\n" + JSONB + ";\n");
    assertThat(expected).contains("DBG201").doesNotContain("DBG901");
    SoftAssertions soft = new SoftAssertions();
    for (Form form : FORMS) {
      soft.assertThat(rules(form.module(), form.operation())).as(form.name()).isEqualTo(expected);
    }
    soft.assertAll();
  }

  @Test
  void formatArgumentsThatAreLiteralAreSubstituted() throws Exception {
    assertThat(
            rules(
                "",
                "migrations.RunSQL(\"CREATE INDEX %s ON %s USING gin (tags)\" % (\"nest_gin\","
                    + " \"aviary_nest\")),"))
        .containsExactly("DBG201");
    assertThat(
            rules(
                "",
                "migrations.RunSQL(\"CREATE INDEX {0} ON {1} USING gin (tags)\".format(\"nest_gin\","
                    + " \"aviary_nest\")),"))
        .containsExactly("DBG201");
    assertThat(
            rules(
                "",
                "migrations.RunSQL(\"CREATE INDEX %(name)s ON aviary_nest USING gin (tags)\" %"
                    + " {\"name\": \"nest_gin\"}),"))
        .containsExactly("DBG201");
    assertThat(
            rules(
                "",
                "migrations.RunSQL(f\"CREATE INDEX {'nest_gin'} ON {'aviary_' + 'nest'} USING gin"
                    + " (tags)\"),"))
        .containsExactly("DBG201");
  }

  @Test
  void placeholdersThatAreNotLiteralReadAsAParameter() throws Exception {
    // an f-string placeholder, a %-argument and a .format() argument computed at run time: the
    // rest of the statement is still literal, so the index build is judged
    for (String op :
        List.of(
            "migrations.RunSQL(f\"CREATE INDEX nest_gin ON {Nest._meta.db_table} USING gin"
                + " (tags)\"),",
            "migrations.RunSQL(\"CREATE INDEX nest_gin ON %s USING gin (tags)\" % table_name()),",
            "migrations.RunSQL(\"CREATE INDEX nest_gin ON {} USING gin (tags)\".format(tbl)),",
            "migrations.RunSQL(\"CREATE INDEX nest_gin ON \" + settings.NEST_TABLE + \" USING gin"
                + " (tags)\"),")) {
      assertThat(rules("", op)).as(op).containsExactly("DBG201");
    }
  }

  @Test
  void aVariableAssignedEarlierInTheFileIsRead() throws Exception {
    String module =
        """
        def _sql(table):
            return "CREATE INDEX nest_gin ON %s USING gin (tags)" % table


        forward = \"""
            ALTER TABLE aviary_nest
                ALTER COLUMN notes TYPE jsonb USING notes::jsonb;
        \"""
        backward = "ALTER TABLE aviary_nest ALTER COLUMN notes TYPE json USING notes::json"
        """;
    assertThat(rules(module, "migrations.RunSQL(forward, backward),"))
        .isEqualTo(sqlRules(JSONB + ";"))
        .isNotEmpty();
  }

  @Test
  void reverseSqlIsNeverJudgedAsTheForwardMigration() throws Exception {
    String module = "DROP_NEST = \"DROP TABLE aviary_nest\"";
    for (String op :
        List.of(
            "migrations.RunSQL(\"SELECT 1\", \"DROP TABLE aviary_nest\"),",
            "migrations.RunSQL(sql=\"SELECT 1\", reverse_sql=[\"DROP TABLE aviary_nest\"]),",
            "migrations.RunSQL(reverse_sql=DROP_NEST, sql=\"SELECT 1\"),",
            "migrations.RunSQL(\"SELECT 1\", DROP_NEST),")) {
      assertThat(rules(module, op)).as(op).isEmpty();
    }
  }

  @Test
  void noopAndBracesAreNotUnparsed() throws Exception {
    assertThat(rules("", "migrations.RunSQL(migrations.RunSQL.noop, \"DROP TABLE aviary_nest\"),"))
        .isEmpty();
    // {{ }} in an f-string are literal braces: a jsonb literal, not a placeholder
    assertThat(
            rules(
                "TABLE = \"aviary_nest\"",
                "migrations.RunSQL(f\"UPDATE {TABLE} SET notes = '{{}}'::jsonb WHERE notes IS"
                    + " NULL\"),"))
        .isEmpty();
  }

  @Test
  void sqlExecutedFromRunPythonIsReadTheSameWay() throws Exception {
    String module =
        """
        NEST_GIN = "%s"


        def forwards(apps, schema_editor):
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(NEST_GIN)
        """
            .formatted(GIN);
    assertThat(rules(module, "migrations.RunPython(forwards, migrations.RunPython.noop),"))
        .containsExactly("DBG201");
  }

  @Test
  void aSuppressionAboveTheStringHoldingTheSqlApplies() throws Exception {
    Path m = dir.resolve("aviary/migrations");
    Files.createDirectories(m);
    Path f = m.resolve("0008_nest_gin.py");
    Files.writeString(
        f,
        """
        from django.db import migrations

        # dbguard:ignore DBG201 built while the aviary is closed
        NEST_GIN = "%s"


        class Migration(migrations.Migration):
            dependencies = [("aviary", "0007_previous")]

            operations = [migrations.RunSQL(NEST_GIN, migrations.RunSQL.noop)]
        """
            .formatted(GIN));
    assertThat(new Analyzer().analyze(List.of(f), AnalysisOptions.defaults()).findings())
        .singleElement()
        .satisfies(x -> assertThat(x.ruleId()).isEqualTo("DBG201"))
        .satisfies(x -> assertThat(x.acknowledged()).isTrue());
  }

  @Test
  void onlySqlThatIsNotLiteralStaysUnparsed() throws Exception {
    assertThat(rules("", "migrations.RunSQL(open(\"nest.sql\").read()),"))
        .containsExactly("DBG901");
    assertThat(rules("", "migrations.RunSQL(load_sql(\"nest\")),")).containsExactly("DBG901");
    // one literal and one computed statement: the literal one is judged, the other is reported
    assertThat(rules("", "migrations.RunSQL([\"" + GIN + "\", build_more()]),"))
        .containsExactly("DBG201", "DBG901");
  }
}
