package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.rules.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django {@code RunSQL} that widens a varchar column of django.contrib's own tables ({@code
 * auth_user}, {@code auth_group}, {@code auth_permission}, {@code django_content_type}, {@code
 * django_session}), which no migration of the project declares, to at least the longest length the
 * column has had in any Django version is a widening from every version: no DBG108. A shorter
 * length, another type, a table the project declares itself and a SQL migration outside Django stay
 * judged as before. Every migration here was written for this test.
 */
class DjangoContribTablesTest {

  @TempDir Path dir;

  private int cases;

  /** Findings above notice of {@code 0002_sql.py} with {@code operation}, after {@code initial}. */
  private List<String> django(String initial, String operation) throws Exception {
    cases++;
    Path m = dir.resolve("c" + cases + "/accounts/migrations");
    Files.createDirectories(m);
    String head =
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n";
    Files.writeString(
        m.resolve("0001_initial.py"),
        head
            + "    dependencies = [(\"auth\", \"0012_alter_user_first_name_max_length\")]\n\n"
            + "    operations = [\n"
            + initial
            + "    ]\n");
    Path f = m.resolve("0002_sql.py");
    Files.writeString(
        f,
        head
            + "    dependencies = [(\"accounts\", \"0001_initial\")]\n\n    operations = [\n        "
            + operation
            + ",\n    ]\n");
    return AnalysisFiles.findings(f).stream()
        .filter(x -> x.verdict() != Verdict.NOTICE)
        .map(Finding::ruleId)
        .toList();
  }

  private static final String PROFILE =
      """
              migrations.CreateModel(
                  name="Profile",
                  fields=[
                      ("id", models.BigAutoField(primary_key=True, serialize=False)),
                      ("nickname", models.CharField(max_length=40)),
                  ],
              ),
      """;

  private static String runSql(String sql) {
    return "migrations.RunSQL(\"" + sql + "\", reverse_sql=migrations.RunSQL.noop)";
  }

  @Test
  void wideningAContribColumnPastEveryVersionsLengthIsNoRefusal() throws Exception {
    // seen failing before the change: each was DBG108 (previous type unknown)
    String[] widenings = {
      "ALTER TABLE auth_user ALTER COLUMN username TYPE VARCHAR(254)",
      "ALTER TABLE auth_user ALTER COLUMN username TYPE varchar(150)",
      "ALTER TABLE public.auth_user ALTER COLUMN email TYPE character varying(320)",
      "ALTER TABLE auth_user ALTER COLUMN first_name TYPE varchar(255)",
      "ALTER TABLE auth_group ALTER COLUMN name TYPE varchar(200)",
      "ALTER TABLE auth_permission ALTER COLUMN name TYPE varchar(500)",
      "ALTER TABLE django_content_type ALTER COLUMN model TYPE varchar(255)",
      "ALTER TABLE django_session ALTER COLUMN session_key TYPE varchar(64)",
    };
    for (String sql : widenings) {
      assertThat(django(PROFILE, runSql(sql))).as(sql).isEmpty();
    }
    // the database side of SeparateDatabaseAndState too
    assertThat(
            django(
                PROFILE,
                "migrations.SeparateDatabaseAndState(database_operations=["
                    + runSql("ALTER TABLE auth_user ALTER COLUMN last_name TYPE varchar(254)")
                    + "], state_operations=[])"))
        .isEmpty();
  }

  @Test
  void shorterLengthsOtherTypesAndOtherTablesStayJudgedAsBefore() throws Exception {
    // shorter than a length some version had: may truncate
    assertThat(
            django(PROFILE, runSql("ALTER TABLE auth_user ALTER COLUMN username TYPE varchar(20)")))
        .containsExactly("DBG108");
    assertThat(
            django(
                PROFILE, runSql("ALTER TABLE auth_user ALTER COLUMN first_name TYPE varchar(100)")))
        .containsExactly("DBG108");
    assertThat(
            django(
                PROFILE,
                runSql("ALTER TABLE django_session ALTER COLUMN session_key TYPE varchar(32)")))
        .containsExactly("DBG108");
    // another type: judged with the previous type unknown, as before
    assertThat(django(PROFILE, runSql("ALTER TABLE auth_user ALTER COLUMN username TYPE integer")))
        .containsExactly("DBG108");
    // a column of a contrib table that is not listed
    assertThat(
            django(
                PROFILE, runSql("ALTER TABLE auth_user ALTER COLUMN password TYPE varchar(300)")))
        .containsExactly("DBG108");
    // a project table no migration declares stays unknown
    assertThat(
            django(
                PROFILE, runSql("ALTER TABLE accounts_legacy ALTER COLUMN name TYPE varchar(254)")))
        .containsExactly("DBG108");
  }

  @Test
  void aProjectModelOnTheSameTableDecides() throws Exception {
    String ownUser =
        """
                migrations.CreateModel(
                    name="User",
                    fields=[
                        ("id", models.AutoField(primary_key=True, serialize=False)),
                        ("username", models.CharField(max_length=300, unique=True)),
                    ],
                    options={"db_table": "auth_user"},
                ),
        """;
    // the project's own auth_user has varchar(300): 254 narrows it
    assertThat(
            django(
                ownUser, runSql("ALTER TABLE auth_user ALTER COLUMN username TYPE varchar(254)")))
        .containsExactly("DBG108");
    // a column the project's model does not declare stays unknown
    assertThat(
            django(ownUser, runSql("ALTER TABLE auth_user ALTER COLUMN email TYPE varchar(320)")))
        .containsExactly("DBG108");
  }

  @Test
  void aSqlMigrationOutsideDjangoIsNotGivenDjangosTables() throws Exception {
    Path f =
        AnalysisFiles.write(
            dir.resolve("sql"),
            "V2__auth.sql",
            "ALTER TABLE auth_user ALTER COLUMN username TYPE varchar(254);\n");
    assertThat(AnalysisFiles.ruleIds(f)).containsExactly("DBG108");
  }
}
