package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.testing.SqliteFixtures.connect;
import static io.dbguard.core.testing.SqliteFixtures.count;
import static io.dbguard.core.testing.SqliteFixtures.exec;
import static io.dbguard.core.testing.SqliteFixtures.request;
import static io.dbguard.core.testing.SqliteFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SQLite trap the engine handles (see SqliteEngine), against real files and the real driver.
 */
class SqliteEngineTest {
  @TempDir Path tmp;
  Path db;
  Path backups;
  SqliteEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    db = tmp.resolve("app.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    engine = new SqliteEngine(DatabaseTarget.sqlite(db));
  }

  @Test
  void backupIsVerifiedPrivateAndProfiled() throws Exception {
    shop(db, 300);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);

    Path file = backups.resolve(m.file());
    assertThat(m.name()).startsWith("shop_test_").doesNotContain(".");
    assertThat(file.getFileName().toString()).endsWith(".sqlite3");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(m.sizeBytes()).isEqualTo(Files.size(file));
    assertThat(m.sha256()).isEqualTo(Sha256.ofFile(file, "t", ProgressListener.NONE));
    assertThat(m.verifiedAt()).isNotNull();
    assertThat(m.profile().tables().get("customers").rowCount()).isEqualTo(300);
    assertThat(m.profile().tables().get("customers").nonNullCounts())
        .containsEntry("note", 100L)
        .containsEntry("email", 300L);
    assertThat(m.profile()).isEqualTo(engine.profile());
    assertThat(ManifestStore.read(ManifestStore.manifestPath(backups, m.name()))).isEqualTo(m);
    try (var files = Files.list(backups)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(m.file(), m.name() + ".manifest.json");
    }
    engine.verify(file, m, ProgressListener.NONE);
  }

  @Test
  void foreignKeyViolationsTheAppAlreadyHasAreBackedUpAndRestoredAsTheyAre() throws Exception {
    shop(db, 10);
    // the driver leaves foreign keys off unless the application enables them, as SQLite does
    exec(db, "INSERT INTO orders(customer_id, total_cents) VALUES (999, 1)");
    try (Connection c = connect(db);
        Statement s = c.createStatement();
        var rs = s.executeQuery("PRAGMA foreign_key_check")) {
      assertThat(rs.next()).as("the source really has a violation").isTrue();
    }

    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    engine.verify(backups.resolve(m.file()), m, ProgressListener.NONE);
    exec(db, "DELETE FROM orders");
    RestoreResult r = engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);

    assertThat(r.profileAfter()).isEqualTo(m.profile());
    assertThat(count(db, "orders")).isEqualTo(11);
  }

  @Test
  void hasUserTablesReadsOnlyTheCatalog() throws Exception {
    assertThat(engine.hasUserTables()).as("no file").isFalse();
    exec(db, "PRAGMA user_version = 2");
    assertThat(engine.exists()).isTrue();
    assertThat(engine.hasUserTables()).as("a file without tables").isFalse();
    exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY)");
    assertThat(engine.hasUserTables()).as("an empty table is a table").isTrue();
    assertThat(engine.profile().hasUserTables()).isTrue();
  }

  @Test
  void walOnlyCommittedDataIsCaptured() throws Exception {
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA wal_autocheckpoint=0");
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      for (int i = 0; i < 50; i++) {
        s.execute("INSERT INTO t(v) VALUES ('row " + i + "')");
      }
      // the data lives only in the WAL: the main file is just its header page
      assertThat(Files.size(Path.of(db + "-wal"))).isGreaterThan(Files.size(db));
      assertThat(Files.size(db)).isLessThanOrEqualTo(4096);

      BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);

      assertThat(m.profile().tables().get("t").rowCount()).isEqualTo(50);
      Path copy = backups.resolve(m.file());
      assertThat(Files.exists(Path.of(copy + "-wal"))).isFalse();
      assertThat(count(copy, "t")).isEqualTo(50);
    }
  }

  @Test
  void restoreBringsBackExactStateAndKeepsFailedStateForForensics() throws Exception {
    shop(db, 20);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    DataProfile before = engine.profile();
    exec(
        db,
        "CREATE TABLE extra (id INTEGER PRIMARY KEY)",
        "DELETE FROM orders WHERE id > 5",
        "ALTER TABLE customers ADD COLUMN phone TEXT");

    RestoreResult r = engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);

    assertThat(engine.profile()).isEqualTo(before);
    assertThat(r.profileAfter()).isEqualTo(before);
    assertThat(r.keptFailedAs()).isNotNull();
    Path failed = Path.of(r.keptFailedAs());
    assertThat(failed.getParent()).isEqualTo(db.getParent());
    assertThat(count(failed, "orders")).isEqualTo(5);
    assertThat(count(failed, "extra")).isZero();
    assertThat(Files.getPosixFilePermissions(failed))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void silentNoOpRestoreWhileAnotherConnectionWritesIsDetected() throws Exception {
    shop(db, 10);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    exec(db, "DELETE FROM orders");
    try (Connection writer = connect(db);
        Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.execute("INSERT INTO customers(email) VALUES ('late@example.com')");
      // the writer holds an open write transaction during the restore
      assertThatThrownBy(() -> engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE))
          .isInstanceOf(DbguardException.class)
          .satisfies(e -> assertThat(((DbguardException) e).reason()).isIn("RestoreNotVerified"))
          .hasMessageContaining("sqlite3 ")
          .hasMessageContaining(".restore");
      writer.rollback();
    }
    // with the writer gone, the same restore is verified
    engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);
    assertThat(count(db, "orders")).isEqualTo(10);
  }

  @Test
  void zeroedPagesFailIntegrityCheck() throws Exception {
    shop(db, 2000);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    Path file = backups.resolve(m.file());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(4096L * 2);
      raf.write(new byte[4096 * 3]);
    }
    // the manifest is rewritten to match, so only the integrity check can catch it
    BackupManifest forged =
        m.withSizeAndSha256(Files.size(file), Sha256.ofFile(file, "t", ProgressListener.NONE));
    assertThatThrownBy(() -> engine.verify(file, forged, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("integrity_check")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupCorrupt");
    DataProfile before = engine.profile();
    assertThatThrownBy(() -> engine.restore(file, forged, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class);
    assertThat(engine.profile()).isEqualTo(before);
  }

  @Test
  void truncatedBackupIsRefusedAndDatabaseUntouched() throws Exception {
    shop(db, 500);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    Path file = backups.resolve(m.file());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() / 2);
    }
    exec(db, "DELETE FROM orders WHERE id > 100");
    DataProfile before = engine.profile();

    assertThatThrownBy(() -> engine.restore(file, m, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("truncated")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupCorrupt");
    assertThat(engine.profile()).isEqualTo(before);
    try (var files = Files.list(tmp)) {
      assertThat(files.filter(p -> p.getFileName().toString().contains(".failed-"))).isEmpty();
    }
  }

  @Test
  void hashMismatchIsRefused() throws Exception {
    shop(db, 100);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    Path file = backups.resolve(m.file());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length() - 10);
      int b = raf.read();
      raf.seek(raf.length() - 10);
      raf.write(b ^ 0xff);
    }
    assertThatThrownBy(() -> engine.restore(file, m, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("SHA-256")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupCorrupt");
  }

  @Test
  void staleWalSidecarIsNotReplayedOverTheRestoredFile() throws Exception {
    shop(db, 30);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    DataProfile expected = m.profile();
    // produce a real, hot WAL of a different database state, then lose the main file
    Path other = tmp.resolve("other.db");
    Files.copy(backups.resolve(m.file()), other);
    Path staleWal;
    try (Connection c = connect(other);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA wal_autocheckpoint=0");
      s.execute("DELETE FROM orders");
      s.execute("DROP TABLE orders");
      staleWal = Path.of(other + "-wal");
      assertThat(Files.size(staleWal)).isPositive();
      Files.delete(db);
      Files.copy(staleWal, Path.of(db + "-wal"));
      Files.copy(Path.of(other + "-shm"), Path.of(db + "-shm"));
    }

    engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);

    assertThat(engine.profile()).isEqualTo(expected);
    assertThat(count(db, "orders")).isEqualTo(30);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("app.db-wal.stale-"));
    }
  }

  @Test
  void openIdleConnectionSeesRestoredPages() throws Exception {
    exec(db, "PRAGMA journal_mode=WAL");
    shop(db, 40);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    try (Connection app = connect(db);
        Statement s = app.createStatement()) {
      s.execute("DELETE FROM orders");
      engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);
      try (var rs = s.executeQuery("SELECT count(*) FROM orders")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(40);
      }
    }
  }

  @Test
  void historyVersionFromFlywayAndRails() throws Exception {
    exec(
        db,
        "CREATE TABLE schema_migrations (version varchar PRIMARY KEY)",
        "INSERT INTO schema_migrations VALUES ('20240101000000'), ('20250302101010'),"
            + " ('20241231235959')");
    assertThat(engine.profile().historyVersion()).isEqualTo("schema_migrations:20250302101010");
  }

  @Test
  void schemaFingerprintIgnoresWhitespaceButNotColumns() throws Exception {
    Path a = tmp.resolve("a.db");
    Path b = tmp.resolve("b.db");
    exec(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    exec(b, "CREATE TABLE t (id INTEGER PRIMARY KEY,\n    v TEXT)");
    String fa = new SqliteEngine(DatabaseTarget.sqlite(a)).profile().schemaFingerprint();
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(b)).profile().schemaFingerprint())
        .isEqualTo(fa);
    exec(b, "ALTER TABLE t ADD COLUMN w TEXT");
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(b)).profile().schemaFingerprint())
        .isNotEqualTo(fa);
  }

  @Test
  void missingBackupDirectoryIsAClearErrorAndLeavesNothing() throws Exception {
    shop(db, 5);
    assertThatThrownBy(
            () -> engine.backup(request(tmp.resolve("nope"), Instant.now()), ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("does not exist")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupFailed");
  }

  @Test
  void manualRestoreCommandIsRunnable() {
    assertThat(engine.manualRestoreCommand(Path.of("/b/x y.sqlite3")))
        .isEqualTo("sqlite3 " + db + " '.restore \"/b/x y.sqlite3\"'");
  }
}
