package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.PAGES_PER_STEP;
import static io.dbguard.core.engine.sqlite.SqliteFiles.SIDECARS;
import static io.dbguard.core.engine.sqlite.SqliteFiles.STAMP;
import static io.dbguard.core.engine.sqlite.SqliteFiles.describe;
import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteFiles.resultCode;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.checkIntegrity;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.compare;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.profile;

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
    long t0 = System.nanoTime();
    // room for the failed copy and the restored database, before anything is read or written
    SqliteDiskSpace.requireRoomForRestore(file, manifest.sizeBytes());
    SqliteBackupCheck.verify(backupFile, manifest, progress);
    String keptFailedAs = null;
    try {
      if (engine.exists()) {
        Path failed = failedCopies.createFailedCopyFile();
        try (Connection c = open(file, false)) {
          int rc =
              ((SQLiteConnection) c)
                  .getDatabase()
                  .backup("main", failed.toString(), null, 100, 50, PAGES_PER_STEP);
          if (rc != 0) {
            throw new SQLException(resultCode("backup of the failed state", rc));
          }
        }
        keptFailedAs = failed.toString();
      } else {
        moveStaleSidecarsAside();
      }
      try (Connection c = open(file, true)) {
        long total = manifest.sizeBytes();
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
    DataProfile after = verifyRestored(backupFile, manifest, keptFailedAs);
    return new RestoreResult(after, keptFailedAs, (System.nanoTime() - t0) / 1_000_000);
  }

  private DataProfile verifyRestored(Path backupFile, BackupManifest manifest, String keptFailed) {
    String problem;
    DataProfile after = null;
    try (Connection c = open(file, false)) {
      checkIntegrity(c, file);
      after = profile(c, manifest.profile().hasContentChecksums());
      problem = compare(manifest.profile(), after);
    } catch (SQLException | DbguardException e) {
      problem = "cannot read the restored database: " + e.getMessage();
    }
    if (problem != null) {
      throw new DbguardException(
          "RestoreNotVerified",
          "the restore of "
              + file
              + " reported success but the database does not match backup "
              + manifest.name()
              + ": "
              + problem
              + ". Another connection probably held a write transaction; stop every writer"
              + " (scale the application to 0) and restore by hand: "
              + engine.manualRestoreCommand(backupFile)
              + (keptFailed == null ? "" : " (failed state kept in " + keptFailed + ")"));
    }
    return after;
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
