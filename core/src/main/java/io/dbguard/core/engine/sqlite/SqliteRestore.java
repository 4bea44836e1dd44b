package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.PAGES_PER_STEP;
import static io.dbguard.core.engine.sqlite.SqliteFiles.SIDECARS;
import static io.dbguard.core.engine.sqlite.SqliteFiles.STAMP;
import static io.dbguard.core.engine.sqlite.SqliteFiles.describe;
import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteFiles.resultCode;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.sqlite.SQLiteConnection;

/**
 * Restores a SQLite backup into the live file with the backup API, keeping the failed state as a
 * failed copy, then re-verifies; also sets a failed new database aside. Part of {@link
 * SqliteEngine}; see {@link SqliteEngine#restore}.
 */
final class SqliteRestore {
  private final SqliteEngine engine;
  private final SqliteFailedCopies failedCopies;
  private final Path file;

  SqliteRestore(SqliteEngine engine, SqliteFailedCopies failedCopies) {
    this.engine = engine;
    this.failedCopies = failedCopies;
    this.file = engine.file();
  }

  // ---------------------------------------------------------------- restore

  RestoreResult restore(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    return restore(backupFile, manifest, progress, false);
  }

  /**
   * As {@link #restore(Path, BackupManifest, ProgressListener)}; with {@code sourceChecked} the
   * source's SHA-256 and {@code integrity_check} are not computed again: the caller has just read
   * and checked that very file (a snapshot copy on a volume only this process uses) and built
   * {@code manifest} from it, so a second pass would compare the file with itself.
   */
  RestoreResult restore(
      Path backupFile, BackupManifest manifest, ProgressListener progress, boolean sourceChecked) {
    long t0 = System.nanoTime();
    // room for the failed copy and the restored database, before anything is read or written
    SqliteDiskSpace.requireRoomForRestore(file, manifest.sizeBytes());
    SqliteBackupCheck.requireSize(backupFile, manifest);
    String keptFailedAs =
        keepFailedStateWhileCheckingBackup(backupFile, manifest, progress, sourceChecked);
    try {
      if (keptFailedAs == null) {
        moveStaleSidecarsAside();
      }
      copyIn(backupFile, manifest.sizeBytes(), progress);
    } catch (SQLException | IOException e) {
      throw new DbguardException(
          "RestoreFailed",
          "restore of "
              + file
              + " from "
              + backupFile
              + " failed: "
              + describe(e)
              + (keptFailedAs == null ? "" : "; the failed state is kept in " + keptFailedAs)
              + ". Restore by hand with the application stopped: "
              + engine.manualRestoreCommand(backupFile),
          e);
    }
    DataProfile after =
        SqliteRestoreCheck.verifyRestored(engine, backupFile, manifest, keptFailedAs);
    return new RestoreResult(after, keptFailedAs, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Copies the live database's state into a new failed copy on this thread while two others read
   * the backup, one for its SHA-256 and one for {@code integrity_check}: the copy only reads the
   * live file, so nothing is touched before both are known good. When the backup is refused, or the
   * copy cannot be made, the copy dbguard just created is deleted again and the live database is as
   * it was. A SHA-256 mismatch is reported before an integrity problem (it says more).
   *
   * @param sourceChecked the caller has already hashed and checked the backup: only the copy runs
   * @return the failed copy's path, or null when there is no database file
   * @throws DbguardException {@code BackupCorrupt} (checked first) or {@code RestoreFailed}
   */
  private String keepFailedStateWhileCheckingBackup(
      Path backupFile, BackupManifest manifest, ProgressListener progress, boolean sourceChecked) {
    FutureTask<Void> hash =
        sourceChecked
            ? done()
            : start(
                "dbguard-sqlite-backup-sha256",
                () -> SqliteBackupCheck.requireHash(backupFile, manifest, progress));
    FutureTask<Void> intact =
        sourceChecked
            ? done()
            : start(
                "dbguard-sqlite-backup-check", () -> SqliteBackupCheck.requireIntact(backupFile));
    Path failed = null;
    Exception copyError = null;
    try {
      if (engine.exists()) {
        failed = failedCopies.createFailedCopyFile();
        SqliteFailedState.copy(file, failed);
      }
    } catch (SQLException | IOException | RuntimeException e) {
      copyError = e;
    }
    DbguardException refused = await(hash, backupFile);
    if (refused == null) {
      refused = await(intact, backupFile);
    } else {
      intact.cancel(true);
    }
    if (refused == null && copyError == null) {
      return failed == null ? null : failed.toString();
    }
    if (failed != null) {
      SqliteFiles.deleteQuietly(failed); // dbguard's own file, incomplete or no longer needed
    }
    if (refused != null) {
      throw refused;
    }
    throw new DbguardException(
        "RestoreFailed",
        "cannot keep the failed state of "
            + file
            + " before restoring: "
            + describe(copyError)
            + ". The database was not touched. Restore by hand with the application stopped: "
            + engine.manualRestoreCommand(backupFile),
        copyError);
  }

  /** A check that has already passed. */
  private static FutureTask<Void> done() {
    FutureTask<Void> task = new FutureTask<>(() -> {}, null);
    task.run();
    return task;
  }

  /** Runs {@code work} on a new daemon thread. */
  private static FutureTask<Void> start(String name, Runnable work) {
    FutureTask<Void> task = new FutureTask<>(work, null);
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return task;
  }

  /** Waits for a backup check: null when it passed, else why not. */
  private static DbguardException await(FutureTask<Void> check, Path backupFile) {
    try {
      check.get();
      return null;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DbguardException d) {
        return d;
      }
      return new DbguardException(
          "BackupCorrupt",
          "cannot check backup file " + backupFile + ": " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      check.cancel(true);
      Thread.currentThread().interrupt();
      return new DbguardException(
          "RestoreFailed",
          "interrupted while checking backup file " + backupFile + "; the database was not touched",
          e);
    }
  }

  /**
   * Page-copies the backup into the live file with the backup API in one write transaction on the
   * destination (readers see the old database or the whole restored one, never a part; an
   * interruption rolls back through the journal or leaves uncommitted WAL frames), then folds the
   * WAL back into the file.
   */
  private void copyIn(Path backupFile, long total, ProgressListener progress) throws SQLException {
    try (Connection c = open(file, true)) {
      int rc =
          ((SQLiteConnection) c)
              .getDatabase()
              .restore(
                  "main",
                  backupFile.toString(),
                  (remaining, pageCount) ->
                      progress.progress(
                          "restore",
                          total * (pageCount - remaining) / Math.max(1, pageCount),
                          total),
                  100,
                  50,
                  PAGES_PER_STEP);
      if (rc != 0) {
        throw new SQLException(resultCode("restore", rc));
      }
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    }
  }

  /**
   * With no database file, a leftover {@code -wal} would be replayed over the restored file (its
   * frames are validated by the WAL's own salt, not against the main file). Move such orphans aside
   * (never delete them: they may be someone's only copy).
   */
  private void moveStaleSidecarsAside() throws IOException {
    String stamp = STAMP.format(Instant.now());
    for (String suffix : SIDECARS) {
      Path side = Path.of(file + suffix);
      if (Files.exists(side)) {
        Files.move(side, Path.of(file + suffix + ".stale-" + stamp));
      }
    }
  }

  /**
   * Renames the database file to {@code <db>.failed-<UTC stamp>} (the name a restore gives the
   * failed state, with {@code -2}, {@code -3}, … when taken, so failed-copy retention counts it)
   * and its {@code -wal}/{@code -shm}/{@code -journal} sidecars to the same name plus their suffix,
   * so SQLite still pairs them when someone opens the kept copy. Nothing is deleted.
   */
  String setAsideNew() {
    if (!Files.exists(file)) {
      return null;
    }
    Path kept = failedCopies.freeFailedCopyName();
    try {
      for (String suffix : SIDECARS) {
        Path side = Path.of(file + suffix);
        if (Files.exists(side)) {
          Files.move(side, Path.of(kept + suffix));
        }
      }
      Files.move(file, kept);
      return kept.toString();
    } catch (IOException e) {
      throw new DbguardException(
          "RestoreFailed",
          "cannot move the partially migrated new database "
              + file
              + " aside: "
              + describe(e)
              + ". Move it away by hand (with its -wal/-shm files) before the next attempt.",
          e);
    }
  }
}
