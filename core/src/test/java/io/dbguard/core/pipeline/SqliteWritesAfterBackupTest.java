package io.dbguard.core.pipeline;

import static io.dbguard.core.testing.SqliteFixtures.exec;
import static io.dbguard.core.testing.SqliteFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.WriteHorizon;
import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.engine.WritesAfterBackup.Status;
import io.dbguard.core.engine.WritesAfterBackup.TableWrites;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.testing.SqliteFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes after the backup on real SQLite files through the real pipeline: the failed migration's
 * result names the tables the application wrote and the failed copy that keeps them; {@code Halt}
 * leaves the file untouched row for row; none; unknown without a horizon; the SQLite limit (an
 * UPDATE in place is not seen) holds as documented.
 */
class SqliteWritesAfterBackupTest {
  @TempDir Path tmp;
  Path db;
  Path backups;
  DatabaseTarget target;
  SqliteEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    db = tmp.resolve("shop.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    target = DatabaseTarget.sqlite(db);
    engine = new SqliteEngine(target);
    shop(db, 5);
    exec(
        db,
        "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY)",
        "INSERT INTO schema_migrations VALUES ('1')",
        "CREATE TABLE settings (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID",
        "INSERT INTO settings VALUES ('a', '1')");
  }

  List<String> rows() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = SqliteFixtures.connect(db);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                  + " ORDER BY 1")) {
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

  /** The application writes orders and a setting; the migration adds a table and a column. */
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
            exec(
                db,
                "INSERT INTO orders(customer_id, total_cents) VALUES (1, 7001), (2, 7002)",
                "DELETE FROM orders WHERE id = 3",
                "INSERT INTO settings VALUES ('b', '2')");
          }
          exec(
              db,
              "CREATE TABLE coupons (id INTEGER PRIMARY KEY, code TEXT)",
              "INSERT INTO coupons(code) VALUES ('WELCOME')",
              "ALTER TABLE customers ADD COLUMN tier TEXT",
              "INSERT INTO schema_migrations VALUES ('2')");
          atFailure.accept(rows());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        throw new DbguardException("MigrationFailed", "migration 2 failed");
      }
    };
  }

  PipelineResult run(MigrationRunner m, OnDiscardedWrites policy) {
    return new MigrationPipeline(
            engine,
            target,
            new PipelineOptions()
                .backupDirectory(backups)
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
  void aFailedMigrationNamesTheTablesAndTheFailedCopy() throws Exception {
    List<String> original = rows();
    PipelineResult r = run(failing(true, rows -> {}), OnDiscardedWrites.RESTORE);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.keptFailedAs()).contains("shop.db.failed-");
    WritesAfterBackup w = r.writesAfterBackup();
    assertThat(w.status()).isEqualTo(Status.FOUND);
    assertThat(w.failedCopy()).isEqualTo(r.keptFailedAs());
    assertThat(w.applicationTables()).containsExactly("orders", "settings");
    TableWrites orders = table(w, "orders");
    assertThat(orders.insertedAtLeast()).isEqualTo(2);
    assertThat(orders.deletedAtLeast()).isEqualTo(1);
    assertThat(orders.rowsAtBackup()).isEqualTo(5);
    assertThat(orders.rowsNow()).isEqualTo(6);
    assertThat(orders.insertedOrUpdated()).isNull(); // SQLite cannot know updates
    assertThat(orders.extract())
        .isEqualTo("sqlite3 -readonly " + r.keptFailedAs() + " '.dump \"orders\"'");
    TableWrites settings = table(w, "settings"); // WITHOUT ROWID: counts only
    assertThat(settings.insertedAtLeast()).isEqualTo(1);
    assertThat(table(w, "coupons").schemaChange()).isEqualTo("created");
    assertThat(table(w, "customers").schemaChange()).isEqualTo("altered");
    assertThat(table(w, "schema_migrations").applicationWrites()).isFalse();
    assertThat(r.message())
        .contains("WRITES AFTER THE BACKUP in orders, settings", r.keptFailedAs());
    assertThat(r.toStepResult().writesAfterBackup()).isEqualTo(w);
    assertThat(rows()).isEqualTo(original);
  }

  @Test
  void haltLeavesTheFileUntouchedRowForRow() throws Exception {
    List<List<String>> atFailure = new ArrayList<>();
    PipelineResult r = run(failing(true, atFailure::add), OnDiscardedWrites.HALT);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.HALTED_WRITES_AFTER_BACKUP);
    assertThat(r.exitCode()).isEqualTo(ExitCode.WRITES_AFTER_BACKUP);
    assertThat(r.toStepResult().reason()).isEqualTo("WritesAfterBackup");
    assertThat(r.toStepResult().exitCode()).isEqualTo(23);
    assertThat(r.restoredFrom()).isFalse();
    assertThat(rows()).isEqualTo(atFailure.get(0));
    assertThat(engine.failedCopies()).isEmpty();
  }

  @Test
  void noWritesReportsNone() throws Exception {
    PipelineResult r = run(failing(false, rows -> {}), OnDiscardedWrites.HALT);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.writesAfterBackup().status()).isEqualTo(Status.NONE);
    assertThat(r.toStepResult().details()).containsEntry("writesAfterBackup", "none");
  }

  @Test
  void horizonUnknownAndTheUpdateInPlaceLimit() throws Exception {
    BackupManifest m =
        engine.backup(SqliteFixtures.request(backups, Instant.now()), ProgressListener.NONE);
    assertThat(m.writeHorizon().method()).isEqualTo(WriteHorizon.SQLITE_ROWIDS);
    assertThat(m.writeHorizon().tables().get("orders").maxRowid()).isEqualTo(5);
    assertThat(m.writeHorizon().tables().get("settings").maxRowid()).isNull();

    assertThat(engine.writesAfterBackup(m.withWriteHorizon(null), null).status())
        .isEqualTo(Status.UNKNOWN);
    // documented limit: an UPDATE in place leaves counts and rowids as they were
    exec(db, "UPDATE orders SET total_cents = 1 WHERE id = 1");
    WritesAfterBackup w = engine.writesAfterBackup(m, null);
    assertThat(w.status()).isEqualTo(Status.NONE);
    assertThat(w.note()).contains("UPDATE in place is not seen");
  }
}
