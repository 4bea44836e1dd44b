package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.testing.SqliteFixtures.connect;
import static io.dbguard.core.testing.SqliteFixtures.count;
import static io.dbguard.core.testing.SqliteFixtures.exec;
import static io.dbguard.core.testing.SqliteFixtures.request;
import static io.dbguard.core.testing.SqliteFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paths of the SQLite restore that keep the failed state and check the backup side by side
 * ({@link SqliteRestore}, {@link SqliteFailedState}): what is kept, and that a refused backup or a
 * failed copy leaves the live database and its directory as they were.
 */
class SqliteRestorePathsTest {
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

  private String sha(Path p) throws Exception {
    return Sha256.ofFile(p, "t", ProgressListener.NONE);
  }

  @Test
  void aRestoreFromASnapshotCopyHashesTheCopyOnceAndBringsItBack() throws Exception {
    shop(db, 300);
    Path copy = Files.createDirectory(tmp.resolve("copy")).resolve("app.db");
    Files.copy(db, copy);
    exec(db, "DELETE FROM orders WHERE id > 50", "CREATE TABLE after_copy (id INTEGER)");
    long size = Files.size(copy);
    java.util.concurrent.atomic.AtomicInteger wholeCopyHashed =
        new java.util.concurrent.atomic.AtomicInteger();
    ProgressListener counting =
        (phase, done, total) -> {
          if (phase.equals("verify") && total == size && done == total) {
            wholeCopyHashed.incrementAndGet();
          }
        };

    RestoreResult r = engine.restoreFromCopy(copy, counting);

    assertThat(wholeCopyHashed).as("the copy is read for its SHA-256 once").hasValue(1);
    assertThat(count(db, "orders")).isEqualTo(count(copy, "orders"));
    assertThat(count(Path.of(r.keptFailedAs()), "orders")).as("the failed state").isEqualTo(50);
    assertThat(engine.profile()).isEqualTo(r.profileAfter());
  }

  @Test
  void failedCopyOfARollbackJournalDatabaseIsTheLiveFileByteForByte() throws Exception {
    shop(db, 400);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    exec(db, "DELETE FROM orders WHERE id > 50", "CREATE TABLE after_backup (id INTEGER)");
    String live = sha(db);

    RestoreResult r = engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);

    assertThat(sha(Path.of(r.keptFailedAs()))).isEqualTo(live);
    assertThat(engine.profile()).isEqualTo(m.profile());
  }

  @Test
  void failedCopyOfAWalDatabaseHoldsTheCommitsThatAreOnlyInTheWal() throws Exception {
    shop(db, 100);
    exec(db, "PRAGMA journal_mode=WAL");
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    try (Connection app = connect(db);
        Statement s = app.createStatement()) {
      s.execute("PRAGMA wal_autocheckpoint=0");
      s.execute("DELETE FROM orders WHERE id > 10");
      s.execute("CREATE TABLE after_backup (id INTEGER)");
      // the open connection keeps the WAL: the main file still holds 100 orders
      assertThat(Files.size(Path.of(db + "-wal"))).isPositive();

      RestoreResult r = engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);

      Path failed = Path.of(r.keptFailedAs());
      assertThat(count(failed, "orders")).isEqualTo(10);
      assertThat(count(failed, "after_backup")).isZero();
      assertThat(engine.profile()).isEqualTo(m.profile());
    }
  }

  @Test
  void backupWithAFlippedByteIsRefusedAndTheFailedCopyMadeMeanwhileIsGone() throws Exception {
    shop(db, 500);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    Path file = backups.resolve(m.file());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length() / 2);
      int b = raf.read();
      raf.seek(raf.length() / 2);
      raf.write(b ^ 0x01);
    }
    exec(db, "DELETE FROM orders WHERE id > 100");
    String live = sha(db);

    assertThatThrownBy(() -> engine.restore(file, m, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("SHA-256")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupCorrupt");

    assertThat(sha(db)).isEqualTo(live);
    assertThat(engine.failedCopies()).isEmpty();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("app.db", "backups");
    }
  }

  @Test
  void backupThatFailsIntegrityUnderARewrittenHashIsRefusedBeforeTheLiveFileIsTouched()
      throws Exception {
    shop(db, 2000);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    Path file = backups.resolve(m.file());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(4096L * 2);
      raf.write(new byte[4096 * 3]);
    }
    BackupManifest forged =
        m.withSizeAndSha256(Files.size(file), Sha256.ofFile(file, "t", ProgressListener.NONE));
    exec(db, "DELETE FROM orders WHERE id > 100");
    String live = sha(db);

    assertThatThrownBy(() -> engine.restore(file, forged, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("integrity_check")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupCorrupt");

    assertThat(sha(db)).isEqualTo(live);
    assertThat(engine.failedCopies()).isEmpty();
  }

  @Test
  void aConnectionHoldingAnExclusiveLockStopsTheRestoreBeforeItTouchesAnything() throws Exception {
    shop(db, 200);
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    exec(db, "DELETE FROM orders WHERE id > 20");
    String live = sha(db);
    try (Connection writer = connect(db);
        Statement s = writer.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      s.execute("DELETE FROM orders WHERE id > 10");

      assertThatThrownBy(() -> engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("cannot keep the failed state")
          .hasMessageContaining("The database was not touched")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("RestoreFailed");

      s.execute("ROLLBACK");
    }
    assertThat(sha(db)).isEqualTo(live);
    assertThat(count(db, "orders")).isEqualTo(20);
    // no empty or partial failed copy left behind to be mistaken for the failed state
    assertThat(engine.failedCopies()).isEmpty();
  }

  @Test
  void theRestoreChecksTheWholeBackupItselfSoTheCliDoesNotReadItTwice() {
    assertThat(engine.restoreChecksArchive()).isTrue();
  }
}
