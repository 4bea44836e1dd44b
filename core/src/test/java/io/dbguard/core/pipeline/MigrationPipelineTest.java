package io.dbguard.core.pipeline;

import static io.dbguard.core.testing.SqliteFixtures.count;
import static io.dbguard.core.testing.SqliteFixtures.exec;
import static io.dbguard.core.testing.SqliteFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.backup.BackupCatalog;
import io.dbguard.core.backup.RetentionPolicy;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import io.dbguard.core.migrate.CommandRunner;
import io.dbguard.core.migrate.FlywayRunner;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.migrate.SqlScriptRunner;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.testing.TmpfsMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evidence on real SQLite files: what a failed or lossy migration leaves behind. */
class MigrationPipelineTest {
  @TempDir Path tmp;
  Path db;
  Path backups;
  Path sql;
  DatabaseTarget target;
  SqliteEngine engine;
  List<PipelineEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    db = tmp.resolve("shop.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    sql = Files.createDirectory(tmp.resolve("sql"));
    target = DatabaseTarget.sqlite(db);
    engine = new SqliteEngine(target);
    write(
        "V1__customers.sql",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT);");
    write(
        "V2__orders.sql",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL"
            + " REFERENCES customers(id), total_cents INTEGER NOT NULL);");
    new FlywayRunner(sql, null).run(target, l -> {});
    exec(
        db,
        "INSERT INTO customers(email, phone) VALUES ('a@x.io', '+1 555 0100'), ('b@x.io', NULL),"
            + " ('c@x.io', '+1 555 0102')",
        "INSERT INTO orders(customer_id, total_cents) VALUES (1, 1200), (1, 800), (3, 4500)");
  }

  void write(String name, String text) throws Exception {
    Files.writeString(sql.resolve(name), text);
  }

  PipelineResult run(MigrationRunner migration) {
    return run(new PipelineOptions().migration(migration));
  }

  PipelineResult run(PipelineOptions o) {
    if (o.backupDirectory() == null) {
      o.backupDirectory(backups);
    }
    return new MigrationPipeline(engine, target, o.environment("test"), events::add).run();
  }

  /** Runs the Flyway directory {@code sql} against another SQLite file. */
  PipelineResult runFlywayOn(Path file) {
    DatabaseTarget t = DatabaseTarget.sqlite(file);
    return new MigrationPipeline(
            new SqliteEngine(t),
            t,
            new PipelineOptions().backupDirectory(backups).migration(new FlywayRunner(sql, null)),
            events::add)
        .run();
  }

  @Test
  void failingMigrationThatAddedTableForeignKeyAndColumnLeavesTheDatabaseExactlyAsBefore()
      throws Exception {
    DataProfile before = engine.profile();
    write(
        "V3__coupons.sql",
        "CREATE TABLE coupons (code TEXT PRIMARY KEY, percent_off INTEGER NOT NULL);"
            + "ALTER TABLE orders ADD COLUMN coupon_code TEXT REFERENCES coupons(code);"
            + "INSERT INTO coupons VALUES ('WELCOME', 10);"
            + "UPDATE orders SET total_cents = total_cents - 1;");
    write("V4__broken.sql", "UPDATE orders SET coupon_code = (SELECT code FROM no_such_table);");

    PipelineResult r = run(new FlywayRunner(sql, null));

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("MigrationFailed");
    assertThat(r.failedStep()).isEqualTo(PipelineStep.MIGRATE);
    DataProfile after = engine.profile();
    assertThat(after).isEqualTo(before);
    assertThat(after.tables()).doesNotContainKey("coupons");
    assertThat(after.tables().get("orders").nonNullCounts()).doesNotContainKey("coupon_code");
    assertThat(after.historyVersion()).isEqualTo("flyway_schema_history:2");
    assertThat(count(db, "orders")).isEqualTo(3);
    try (var c = io.dbguard.core.testing.SqliteFixtures.connect(db);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT sum(total_cents) FROM orders")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(6500);
    }
    assertThat(r.manualRestoreCommand()).startsWith("sqlite3 " + db);
    assertThat(r.restoredFrom()).isTrue();
    assertThat(events)
        .anyMatch(
            e ->
                e.step() == PipelineStep.VERIFY_RESTORE
                    && e.kind() == PipelineEvent.Kind.SUCCEEDED);
    assertThat(r.toStepResult().toTerminationMessage()).contains("\"exitCode\":20");
  }

  @Test
  void droppingAPopulatedColumnIsCaughtAndRolledBack() throws Exception {
    DataProfile before = engine.profile();
    write("V3__drop_phone.sql", "ALTER TABLE customers DROP COLUMN phone;");

    PipelineResult r = run(new FlywayRunner(sql, null));

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("DataLossDetected");
    assertThat(r.dataLoss().unacknowledged())
        .singleElement()
        .satisfies(f -> assertThat(f.subject()).isEqualTo("customers.phone"));
    assertThat(engine.profile()).isEqualTo(before);
    assertThat(r.toStepResult().details()).containsEntry("lost", "customers.phone");
  }

  @Test
  void acknowledgedDataLossSucceedsAndIsRecorded() throws Exception {
    write("V3__drop_phone.sql", "ALTER TABLE customers DROP COLUMN phone;");

    PipelineResult r =
        run(
            new PipelineOptions()
                .migration(new FlywayRunner(sql, null))
                .acknowledgements(Set.of("customers.phone")));

    assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(r.dataLoss().acknowledged()).hasSize(1);
    assertThat(events)
        .anyMatch(
            e -> e.kind() == PipelineEvent.Kind.WARNING && e.message().contains("[acknowledged]"));
  }

  @Test
  void goodMigrationSucceedsAndLeavesAVerifiedBackup() throws Exception {
    DataProfile before = engine.profile();
    write(
        "V3__loyalty.sql", "ALTER TABLE customers ADD COLUMN loyalty INTEGER NOT NULL DEFAULT 0;");

    PipelineResult r = run(new FlywayRunner(sql, null));

    assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(engine.profile().historyVersion()).isEqualTo("flyway_schema_history:3");
    assertThat(r.backup().profile()).isEqualTo(before);
    assertThat(r.backup().verified()).isTrue();
    engine.verify(r.backupFile(), r.backup(), ProgressListener.NONE);
    assertThat(new BackupCatalog(backups).latestVerified())
        .get()
        .satisfies(e -> assertThat(e.manifest().name()).isEqualTo(r.backup().name()));
  }

  @Test
  void newDatabaseIsNotBackedUpAndIsSeeded() throws Exception {
    Path fresh = tmp.resolve("fresh.db");
    Path seed =
        Files.writeString(
            tmp.resolve("seed.sql"),
            "INSERT INTO customers(email) VALUES ('seed@x.io');"
                + "INSERT INTO customers(email) VALUES ('seed2@x.io');");
    DatabaseTarget t = DatabaseTarget.sqlite(fresh);
    PipelineResult r =
        new MigrationPipeline(
                new SqliteEngine(t),
                t,
                new PipelineOptions()
                    .backupDirectory(backups)
                    .migration(new FlywayRunner(sql, null))
                    .seed(new SqlScriptRunner(seed)),
                events::add)
            .run();
    assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(r.backup()).isNull();
    assertThat(count(fresh, "customers")).isEqualTo(2);
    assertThat(events)
        .anyMatch(e -> e.step() == PipelineStep.BACKUP && e.kind() == PipelineEvent.Kind.SKIPPED);
  }

  @Test
  void newDatabaseThatFailsToMigrateIsSetAsideSoTheNextAttemptStartsClean() throws Exception {
    Path fresh = tmp.resolve("fresh.db");
    write("V3__broken.sql", "INSERT INTO orders SELECT * FROM no_such_table;");
    PipelineResult r = runFlywayOn(fresh);

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
    assertThat(r.backup()).isNull();
    assertThat(fresh).as("absent again, as before the run").doesNotExist();
    Path kept = Path.of(r.keptFailedAs());
    assertThat(kept.getFileName().toString()).startsWith("fresh.db.failed-");
    assertThat(count(kept, "customers")).as("V1 and V2 ran before V3 failed").isZero();
    assertThat(r.message()).contains("moved to " + kept).contains("starts from an empty database");

    // the next attempt, with the migration fixed, starts from nothing and succeeds
    Files.delete(sql.resolve("V3__broken.sql"));
    PipelineResult again = runFlywayOn(fresh);
    assertThat(again.outcome()).as(again.message()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void existingDatabaseWithoutTablesIsBackedUpAndRestoredOnFailure() throws Exception {
    Path empty = tmp.resolve("empty.db");
    exec(empty, "PRAGMA user_version = 7");
    assertThat(Files.size(empty)).isPositive();
    write("V3__broken.sql", "INSERT INTO orders SELECT * FROM no_such_table;");
    PipelineResult r = runFlywayOn(empty);
    SqliteEngine e = new SqliteEngine(DatabaseTarget.sqlite(empty));

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.backup()).as("an empty database is still backed up").isNotNull();
    assertThat(e.profile().tables()).as("no half-built schema left").isEmpty();
    try (var c = io.dbguard.core.testing.SqliteFixtures.connect(empty);
        var s = c.createStatement();
        var rs = s.executeQuery("PRAGMA user_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void existingDatabaseIsSeededOnlyWhenThePolicySaysSo() throws Exception {
    Path seed =
        Files.writeString(
            tmp.resolve("seed.sql"), "INSERT INTO customers(email) VALUES ('s@x.io');");
    write("V3__noop.sql", "CREATE INDEX customers_email ON customers(email);");
    PipelineResult skipped =
        run(
            new PipelineOptions()
                .migration(new FlywayRunner(sql, null))
                .seed(new SqlScriptRunner(seed)));
    assertThat(skipped.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(skipped.warnings()).anyMatch(w -> w.contains("seed skipped"));
    assertThat(count(db, "customers")).isEqualTo(3);

    PipelineResult always =
        run(
            new PipelineOptions()
                .migration(new FlywayRunner(sql, null))
                .seed(new SqlScriptRunner(seed))
                .seedPolicy(SeedPolicy.ALWAYS));
    assertThat(always.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(count(db, "customers")).isEqualTo(4);
  }

  @Test
  void destructiveSeedIsCaughtAndRolledBack() throws Exception {
    DataProfile before = engine.profile();
    Path seed = Files.writeString(tmp.resolve("seed.sql"), "DELETE FROM orders;");
    write("V3__noop.sql", "CREATE INDEX customers_email ON customers(email);");
    PipelineResult r =
        run(
            new PipelineOptions()
                .migration(new FlywayRunner(sql, null))
                .seed(new SqlScriptRunner(seed))
                .seedPolicy(SeedPolicy.ALWAYS));
    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("DataLossDetected");
    assertThat(engine.profile()).isEqualTo(before);
  }

  @Test
  void missingBackupDirectoryStopsBeforeTheDatabaseIsTouched() throws Exception {
    DataProfile before = engine.profile();
    Path marker = tmp.resolve("migration-ran");
    PipelineResult r =
        run(
            new PipelineOptions()
                .backupDirectory(tmp.resolve("no-such-dir"))
                .migration(new CommandRunner("touch " + marker, null, null, null)));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.exitCode()).isEqualTo(ExitCode.BACKUP_FAILED);
    assertThat(r.reason()).isEqualTo("BackupFailed");
    assertThat(r.message()).contains("does not exist").contains("not touched");
    assertThat(marker).doesNotExist();
    assertThat(engine.profile()).isEqualTo(before);
  }

  @Test
  void backupNotRequiredContinuesAndSaysSo() throws Exception {
    Path marker = tmp.resolve("migration-ran");
    PipelineResult r =
        run(
            new PipelineOptions()
                .backupDirectory(tmp.resolve("no-such-dir"))
                .backupRequired(false)
                .migration(new CommandRunner("touch " + marker, null, null, null)));
    assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(r.warnings()).anyMatch(w -> w.contains("WITHOUT a backup"));
    assertThat(r.toStepResult().details().get("warnings")).contains("WITHOUT a backup");
    assertThat(marker).exists();
  }

  @Test
  void fullBackupDiskStopsBeforeTheDatabaseIsTouched() throws Exception {
    shop(tmp.resolve("big.db"), 20_000);
    DatabaseTarget big = DatabaseTarget.sqlite(tmp.resolve("big.db"));
    SqliteEngine bigEngine = new SqliteEngine(big);
    DataProfile before = bigEngine.profile();
    try (TmpfsMount m = TmpfsMount.mount(tmp, 128, false)) {
      Path marker = tmp.resolve("migration-ran");
      PipelineResult r =
          new MigrationPipeline(
                  bigEngine,
                  big,
                  new PipelineOptions()
                      .backupDirectory(m.dir())
                      .migration(new CommandRunner("touch " + marker, null, null, null)),
                  events::add)
              .run();
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.exitCode()).isEqualTo(ExitCode.BACKUP_FAILED);
      assertThat(r.message()).contains("full");
      assertThat(marker).doesNotExist();
      try (var files = Files.list(m.dir())) {
        assertThat(files).as("no partial backup left behind").isEmpty();
      }
    }
    assertThat(bigEngine.profile()).isEqualTo(before);
  }

  @Test
  void unwritableBackupDirectoryStopsBeforeTheDatabaseIsTouched() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    // root ignores file permissions, so as root the directory is a read-only mount
    TmpfsMount ro = root ? TmpfsMount.mount(tmp, 64, true) : null;
    Path dir;
    if (ro != null) {
      dir = ro.dir();
    } else {
      dir = Files.createDirectory(tmp.resolve("ro"));
      dir.toFile().setWritable(false, false);
    }
    try {
      Path marker = tmp.resolve("migration-ran");
      PipelineResult r =
          run(
              new PipelineOptions()
                  .backupDirectory(dir)
                  .migration(new CommandRunner("touch " + marker, null, null, null)));
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.exitCode()).isEqualTo(ExitCode.BACKUP_FAILED);
      assertThat(r.message()).containsAnyOf("not writable", "Read-only", "read-only");
      assertThat(marker).doesNotExist();
    } finally {
      if (ro != null) {
        ro.close();
      }
    }
  }

  @Test
  void migrationCommandNotFoundIsRestoredAndReported() throws Exception {
    DataProfile before = engine.profile();
    PipelineResult r = run(new CommandRunner("no-such-migrate-tool db:migrate", null, null, null));
    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("CommandNotFound");
    assertThat(engine.profile()).isEqualTo(before);
  }

  @Test
  void hangingMigrationTimesOutAndIsRestored() throws Exception {
    DataProfile before = engine.profile();
    String cmd =
        "java -cp '"
            + System.getProperty("java.class.path")
            + "' io.dbguard.core.testing.TestingMigration '"
            + db
            + "' '"
            + tmp.resolve("marker")
            + "'";
    PipelineResult r = run(new CommandRunner(cmd, null, null, Duration.ofSeconds(20)));
    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("MigrationTimeout");
    assertThat(tmp.resolve("marker")).exists();
    assertThat(engine.profile()).isEqualTo(before);
  }

  @Test
  void onFailureHaltLeavesTheDatabaseAndNamesTheManualRestore() throws Exception {
    write("V3__drop_phone.sql", "ALTER TABLE customers DROP COLUMN phone;");
    PipelineResult r =
        run(
            new PipelineOptions()
                .migration(new FlywayRunner(sql, null))
                .onFailure(PipelineOptions.OnFailure.HALT));
    assertThat(r.outcome()).isEqualTo(Outcome.DATA_LOSS_DETECTED);
    assertThat(r.exitCode()).isEqualTo(ExitCode.DATA_LOSS_DETECTED);
    assertThat(r.manualRestoreCommand()).contains(".restore");
    assertThat(engine.profile().tables().get("customers").nonNullCounts())
        .doesNotContainKey("phone");
  }

  @Test
  void analysisRefusalBlocksBeforeAnythingHappens() throws Exception {
    Path marker = tmp.resolve("migration-ran");
    PipelineResult r =
        run(
            new PipelineOptions()
                .migration(new CommandRunner("touch " + marker, null, null, null))
                .analysis(
                    c ->
                        new PreflightAnalysis.Report(
                            List.of("drop-table: V9__drop.sql drops table orders"),
                            List.of(),
                            null)));
    assertThat(r.outcome()).isEqualTo(Outcome.BLOCKED);
    assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
    assertThat(marker).doesNotExist();
    assertThat(new BackupCatalog(backups).list()).isEmpty();
  }

  @Test
  void retentionOverRealBackupsKeepsExactlyTheNewest() throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      names.add(
          engine
              .backup(
                  new io.dbguard.core.backup.BackupRequest(
                      backups,
                      "shop",
                      "test",
                      Instant.parse("2026-01-0" + (4 - i) + "T00:00:00Z"),
                      null,
                      0),
                  ProgressListener.NONE)
              .name());
    }
    // names sort opposite to completion order: the last one taken has the oldest name
    BackupCatalog catalog = new BackupCatalog(backups);
    RetentionPolicy.Plan plan = catalog.plan(new RetentionPolicy(2, null), Instant.now());
    assertThat(plan.toDelete().stream().map(m -> m.name()).toList())
        .containsExactly(names.get(1), names.get(0));
    catalog.apply(plan);
    try (var files = Files.list(backups)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(
              names.get(3) + ".manifest.json",
              names.get(3) + ".sqlite3",
              names.get(2) + ".manifest.json",
              names.get(2) + ".sqlite3");
    }
  }
}
