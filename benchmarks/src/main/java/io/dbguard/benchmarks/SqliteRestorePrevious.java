package io.dbguard.benchmarks;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.sqlite.SQLiteConnection;

/**
 * The SQLite restore as dbguard did it before issue 15's work on it, step by step and timed, so the
 * benchmark can set the old and the new restore side by side in one run: SHA-256 of the backup,
 * {@code integrity_check} of the backup (read-only, immutable, memory-mapped), the failed state
 * copied with the backup API, the backup page-copied into the live file with the backup API, {@code
 * wal_checkpoint(TRUNCATE)}, then {@code integrity_check} and the profile of the restored file on
 * one connection, one after the other. Not a test and not product code.
 */
final class SqliteRestorePrevious {
  private static final int PAGES_PER_STEP = 16_384;

  private SqliteRestorePrevious() {}

  /**
   * Restores {@code backup} into {@code db} as the previous code did.
   *
   * @return seconds per step, in order
   * @throws IllegalStateException when any step fails or the result differs from the manifest
   */
  static Map<String, Double> restore(Path db, Path backup, BackupManifest m, Path failed)
      throws Exception {
    Map<String, Double> steps = new LinkedHashMap<>();
    long t = System.nanoTime();
    String sha = Sha256.ofFile(backup, "verify", ProgressListener.NONE);
    if (!sha.equals(m.sha256())) {
      throw new IllegalStateException("SHA-256 differs");
    }
    t = lap(steps, "sha256 backup", t);
    Properties ro = new Properties();
    ro.setProperty("open_mode", "1");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:sqlite:file:" + backup.toAbsolutePath().toUri().getRawPath() + "?immutable=1",
                ro);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA mmap_size=" + (16L << 30));
      s.execute("PRAGMA cache_size=-262144");
      integrity(s);
    }
    t = lap(steps, "integrity backup", t);
    try (Connection c = open(db)) {
      int rc =
          ((SQLiteConnection) c)
              .getDatabase()
              .backup("main", failed.toString(), null, 100, 50, PAGES_PER_STEP);
      check(rc);
    }
    t = lap(steps, "failed copy (backup API)", t);
    try (Connection c = open(db)) {
      int rc =
          ((SQLiteConnection) c)
              .getDatabase()
              .restore("main", backup.toString(), null, 100, 50, PAGES_PER_STEP);
      check(rc);
      t = lap(steps, "restore (backup API)", t);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      t = lap(steps, "checkpoint", t);
    }
    try (Connection c = open(db);
        Statement s = c.createStatement()) {
      integrity(s);
      t = lap(steps, "integrity result", t);
      DataProfile after =
          new SqliteEngine(io.dbguard.core.engine.DatabaseTarget.sqlite(db))
              .profile(m.profile().hasContentChecksums());
      if (!after.tables().equals(m.profile().tables())) {
        throw new IllegalStateException("profile differs");
      }
      lap(steps, "profile result", t);
    }
    return steps;
  }

  private static Connection open(Path db) throws Exception {
    Properties p = new Properties();
    p.setProperty("busy_timeout", "5000");
    return DriverManager.getConnection("jdbc:sqlite:" + db, p);
  }

  private static void integrity(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      if (!rs.next() || !"ok".equals(rs.getString(1)) || rs.next()) {
        throw new IllegalStateException("integrity_check not ok");
      }
    }
  }

  private static void check(int rc) {
    if (rc != 0) {
      throw new IllegalStateException("SQLite result code " + rc);
    }
  }

  private static long lap(Map<String, Double> steps, String name, long t0) {
    long now = System.nanoTime();
    steps.put(name, (now - t0) / 1e9);
    return now;
  }
}
