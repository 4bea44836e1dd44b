package io.dbguard.core.backup;

import io.dbguard.core.engine.DbguardException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks a backup directory and says exactly what is wrong with it: missing, a file (or something
 * else) instead of a directory, not writable. Used before anything is read from or written to it.
 */
public final class BackupDirectory {
  private BackupDirectory() {}

  /**
   * For commands that write backups ({@code backup}, {@code run}).
   *
   * @throws DbguardException reason {@code BackupFailed} (exit 10) when {@code dir} is null,
   *     missing, not a directory or not writable by this process
   */
  public static void requireWritable(Path dir) {
    requireWritable(dir, "BackupFailed");
  }

  /**
   * As {@link #requireWritable(Path)} with the engine's own reason (PostgreSQL: {@code
   * BackupDirectoryUnusable}, also exit 10).
   */
  public static void requireWritable(Path dir, String reason) {
    String problem = problem(dir);
    if (problem == null && !Files.isWritable(dir)) {
      problem = "backup directory " + dir + " is not writable by this process";
    }
    if (problem != null) {
      throw new DbguardException(reason, problem);
    }
  }

  /**
   * For commands that read backups ({@code backups list}, {@code backups prune}, {@code verify},
   * {@code restore}, {@code verify-data} with {@code --backup-dir}).
   *
   * @throws DbguardException reason {@code BackupNotFound} (exit 4) when {@code dir} is null,
   *     missing or not a directory
   */
  public static void requireReadable(Path dir) {
    String problem = problem(dir);
    if (problem != null) {
      throw new DbguardException("BackupNotFound", problem);
    }
  }

  private static String problem(Path dir) {
    if (dir == null) {
      return "no backup directory given";
    }
    if (Files.isDirectory(dir)) {
      return null;
    }
    if (Files.isRegularFile(dir)) {
      return "backup directory " + dir + " is a file, not a directory";
    }
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || Files.exists(dir)) {
      return "backup directory " + dir + " is not a directory";
    }
    return "backup directory " + dir + " does not exist (create it first)";
  }
}
