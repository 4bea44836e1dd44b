package io.dbguard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.AnalyzedFile;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.migrate.FlywayRunner;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Planner} on the real PostgreSQL test server: Flyway pending files and role privileges. */
class PlannerPostgresTest {
  @TempDir Path tmp;
  DatabaseTarget db;
  Path sql;
  final List<String> roles = new ArrayList<>();

  @BeforeEach
  void database() throws Exception {
    db = TestPostgres.freshDatabase("dbguard_plan");
    sql = Files.createDirectories(tmp.resolve("sql"));
    Files.writeString(
        sql.resolve("V1__customers.sql"),
        "CREATE TABLE customers (id int PRIMARY KEY, name text, phone text);");
    Files.writeString(
        sql.resolve("V2__seed.sql"),
        "INSERT INTO customers SELECT g, 'c' || g, '555' || g FROM generate_series(1, 500) g;");
    new FlywayRunner(sql, null).run(db, l -> {});
    Files.writeString(
        sql.resolve("V3__orders.sql"),
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id));");
    Files.writeString(
        sql.resolve("V4__drop_phone.sql"), "ALTER TABLE customers DROP COLUMN phone;");
  }

  @AfterEach
  void cleanUp() throws Exception {
    TestPostgres.drop(db);
    try (Connection c = TestPostgres.connect(TestPostgres.server());
        Statement s = c.createStatement()) {
      for (String r : roles) {
        s.execute("DROP ROLE IF EXISTS " + r);
      }
    }
  }

  PlanRequest flyway(DatabaseTarget target) {
    return new PlanRequest(
        target, List.of(sql), null, null, tmp, null, AnalysisOptions.defaults(), null);
  }

  String state() throws Exception {
    try (Connection c = TestPostgres.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT string_agg(version || script || checksum || success, ',' ORDER BY"
                    + " installed_rank) FROM flyway_schema_history) || '|' || (SELECT"
                    + " md5(string_agg(c::text, ',' ORDER BY id)) FROM customers c) || '|' ||"
                    + " (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE"
                    + " relnamespace = 'public'::regnamespace)")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void listsExactlyThePendingFlywayFilesAnalysesOnlyThoseAndChangesNothing() throws Exception {
    String before = state();
    Plan plan = new Planner().plan(flyway(db), l -> {});
    assertThat(state()).as("history, data and tables unchanged by the plan").isEqualTo(before);

    assertThat(plan.pending().source()).isEqualTo("flyway");
    assertThat(plan.pending().migrations())
        .extracting(PendingMigration::id)
        .containsExactly("V3", "V4");
    assertThat(plan.pending().migrations().get(1).description()).isEqualTo("drop phone");
    assertThat(plan.analysis().files())
        .extracting(AnalyzedFile::path)
        .allSatisfy(p -> assertThat(p).matches(".*V[34]__.*"))
        .hasSize(2);
    assertThat(plan.analysis().blocking())
        .anySatisfy(f -> assertThat(f.file()).endsWith("V4__drop_phone.sql"));
    assertThat(plan.exitCode(Verdict.REFUSE)).isEqualTo(ExitCode.REFUSED);
    assertThat(plan.toStepResult(Verdict.REFUSE).reason()).isEqualTo("Blocked");
    assertThat(plan.toStepResult(Verdict.REFUSE).details()).containsEntry("pending", "V3, V4");
    assertThat(plan.cost().databaseBytes()).isGreaterThan(1_000_000L);
    assertThat(plan.cost().backupSeconds()).isPositive();
    assertThat(plan.cost().restoreSeconds()).isGreaterThan(plan.cost().backupSeconds());
    assertThat(plan.runCommand()).contains("Flyway migrate", sql.toString());

    new FlywayRunner(sql, null).run(db, l -> {});
    Plan after = new Planner().plan(flyway(db), l -> {});
    assertThat(after.pending().migrations()).isEmpty();
    assertThat(after.analysis()).isNull();
  }

  @Test
  void tablesWithoutFlywayHistoryAreAWarningThatRunWouldConflict() throws Exception {
    assertThat(new Planner().plan(flyway(db), l -> {}).notices())
        .as("with a history there is nothing to say")
        .noneMatch(n -> n.topic().equals("history"));
    try (Connection c = TestPostgres.connect(db);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE flyway_schema_history");
    }
    Plan plan = new Planner().plan(flyway(db), l -> {});
    assertThat(plan.pending().migrations()).hasSize(4);
    assertThat(plan.notices())
        .filteredOn(n -> n.topic().equals("history"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.level()).isEqualTo(Verdict.WARN);
              assertThat(n.text())
                  .contains("1 table(s) but no flyway_schema_history", "SchemaConflict")
                  .contains("--baseline-version (e.g. 4 ");
            });
    assertThat(plan.exitCode(Verdict.WARN)).isNotEqualTo(ExitCode.OK);
    // and that is what run's migrate step does
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new FlywayRunner(sql, null).run(db, l -> {}))
        .isInstanceOf(io.dbguard.core.engine.DbguardException.class);
  }

  @Test
  void aSuperuserIsToldToUseAMigrationRoleAndADmlOnlyRole() throws Exception {
    Plan plan = new Planner().plan(flyway(db), l -> {});
    assertThat(plan.role().superuser()).isTrue();
    assertThat(plan.notices())
        .filteredOn(n -> n.topic().equals("role"))
        .singleElement()
        .satisfies(n -> assertThat(n.text()).contains("is a superuser"));
    assertThat(plan.leastPrivilegeSql())
        .anySatisfy(s -> assertThat(s).contains("GRANT SELECT, INSERT, UPDATE, DELETE"));
    assertThat(plan.toStepResult(Verdict.REFUSE).details())
        .containsEntry("roleSuperuser", "true")
        .containsKey("leastPrivilege");
  }

  @Test
  void aDmlOnlyRoleIsToldItCannotAlterTablesAndGetsNoSuperuserNotice() throws Exception {
    String role = role("");
    try (Connection c = TestPostgres.connect(db);
        Statement s = c.createStatement()) {
      s.execute("GRANT CONNECT ON DATABASE " + db.database() + " TO " + role);
      s.execute("GRANT USAGE ON SCHEMA public TO " + role);
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
    }
    Plan plan = new Planner().plan(flyway(as(role)), l -> {});
    RolePrivileges p = plan.role();
    assertThat(p.role()).isEqualTo(role);
    assertThat(p.superuser()).isFalse();
    assertThat(p.tables()).isEqualTo(2); // customers + flyway_schema_history
    assertThat(p.ownedTables()).isZero();
    assertThat(p.droppableTables()).isZero();
    assertThat(p.truncatableTables()).isZero();
    assertThat(p.dmlTables()).isEqualTo(2);
    assertThat(plan.notices())
        .filteredOn(n -> n.topic().equals("role"))
        .singleElement()
        .satisfies(n -> assertThat(n.text()).contains("owns none of the 2 tables", "42501"));
    assertThat(plan.pending().migrations())
        .extracting(PendingMigration::id)
        .containsExactly("V3", "V4");
  }

  @Test
  void anOwnerRoleWithCreatedbAndAStrayTruncateIsNamedForEach() throws Exception {
    String owner = role(" CREATEDB");
    String app = role("");
    try (Connection c = TestPostgres.connect(db);
        Statement s = c.createStatement()) {
      s.execute("GRANT CONNECT ON DATABASE " + db.database() + " TO " + owner + ", " + app);
      s.execute("GRANT USAGE ON SCHEMA public TO " + owner + ", " + app);
      s.execute("ALTER TABLE customers OWNER TO " + owner);
      s.execute("ALTER TABLE flyway_schema_history OWNER TO " + owner);
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON customers TO " + app);
      s.execute("GRANT SELECT ON flyway_schema_history TO " + app);
    }
    Plan ownerPlan = new Planner().plan(flyway(as(owner)), l -> {});
    assertThat(ownerPlan.role().ownedTables()).isEqualTo(2);
    assertThat(ownerPlan.notices())
        .filteredOn(n -> n.topic().equals("role"))
        .extracting(PlanNotice::text)
        .anySatisfy(t -> assertThat(t).contains("owns 2 of 2 tables", "DML only"))
        .anySatisfy(t -> assertThat(t).contains("CREATEDB"))
        .noneSatisfy(t -> assertThat(t).contains("superuser"));
    assertThat(ownerPlan.exitCode(Verdict.NOTICE)).isEqualTo(ExitCode.REFUSED);

    Plan appPlan = new Planner().plan(flyway(as(app)), l -> {});
    assertThat(appPlan.role().truncatableTables()).isEqualTo(1);
    assertThat(appPlan.notices())
        .filteredOn(n -> n.topic().equals("role"))
        .extracting(PlanNotice::text)
        .anySatisfy(t -> assertThat(t).contains("may TRUNCATE 1 tables it does not own"));
  }

  @Test
  void theListingCommandRunsInReadOnlyTransactions() throws Exception {
    Path stub = tmp.resolve("status.sh");
    Files.writeString(
        stub,
        "psql -c 'CREATE TABLE sneaky (id int)' 2>&1\n"
            + "echo ' Status   Migration ID    Migration Name'\n"
            + "echo '--------------------------------------------------'\n"
            + "echo '   up     20261101000000  Create customers'\n"
            + "echo '  down    20261122101500  Add phone'\n");
    List<String> output = new ArrayList<>();
    Plan plan =
        new Planner()
            .plan(
                new PlanRequest(
                    db,
                    List.of(),
                    "bundle exec rake db:migrate",
                    "sh " + stub,
                    tmp,
                    null,
                    AnalysisOptions.defaults(),
                    null),
                output::add);
    assertThat(String.join("\n", output)).contains("read-only transaction");
    try (Connection c = TestPostgres.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('public.sneaky') IS NULL")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("the listing could not create a table").isTrue();
    }
    assertThat(plan.pending().source()).isEqualTo("rails");
    assertThat(plan.pending().migrations())
        .extracting(PendingMigration::id)
        .containsExactly("20261122101500");
    assertThat(plan.notices())
        .anySatisfy(n -> assertThat(n.text()).contains("20261122101500", "not found"));
    assertThat(plan.runCommand())
        .contains("/bin/sh -c 'bundle exec rake db:migrate'", "DATABASE_URL=postgresql://")
        .doesNotContain(db.password());
  }

  String role(String attributes) throws Exception {
    String name = "plan_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = TestPostgres.connect(TestPostgres.server());
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + name + " LOGIN PASSWORD 'plan-role-secret-1'" + attributes);
    }
    roles.add(name);
    return name;
  }

  DatabaseTarget as(String role) {
    return DatabaseTarget.parse(
        "postgresql://"
            + role
            + ":plan-role-secret-1@"
            + db.host()
            + ":"
            + db.port()
            + "/"
            + db.database());
  }
}
