package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ALTER COLUMN … TYPE} inside a Django {@code RunSQL} is judged from the column's previous
 * type as the app's earlier migrations (and the operations before it in the same file) declare the
 * field, mapped to PostgreSQL as Django maps it: the same findings as the same statement in a SQL
 * migration after a {@code CREATE TABLE} with that type. A custom field class, a {@code ForeignKey}
 * (its type is the referenced key's) or a column no migration declares stays unknown, as before.
 * Every migration here was written for this test.
 */
class DjangoRunSqlPreviousTypeTest {

  @TempDir Path dir;

  private void django(String name, String deps, String operations) throws Exception {
    Path m = dir.resolve("tracker/migrations");
    Files.createDirectories(m);
    Files.writeString(
        m.resolve(name),
        """
        from django.db import migrations, models
        import tracker.fields


        class Migration(migrations.Migration):
            dependencies = [%s]

            operations = [
        %s
            ]
        """
            .formatted(deps, operations.indent(8)));
  }

  private void initial(String field) throws Exception {
    django(
        "0001_initial.py",
        "",
        """
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("data", %s),
                ("owner", models.ForeignKey(on_delete=models.CASCADE, to="auth.user")),
            ],
        ),"""
            .formatted(field));
  }

  /** Findings (rule, message) of the RunSQL migration {@code 0005_data.py}. */
  private List<String> runSql(String sql) throws Exception {
    django(
        "0005_data.py",
        "(\"tracker\", \"0001_initial\")",
        "migrations.RunSQL(\"" + sql + "\", reverse_sql=migrations.RunSQL.noop),");
    return findings(dir.resolve("tracker/migrations/0005_data.py"));
  }

  /** Findings of the same statement in a SQL migration after {@code createTable}. */
  private List<String> sql(String createTable, String sql) throws Exception {
    Path d = dir.resolve("sql" + Math.abs((createTable + sql).hashCode()));
    Files.createDirectories(d);
    if (createTable != null) {
      Files.writeString(d.resolve("V1__create.sql"), createTable + ";\n");
    }
    Files.writeString(d.resolve("V5__data.sql"), sql + ";\n");
    return findings(d.resolve("V5__data.sql"));
  }

  private static List<String> findings(Path f) throws Exception {
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .filter(x -> !x.ruleId().equals("DBG221"))
            .map(x -> x.ruleId() + " " + x.message())
            .sorted()
            .toList();
  }

  private static final String TO_JSONB =
      "ALTER TABLE tracker_event ALTER COLUMN data TYPE jsonb USING data::jsonb";

  @Test
  void textToJsonbIsJudgedFromTheTextFieldOfMigration0001() throws Exception {
    initial("models.TextField()");
    List<String> got = runSql(TO_JSONB);
    assertThat(got)
        .isEqualTo(sql("CREATE TABLE tracker_event (id bigint, data text)", TO_JSONB))
        .isNotEqualTo(sql(null, TO_JSONB));
    assertThat(String.join("\n", got)).contains("from text");
    assertThat(String.join("\n", runSql(TO_JSONB.replace("tracker_event", "public.tracker_event"))))
        .contains("from text");
  }

  @Test
  void builtInFieldClassesMapToTheirPostgresqlTypes() throws Exception {
    String[][] cases = {
      {"models.CharField(max_length=40)", "varchar(40)", "text"},
      {"models.CharField(max_length=40)", "varchar(40)", "varchar(20)"},
      {"models.IntegerField()", "integer", "bigint"},
      {"models.BigIntegerField()", "bigint", "integer"},
      {"models.JSONField()", "jsonb", "json"},
      {"models.BooleanField()", "boolean", "integer USING data::int"},
      {"models.DateTimeField()", "timestamp with time zone", "date"},
      {"models.TextField()", "text", "varchar(100)"},
    };
    for (String[] c : cases) {
      initial(c[0]);
      String alter = "ALTER TABLE tracker_event ALTER COLUMN data TYPE " + c[2];
      assertThat(runSql(alter))
          .as(c[0] + " → " + c[2])
          .isEqualTo(sql("CREATE TABLE tracker_event (id bigint, data " + c[1] + ")", alter));
    }
  }

  @Test
  void aCustomFieldClassOrAForeignKeyStaysUnknown() throws Exception {
    initial("tracker.fields.PlainJSONField()");
    assertThat(runSql(TO_JSONB)).isEqualTo(sql(null, TO_JSONB));
    String fk = "ALTER TABLE tracker_event ALTER COLUMN owner_id TYPE integer";
    assertThat(runSql(fk)).isEqualTo(sql(null, fk));
  }

  @Test
  void dbTableDbColumnAndEarlierChangesAreFollowed() throws Exception {
    django(
        "0001_initial.py",
        "",
        """
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("data", models.CharField(max_length=30, db_column="payload")),
            ],
            options={"db_table": "events"},
        ),""");
    String alter = "ALTER TABLE events ALTER COLUMN payload TYPE varchar(10)";
    String create = "CREATE TABLE events (id bigint, payload varchar(30))";
    assertThat(runSql(alter)).isEqualTo(sql(create, alter));
    // 0002 changes the type in SQL: the Django state no longer says what the column is
    django(
        "0002_widen.py",
        "(\"tracker\", \"0001_initial\")",
        "migrations.RunSQL(\"ALTER TABLE events ALTER COLUMN payload TYPE text\"),");
    django(
        "0005_data.py",
        "(\"tracker\", \"0002_widen\")",
        "migrations.RunSQL(\"" + alter + "\", reverse_sql=migrations.RunSQL.noop),");
    assertThat(findings(dir.resolve("tracker/migrations/0005_data.py")))
        .isEqualTo(sql("CREATE TABLE events (id bigint, payload text)", alter));
  }

  @Test
  void anAlterFieldEarlierInTheSameFileIsThePreviousType() throws Exception {
    initial("models.CharField(max_length=40)");
    django(
        "0005_data.py",
        "(\"tracker\", \"0001_initial\")",
        """
        migrations.AlterField(model_name="event", name="data", field=models.TextField()),
        migrations.RunSQL("%s", reverse_sql=migrations.RunSQL.noop),"""
            .formatted(TO_JSONB));
    List<String> got = findings(dir.resolve("tracker/migrations/0005_data.py"));
    assertThat(got).containsAll(sql("CREATE TABLE tracker_event (id bigint, data text)", TO_JSONB));
  }
}
