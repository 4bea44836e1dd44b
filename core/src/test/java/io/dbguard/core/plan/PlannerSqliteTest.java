package io.dbguard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.migrate.FlywayRunner;
import io.dbguard.core.report.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Planner} on real SQLite files. */
class PlannerSqliteTest {
  @TempDir Path tmp;

  Path migrations() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("sql"));
    Files.writeString(
        dir.resolve("V1__users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);");
    Files.writeString(
        dir.resolve("V2__orders.sql"),
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));");
    return dir;
  }

  PlanRequest request(Path db, Path dir) {
    return new PlanRequest(
        DatabaseTarget.sqlite(db),
        List.of(dir),
        null,
        null,
        tmp,
        null,
        AnalysisOptions.defaults(),
        null);
  }

  @Test
  void pendingFlywayFilesOnAnExistingFileWhichStaysByteForByteTheSame() throws Exception {
    Path db = tmp.resolve("app.db");
    Path dir = migrations();
    new FlywayRunner(dir, null).run(DatabaseTarget.sqlite(db), l -> {});
    Files.writeString(dir.resolve("V3__drop_email.sql"), "ALTER TABLE users DROP COLUMN email;");
    String before = Sha256.ofFile(db, "hash", io.dbguard.core.engine.ProgressListener.NONE);
    Plan plan = new Planner().plan(request(db, dir), l -> {});
    assertThat(Sha256.ofFile(db, "hash", io.dbguard.core.engine.ProgressListener.NONE))
        .as("the database file is unchanged")
        .isEqualTo(before);
    assertThat(Files.exists(tmp.resolve("app.db-wal"))).isFalse();

    assertThat(plan.pending().migrations()).extracting(PendingMigration::id).containsExactly("V3");
    assertThat(plan.analysis().files()).hasSize(1);
    assertThat(plan.analysis().blocking()).isNotEmpty();
    assertThat(plan.exitCode(Verdict.REFUSE)).isEqualTo(ExitCode.REFUSED);
    assertThat(plan.role()).as("SQLite has no roles").isNull();
    assertThat(plan.cost().databaseBytes()).isEqualTo(Files.size(db));
    assertThat(plan.cost().basis()).contains("SQLite", "MB/s");
  }

  @Test
  void aFileWithTablesButNoFlywayHistoryIsAWarning() throws Exception {
    Path db = tmp.resolve("legacy.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)");
    }
    Plan plan = new Planner().plan(request(db, migrations()), l -> {});
    assertThat(plan.notices())
        .filteredOn(n -> n.topic().equals("history"))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.text())
                    .contains("1 table(s) but no flyway_schema_history", "(e.g. 2 "));
    Plan fresh = new Planner().plan(request(tmp.resolve("none.db"), migrations()), l -> {});
    assertThat(fresh.notices()).noneMatch(n -> n.topic().equals("history"));
  }

  @Test
  void aDatabaseThatDoesNotExistIsNotCreatedAndEverythingIsPending() throws Exception {
    Path db = tmp.resolve("new.db");
    Plan plan = new Planner().plan(request(db, migrations()), l -> {});
    assertThat(Files.exists(db)).as("the plan does not create the database").isFalse();
    assertThat(plan.databaseExists()).isFalse();
    assertThat(plan.cost()).isNull();
    assertThat(plan.pending().migrations())
        .extracting(PendingMigration::id)
        .containsExactly("V1", "V2");
    assertThat(plan.exitCode(Verdict.NOTICE)).isEqualTo(ExitCode.OK);
    assertThat(plan.toStepResult(Verdict.REFUSE).message())
        .contains("2 pending migrations", "does not exist yet");
  }

  @Test
  void aListingThatCreatesTheAbsentDatabaseAnywayHasTheEmptyFileRemovedAndSaysSo()
      throws Exception {
    Path db = tmp.resolve("absent.db");
    String listing =
        ": > "
            + db
            + "; echo ' Status   Migration ID    Migration Name'; echo '  down    20261122101500"
            + "  Add phone'";
    Plan plan =
        new Planner()
            .plan(
                new PlanRequest(
                    DatabaseTarget.sqlite(db),
                    List.of(),
                    "bin/rails db:migrate",
                    listing,
                    tmp,
                    null,
                    AnalysisOptions.defaults(),
                    null),
                l -> {});
    assertThat(Files.exists(db)).isFalse();
    assertThat(plan.pending().migrations())
        .extracting(PendingMigration::id)
        .containsExactly("20261122101500");
    assertThat(plan.notices())
        .anySatisfy(
            n -> assertThat(n.text()).contains("created the empty database file", "removed"));
  }

  PlanRequest stubbed(Path db, String migrate, String listing) {
    return new PlanRequest(
        DatabaseTarget.sqlite(db),
        List.of(),
        migrate,
        listing,
        tmp,
        null,
        AnalysisOptions.defaults(),
        null);
  }

  @Test
  void knexListingNamesThePendingFilesWhichAreReportedAsNotAnalysed() throws Exception {
    Path db = tmp.resolve("app.db");
    new FlywayRunner(migrations(), null).run(DatabaseTarget.sqlite(db), l -> {});
    Path dir = Files.createDirectories(tmp.resolve("migrations"));
    Files.writeString(dir.resolve("20261120_orders.js"), "exports.up = k => k.schema;");
    String list =
        "echo 'Found 1 Completed Migration file/files.'; echo '20261101_users.js ';"
            + " echo 'Found 1 Pending Migration file/files.'; echo '20261120_orders.js '";
    Plan plan = new Planner().plan(stubbed(db, "npx knex migrate:latest", list), l -> {});
    assertThat(plan.pending().source()).isEqualTo("knex");
    assertThat(plan.pending().migrations())
        .singleElement()
        .satisfies(p -> assertThat(p.file()).isEqualTo(dir.resolve("20261120_orders.js")));
    assertThat(plan.notices())
        .anySatisfy(n -> assertThat(n.text()).contains("1 knex migration file(s) not analysed"));
  }

  /**
   * Prisma's migrate status exits 1 while migrations are pending: that is a listing, not a failure.
   */
  @Test
  void prismaStatusExitingOneListsThePendingDirectoriesAndTheirSqlIsAnalysed() throws Exception {
    Path db = tmp.resolve("app.db");
    new FlywayRunner(migrations(), null).run(DatabaseTarget.sqlite(db), l -> {});
    Path m = Files.createDirectories(tmp.resolve("prisma/migrations/20261122101500_drop_email"));
    Files.writeString(m.resolve("migration.sql"), "ALTER TABLE users DROP COLUMN email;");
    String status =
        "echo 'Following migration have not yet been applied:'; echo 20261122101500_drop_email;"
            + " echo; echo 'To apply migrations in production run prisma migrate deploy.'; exit 1";
    Plan plan = new Planner().plan(stubbed(db, "npx prisma migrate deploy", status), l -> {});
    assertThat(plan.pending().source()).isEqualTo("prisma");
    assertThat(plan.pending().migrations())
        .singleElement()
        .satisfies(p -> assertThat(p.file()).isEqualTo(m.resolve("migration.sql")));
    assertThat(plan.analysis().blocking()).isNotEmpty();

    // any other listing that fails is PlanFailed, never "nothing pending"
    assertThatThrownBy(
            () ->
                new Planner()
                    .plan(
                        stubbed(db, "bundle exec rake db:migrate", "echo 'rake aborted!'; exit 1"),
                        l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("rake aborted!")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("PlanFailed");
  }

  @Test
  void alembicRevisionsAreFoundByTheirDeclarationAndReportedAsNotAnalysed() throws Exception {
    Path db = tmp.resolve("app.db");
    new FlywayRunner(migrations(), null).run(DatabaseTarget.sqlite(db), l -> {});
    Path versions = Files.createDirectories(tmp.resolve("alembic/versions"));
    Files.writeString(
        versions.resolve("3512b954651e_add_phone.py"),
        "revision = '3512b954651e'\ndown_revision = '1975ea83b712'\n\n\ndef upgrade():\n"
            + "    op.add_column('users', sa.Column('phone', sa.String()))\n");
    String listing =
        "echo 1975ea83b712; echo '1975ea83b712 -> 3512b954651e (head), add phone';"
            + " echo '<base> -> 1975ea83b712, init'";
    Plan plan = new Planner().plan(stubbed(db, "alembic upgrade head", listing), l -> {});
    assertThat(plan.pending().source()).isEqualTo("alembic");
    assertThat(plan.pending().migrations())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("3512b954651e");
              assertThat(p.description()).isEqualTo("add phone");
              assertThat(p.file()).isEqualTo(versions.resolve("3512b954651e_add_phone.py"));
            });
    assertThat(plan.analysis())
        .as("Alembic revisions are not analysed (nor taken for seeds)")
        .isNull();
    assertThat(plan.notices())
        .anySatisfy(n -> assertThat(n.text()).contains("1 alembic migration file(s) not analysed"));
  }

  @Test
  void anUnrecognisedCommandMakesThePendingMigrationsUnknownAWarning() throws Exception {
    Path db = tmp.resolve("app.db");
    new FlywayRunner(migrations(), null).run(DatabaseTarget.sqlite(db), l -> {});
    Plan plan =
        new Planner()
            .plan(
                new PlanRequest(
                    DatabaseTarget.sqlite(db),
                    List.of(),
                    "./deploy/migrate.sh",
                    null,
                    tmp,
                    null,
                    AnalysisOptions.defaults(),
                    null),
                l -> {});
    assertThat(plan.pending().known()).isFalse();
    assertThat(plan.exitCode(Verdict.REFUSE)).isEqualTo(ExitCode.OK);
    assertThat(plan.exitCode(Verdict.WARN)).isEqualTo(ExitCode.WARNINGS);
    assertThat(plan.notices()).anySatisfy(n -> assertThat(n.text()).contains("--plan-command"));
  }
}
