package io.dbguard.core.engine;

import io.dbguard.core.report.HumanSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free-space checks made before a backup or restore writes anything, so one that cannot fit is
 * refused with reason {@code InsufficientSpace} (exit 10, "nothing changed") instead of failing
 * halfway. Free space is {@link java.nio.file.FileStore#getUsableSpace()}: the bytes this process
 * may write (after reserved blocks and quotas the JVM can see), in bytes.
 */
public final class DiskSpace {
  /** The reason of every refusal from this class. */
  public static final String REASON = "InsufficientSpace";

  private DiskSpace() {}

  /**
   * The allowance added to every estimate, in bytes: 1 MiB plus 1/64 (about 1.6 %) of {@code
   * bytes}. It covers what is written beside the copy (the manifest, a few KiB; SQLite's one-page
   * journal when the copy is switched to {@code journal_mode=DELETE}; the WAL frame headers, 24
   * bytes per page = 0.6 % at 4 KiB pages) and file-system overhead (block rounding, indirect
   * blocks), so a copy that passes the check does not end a few blocks short.
   */
  public static long margin(long bytes) {
    return (1L << 20) + Math.max(0, bytes) / 64;
  }

  /**
   * The usable bytes on the file system holding {@code dir}, or {@link Long#MAX_VALUE} when the
   * file system cannot report it (then no refusal; the write itself still fails cleanly).
   */
  public static long usable(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Refuses unless the file system of {@code dir} has {@code needed} usable bytes.
   *
   * @param dir an existing directory on the file system that will be written
   * @param needed bytes the operation will write at its peak, margin included
   * @param what what needs the room, e.g. "the backup of /data/app.db (page_count x page_size =
   *     …)"; starts the message
   * @param toFree what the user can delete or change to make room; ends the message
   * @throws DbguardException {@code InsufficientSpace} saying needed and available bytes, that
   *     nothing was written, and {@code toFree}
   */
  public static void require(Path dir, long needed, String what, String toFree) {
    long usable = usable(dir);
    if (usable >= needed) {
      return;
    }
    throw new DbguardException(
        REASON,
        what
            + " needs "
            + needed
            + " bytes ("
            + HumanSize.bytes(needed)
            + ") free on the file system of "
            + dir
            + ", but only "
            + usable
            + " bytes ("
            + HumanSize.bytes(usable)
            + ") are available (too full); refused before starting, nothing was written. Free at"
            + " least "
            + HumanSize.bytes(needed - usable)
            + ": "
            + toFree
            + ".");
  }
}
