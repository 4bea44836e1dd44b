package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteFiles.pragmaInt;

import io.dbguard.core.engine.DiskSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a SQLite backup and restore write at their peak, checked with {@link DiskSpace} before
 * either starts. Sizes are {@code page_count x page_size} ("Pragma statements", sqlite.org): the
 * logical size the backup API copies, including committed pages still in the {@code -wal}.
 */
final class SqliteDiskSpace {
  private SqliteDiskSpace() {}

  /**
   * Before a backup: the backup directory must hold one copy of the database ({@code page_count x
   * page_size}) plus {@link DiskSpace#margin}.
   *
   * @throws io.dbguard.core.engine.DbguardException {@code InsufficientSpace}
   */
  static void requireRoomForBackup(Path db, Path backupDir) throws SQLException {
    long size = logicalSize(db);
    DiskSpace.require(
        backupDir,
        size + DiskSpace.margin(size),
        "the backup of " + db + " (page_count x page_size = " + size + " bytes)",
        "delete old backups with `dbguard backups prune` (or give the backup volume more room),"
            + " then run again");
  }

  /**
   * Before a restore of a {@code backupBytes} copy over {@code db}, on {@code db}'s file system:
   *
   * <ul>
   *   <li>the failed copy the restore keeps: the current logical size;
   *   <li>growth of the live file when the backup is larger than it: {@code backupBytes - current};
   *   <li>the journal the restore writes into: a rollback journal holds the original of every page
   *       overwritten (at most the current size), a WAL every page written (the backup's size);
   *       {@code backupBytes} is allowed. Measured on 210 MB (docs/benchmarks.md): the peak above
   *       the database before the restore was 2.01x its size in both journal modes;
   *   <li>{@link DiskSpace#margin} of the sum.
   * </ul>
   *
   * @throws io.dbguard.core.engine.DbguardException {@code InsufficientSpace}
   */
  static void requireRoomForRestore(Path db, long backupBytes) {
    long current = Files.isRegularFile(db) ? currentSize(db) : 0;
    long needed = current + Math.max(0, backupBytes - current) + backupBytes;
    needed += DiskSpace.margin(needed);
    Path dir = db.toAbsolutePath().getParent();
    DiskSpace.require(
        dir,
        needed,
        "the restore of "
            + db
            + " (failed copy "
            + current
            + " bytes + restored database and its journal up to 2 x "
            + backupBytes
            + " bytes)",
        "delete older failed copies of this database ("
            + db.getFileName()
            + ".failed-*; `dbguard backups prune --backup-dir DIR --keep-failed-copies 1` with"
            + " this DATABASE_URL keeps only the newest) or other files on that volume, or grow"
            + " the volume, then run `dbguard restore` again");
  }

  /** The logical size, or the bytes of the file and its {@code -wal} when SQLite cannot open it. */
  private static long currentSize(Path db) {
    try {
      return logicalSize(db);
    } catch (SQLException e) {
      long n = 0;
      for (Path p : new Path[] {db, Path.of(db + "-wal")}) {
        try {
          n += Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (java.io.IOException io) {
          // counted as 0: the restore itself reports the unreadable file
        }
      }
      return n;
    }
  }

  private static long logicalSize(Path db) throws SQLException {
    try (Connection c = open(db, false)) {
      return (long) pragmaInt(c, "page_count") * pragmaInt(c, "page_size");
    }
  }
}
