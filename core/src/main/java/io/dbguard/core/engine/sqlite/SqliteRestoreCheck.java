package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.MMAP_BYTES;
import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.checkIntegrity;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.compare;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.profile;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DbguardException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Verifies a restored SQLite database: {@code PRAGMA integrity_check} and the profile compared with
 * the manifest, each on its own connection and thread, both reading the restored file through a
 * memory map (the two full passes share the operating system's page cache instead of each going
 * through SQLite's 2 MiB default cache). Part of {@link SqliteRestore}.
 */
final class SqliteRestoreCheck {
  private SqliteRestoreCheck() {}

  /**
   * The restored database's profile, after {@code integrity_check} answered {@code ok} and the
   * profile equalled the manifest's.
   *
   * @param keptFailed the failed copy the restore kept, or null (named in the message)
   * @throws DbguardException reason {@code RestoreNotVerified} naming the first problem (an
   *     integrity problem before a profile difference)
   */
  static DataProfile verifyRestored(
      SqliteEngine engine, Path backupFile, BackupManifest manifest, String keptFailed) {
    Path file = engine.file();
    FutureTask<Void> integrity =
        new FutureTask<>(
            () -> {
              try (Connection c = openMapped(file)) {
                checkIntegrity(c, file);
              }
              return null;
            });
    Thread checker = new Thread(integrity, "dbguard-sqlite-integrity-check");
    checker.setDaemon(true);
    checker.start();
    String problem;
    DataProfile after = null;
    try (Connection c = openMapped(file)) {
      after = profile(c, manifest.profile().hasContentChecksums());
      problem = compare(manifest.profile(), after);
    } catch (SQLException | DbguardException e) {
      problem = "cannot read the restored database: " + e.getMessage();
    }
    String integrityProblem = await(integrity);
    if (integrityProblem != null) {
      problem = integrityProblem;
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

  private static String await(FutureTask<Void> integrity) {
    try {
      integrity.get();
      return null;
    } catch (ExecutionException e) {
      return "cannot read the restored database: " + e.getCause().getMessage();
    } catch (InterruptedException e) {
      integrity.cancel(true);
      Thread.currentThread().interrupt();
      return "interrupted before integrity_check of the restored database finished";
    }
  }

  /** A connection to the live file that reads it through a memory map. */
  private static Connection openMapped(Path file) throws SQLException {
    Connection c = open(file, false);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
