package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.PAGES_PER_STEP;
import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteFiles.resultCode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.sqlite.SQLiteConnection;

/**
 * Copies the live database's current (failed) state into a failed copy before a restore replaces
 * it. Part of {@link SqliteRestore}.
 *
 * <ul>
 *   <li><b>Rollback-journal database</b> (every journal mode but WAL): a connection opens a read
 *       transaction and reads the schema, which takes SQLite's SHARED lock on the file (and rolls
 *       back a hot journal a crashed writer left, so the file holds only committed data). While any
 *       connection holds SHARED no writer can change the file: a writer needs EXCLUSIVE to write
 *       it, even to spill its cache (sqlite.org, "File Locking And Concurrency In SQLite Version
 *       3"). The file's bytes are then copied by the kernel ({@link FileChannel#transferTo}),
 *       synced, and the lock released. The copy is byte for byte the live file.
 *   <li><b>WAL database</b>: committed pages may still be in the {@code -wal} only, so the copy is
 *       taken with the backup API as before (it reads through the WAL).
 * </ul>
 */
final class SqliteFailedState {
  private SqliteFailedState() {}

  /**
   * Fills {@code failed} (an empty file dbguard created, mode 0600) with the live database's
   * committed state and syncs it.
   *
   * @param live the live database file (exists)
   * @throws SQLException when the database cannot be locked or read (e.g. SQLITE_BUSY after the
   *     busy timeout while another connection holds an exclusive lock)
   * @throws IOException when the copy cannot be written (e.g. the disk is full)
   */
  static void copy(Path live, Path failed) throws SQLException, IOException {
    try (Connection c = open(live, false)) {
      if (isWal(c)) {
        int rc =
            ((SQLiteConnection) c)
                .getDatabase()
                .backup("main", failed.toString(), null, 100, 50, PAGES_PER_STEP);
        if (rc != 0) {
          throw new SQLException(resultCode("backup of the failed state", rc));
        }
        return;
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
        rs.next(); // SHARED lock held until the rollback below
      }
      copyBytes(live, failed);
      c.rollback();
    }
  }

  private static boolean isWal(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      return rs.next() && "wal".equals(rs.getString(1).toLowerCase(Locale.ROOT));
    }
  }

  private static void copyBytes(Path from, Path to) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE)) {
      long size = in.size();
      long done = 0;
      while (done < size) {
        long n = in.transferTo(done, size - done, out);
        if (n <= 0) {
          throw new IOException("copy of " + from + " stopped at byte " + done + " of " + size);
        }
        done += n;
      }
      out.force(true);
    }
  }
}
