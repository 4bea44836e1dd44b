package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.WriteHorizon;
import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.engine.WritesAfterBackup.Status;
import io.dbguard.core.engine.WritesAfterBackup.TableWrites;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.pipeline.MigrationPipeline;
import io.dbguard.core.pipeline.OnDiscardedWrites;
import io.dbguard.core.pipeline.PipelineOptions;
import io.dbguard.core.pipeline.PipelineResult;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.report.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes after the backup on a real PostgreSQL server, through the real pipeline (pg_dump,
 * pg_restore, swap restore): a failed migration's result names the tables the application wrote and
 * the failed copy that keeps the rows; {@code Halt} leaves the database untouched row for row; no
 * writes reports none; a manifest without a horizon says unknown; a transaction open across the
 * backup is counted as after it.
 */
class PgWritesAfterBackupTest {
  static final String[] SCHEMA = {
    "CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL)",
    "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, total int NOT"
        + " NULL)",
    "CREATE TABLE schema_migrations (version text PRIMARY KEY)",
    "INSERT INTO schema_migrations VALUES ('1')",
    "INSERT INTO customers (email) VALUES ('a@x.io'), ('b@x.io'), ('c@x.io')",
    "INSERT INTO orders (customer_id, total) VALUES (1, 100), (2, 200), (3, 300)"
  };

  /** What the application does after the backup: 2 new orders, 1 changed, 1 deleted. */
  static final String[] APPLICATION = {
    "INSERT INTO orders (customer_id, total) VALUES (1, 4101), (2, 4102)",
    "UPDATE orders SET total = 999 WHERE id = 2",
    "DELETE FROM orders WHERE id = 3"
  };

  /** The migration's own changes before it fails: a new table, a new column, a history row. */
  static final String[] MIGRATION = {
    "CREATE TABLE coupons (id serial PRIMARY KEY, code text)",
    "INSERT INTO coupons (code) VALUES ('WELCOME')",
    "ALTER TABLE customers ADD COLUMN tier text",
    "INSERT INTO schema_migrations VALUES ('2')"
  };

  PgTestServer pg;
  @TempDir Path dir;
  String db;
  DatabaseTarget target;
  PostgresEngine engine;

  @BeforeEach
  void setUp() {
    pg = new PgTestServer();
    db = pg.createDatabase("writes");
    pg.sql(db, SCHEMA);
    target = pg.target(db);
    engine = new PostgresEngine(target, PostgresOptions.defaults().withToolDirectory(pg.toolDir()));
  }

  @AfterEach
  void tearDown() {
    pg.close();
  }

  /** Every row of every user table, ordered: the database "row for row". */
  List<String> rows(String database) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.connect(database);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + t + " ORDER BY 1")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder b = new StringBuilder(t);
            for (int i = 1; i <= n; i++) {
              b.append('|').append(rs.getString(i));
            }
            out.add(b.toString());
          }
        }
      }
    }
    return out;
  }

  /**
   * A failing migration: the application writes (another session) while the migration runs, then
   * the migration changes the schema and fails. {@code atFailure} receives the rows at that moment.
   */
  MigrationRunner failing(boolean applicationWrites, Consumer<List<String>> atFailure) {
    return new MigrationRunner() {
      @Override
      public String describe() {
        return "a migration that fails";
      }

      @Override
      public String run(DatabaseTarget t, Consumer<String> output) {
        try {
          if (applicationWrites) {
            pg.sql(db, APPLICATION);
          }
          pg.sql(db, MIGRATION);
          atFailure.accept(rows(db));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        throw new DbguardException("MigrationFailed", "migration 2 failed: syntax error");
      }
    };
  }

  PipelineResult run(MigrationRunner m, OnDiscardedWrites policy) {
    return new MigrationPipeline(
            engine,
            target,
            new PipelineOptions()
                .backupDirectory(dir)
                .environment("test")
                .migration(m)
                .onDiscardedWrites(policy),
            e -> {})
        .run();
  }

  static TableWrites table(WritesAfterBackup w, String name) {
    return w.tables().stream().filter(t -> t.table().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aFailedMigrationNamesTheTablesWrittenAfterTheBackupAndTheFailedCopyThatKeepsThem()
      throws Exception {
    List<String> original = rows(db);
    PipelineResult r = run(failing(true, rows -> {}), OnDiscardedWrites.RESTORE);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.keptFailedAs()).startsWith(db + "_failed_");
    WritesAfterBackup w = r.writesAfterBackup();
    assertThat(w.status()).isEqualTo(Status.FOUND);
    assertThat(w.applicationTables()).containsExactly("public.orders");
    assertThat(w.failedCopy()).isEqualTo(r.keptFailedAs());
    assertThat(w.measuredOn()).isEqualTo(r.keptFailedAs());

    TableWrites orders = table(w, "public.orders");
    assertThat(orders.rowsAtBackup()).isEqualTo(3);
    assertThat(orders.rowsNow()).isEqualTo(4);
    assertThat(orders.insertedOrUpdated()).isEqualTo(3); // 2 inserts + 1 update, exactly
    assertThat(orders.backupRowsChangedOrDeleted()).isEqualTo(2); // 1 updated + 1 deleted
    assertThat(orders.deletedAtLeast()).isZero(); // the count grew: the delete hides behind it
    assertThat(orders.schemaChange()).isNull();
    // the migration's own changes are named as such, not blamed on the application
    assertThat(table(w, "public.coupons").schemaChange()).isEqualTo("created");
    assertThat(table(w, "public.customers").schemaChange()).isEqualTo("altered");
    assertThat(table(w, "public.schema_migrations").migrationHistory()).isTrue();
    assertThat(table(w, "public.schema_migrations").applicationWrites()).isFalse();
    assertThat(r.message()).contains("WRITES AFTER THE BACKUP in public.orders", r.keptFailedAs());
    assertThat(r.toStepResult().details())
        .containsEntry("writesAfterBackup", "found")
        .containsEntry("writesAfterBackupTables", "public.orders");

    // the printed command gets the application's rows out of the failed copy
    String extract = orders.extract();
    assertThat(extract).startsWith("pg_dump ").contains(r.keptFailedAs());
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", extract).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", target.password());
    if (pg.toolDir() != null) {
      pb.environment().put("PATH", pg.toolDir() + ":" + System.getenv("PATH"));
    }
    Process p = pb.start();
    String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(dump).isZero();
    assertThat(dump).contains("4101", "4102", "999");
    // and the live database is the backup again
    assertThat(rows(db)).isEqualTo(original);
  }

  @Test
  void haltLeavesTheDatabaseUntouchedRowForRowAndExits23() throws Exception {
    List<List<String>> atFailure = new ArrayList<>();
    PipelineResult r = run(failing(true, atFailure::add), OnDiscardedWrites.HALT);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.HALTED_WRITES_AFTER_BACKUP);
    assertThat(r.exitCode()).isEqualTo(ExitCode.WRITES_AFTER_BACKUP);
    assertThat(r.exitCode().code()).isEqualTo(23);
    assertThat(r.reason()).isEqualTo("WritesAfterBackup");
    assertThat(r.restoredFrom()).isFalse();
    assertThat(r.keptFailedAs()).isNull();
    assertThat(r.writesAfterBackup().applicationTables()).containsExactly("public.orders");
    assertThat(r.message())
        .contains(
            "MigrationFailed", "public.orders", "--on-discarded-writes Restore", "--manifest");
    assertThat(rows(db)).isEqualTo(atFailure.get(0));
    assertThat(engine.failedCopies()).isEmpty();
  }

  @Test
  void noWritesAfterTheBackupReportsNoneAndHaltStillRestores() throws Exception {
    List<String> original = rows(db);
    PipelineResult r = run(failing(false, rows -> {}), OnDiscardedWrites.HALT);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
    WritesAfterBackup w = r.writesAfterBackup();
    assertThat(w.status()).isEqualTo(Status.NONE);
    assertThat(w.applicationTables()).isEmpty();
    // only the migration's own changes are listed, marked as such
    assertThat(w.tables())
        .extracting(TableWrites::table)
        .containsExactly("public.coupons", "public.customers", "public.schema_migrations");
    assertThat(r.message()).contains("No writes after the backup were found");
    assertThat(rows(db)).isEqualTo(original);
  }

  @Test
  void aManifestWithoutAHorizonIsUnknownNeverNone() throws Exception {
    BackupManifest m =
        engine.backup(
            new BackupRequest(dir, db, "test", Instant.now(), null, 0), ProgressListener.NONE);
    assertThat(m.writeHorizon().method()).isEqualTo(WriteHorizon.POSTGRES_SNAPSHOT);
    assertThat(m.writeHorizon().snapshot()).matches("\\d+:\\d+:[\\d,]*");
    assertThat(m.writeHorizon().tables()).containsKeys("public.orders", "public.customers");

    WritesAfterBackup w = engine.writesAfterBackup(m.withWriteHorizon(null), null);
    assertThat(w.status()).isEqualTo(Status.UNKNOWN);
    assertThat(w.mayDiscard()).isTrue();
    assertThat(w.note()).contains("no write horizon");
    assertThat(engine.writesAfterBackup(m, null).status()).isEqualTo(Status.NONE);
  }

  @Test
  void aDatabaseRestoredSinceTheBackupIsUnknownNotEveryRowWrittenAfter() throws Exception {
    BackupManifest m =
        engine.backup(
            new BackupRequest(dir, db, "test", Instant.now(), null, 0), ProgressListener.NONE);
    assertThat(m.writeHorizon().databaseOid()).isNotNull();
    // the first restore of this backup creates the database again (swap): new OID, new xmins
    engine.restore(ManifestStore.backupFile(dir, m), m, ProgressListener.NONE);

    // a second restore of the same backup (a retried restore Job) measures the restored database
    WritesAfterBackup w = engine.writesAfterBackup(m, null);
    assertThat(w.status()).as(w.note()).isEqualTo(Status.UNKNOWN);
    assertThat(w.tables()).isEmpty();
    assertThat(w.note())
        .contains("created again after the backup", "OID " + m.writeHorizon().databaseOid());
    // the failed copy that restore kept is the database the backup was taken of: renamed, same OID
    String copy = engine.failedCopies().get(0);
    WritesAfterBackup onCopy = engine.writesAfterBackup(m, copy);
    assertThat(onCopy.status()).as(onCopy.note()).isEqualTo(Status.NONE);
  }

  @Test
  void aServerBehindTheBackupsTransactionCounterIsAnotherCluster() {
    WriteHorizon h = new WriteHorizon(WriteHorizon.POSTGRES_SNAPSHOT, "900:905:", Map.of(), 7L);
    assertThat(PgWritesAfterBackup.notTheBackedUpDatabase(h, 7L, 906)).isNull();
    assertThat(PgWritesAfterBackup.notTheBackedUpDatabase(h, 7L, 904))
        .contains("behind the backup's snapshot", "another cluster");
    assertThat(PgWritesAfterBackup.notTheBackedUpDatabase(h, 8L, 906)).contains("OID 7");
    // manifests from before the OID was recorded: only the counter is checked
    WriteHorizon old = new WriteHorizon(WriteHorizon.POSTGRES_SNAPSHOT, "900:905:", Map.of());
    assertThat(PgWritesAfterBackup.notTheBackedUpDatabase(old, 8L, 906)).isNull();
  }

  @Test
  void aTransactionOpenAcrossTheBackupCountsAsWrittenAfterIt() throws Exception {
    try (Connection open = pg.connect(db);
        Statement s = open.createStatement()) {
      open.setAutoCommit(false);
      s.execute("INSERT INTO orders (customer_id, total) VALUES (1, 5001)"); // top-level xid
      s.execute("SAVEPOINT sp");
      s.execute("INSERT INTO customers (email) VALUES ('sub@x.io')"); // a subtransaction's xid
      s.execute("RELEASE SAVEPOINT sp");
      // a later transaction completes before the backup: the snapshot's xmax moves past the
      // subtransaction's id, which the snapshot's in-progress list does not hold
      pg.sql(db, "INSERT INTO schema_migrations VALUES ('1b')");
      BackupManifest m =
          engine.backup(
              new BackupRequest(dir, db, "test", Instant.now(), null, 0), ProgressListener.NONE);
      open.commit();

      WritesAfterBackup w = engine.writesAfterBackup(m, null);
      assertThat(w.status()).isEqualTo(Status.FOUND);
      assertThat(table(w, "public.orders").insertedOrUpdated()).isEqualTo(1);
      // the subtransaction's id is not in the snapshot's list: the row counts catch it
      assertThat(table(w, "public.customers").insertedOrUpdated()).isEqualTo(1);
      assertThat(m.profile().tables().get("public.orders").rowCount()).isEqualTo(3);
    }
  }

  @Test
  void theWriteHorizonIsInTheManifestOnDisk() throws Exception {
    BackupManifest m =
        engine.backup(
            new BackupRequest(dir, db, "test", Instant.now(), null, 0), ProgressListener.NONE);
    BackupManifest read =
        io.dbguard.core.backup.ManifestStore.read(
            io.dbguard.core.backup.ManifestStore.manifestPath(dir, m.name()));
    assertThat(read.writeHorizon()).isEqualTo(m.writeHorizon());
    assertThat(read).isEqualTo(m);
    Map<String, WriteHorizon.Table> tables = read.writeHorizon().tables();
    assertThat(tables.get("public.orders").definition()).hasSize(64);
  }

  @Test
  void anInPlaceRestoreKeepsNoCopySoTheWritesAreReportedAsLost() throws Exception {
    engine =
        new PostgresEngine(
            target,
            PostgresOptions.defaults()
                .withToolDirectory(pg.toolDir())
                .withRestoreStrategy(PostgresOptions.RestoreStrategy.CLEAN_IN_PLACE));
    PipelineResult r = run(failing(true, rows -> {}), OnDiscardedWrites.RESTORE);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.keptFailedAs()).isNull();
    WritesAfterBackup w = r.writesAfterBackup();
    assertThat(w.status()).isEqualTo(Status.FOUND);
    assertThat(w.measuredOn()).isEqualTo(db); // counted before the restore: there is no copy
    assertThat(w.failedCopy()).isNull();
    assertThat(table(w, "public.orders").insertedOrUpdated()).isEqualTo(3);
    assertThat(r.warnings()).anySatisfy(x -> assertThat(x).contains("LOST", "public.orders"));
  }
}
