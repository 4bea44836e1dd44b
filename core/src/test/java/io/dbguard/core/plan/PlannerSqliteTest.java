package io.dbguard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DatabaseTarget;
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
