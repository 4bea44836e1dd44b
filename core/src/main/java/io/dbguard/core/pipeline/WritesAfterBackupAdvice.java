package io.dbguard.core.pipeline;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.WritesAfterBackup;
import java.nio.file.Path;

/**
 * The steps around {@link DatabaseEngine#writesAfterBackup} that {@code dbguard run} and {@code
 * dbguard restore} share: the final count on the failed copy after a restore, and what to print
 * when {@link OnDiscardedWrites#HALT} stopped a restore.
 */
public final class WritesAfterBackupAdvice {
  private WritesAfterBackupAdvice() {}

  /**
   * The figures to report after a verified restore: counted again on the failed copy {@code
   * restored} kept (final: nobody writes it; each table's extraction command set). When no copy was
   * kept, or counting on it failed while the count before the restore worked, the count before the
   * restore, naming the copy.
   *
   * @param before the count on the live database before the restore
   */
  public static WritesAfterBackup afterRestore(
      DatabaseEngine engine,
      BackupManifest manifest,
      WritesAfterBackup before,
      RestoreResult restored) {
    String copy = restored.keptFailedAs();
    if (copy == null) {
      return before;
    }
    WritesAfterBackup onCopy;
    try {
      onCopy = engine.writesAfterBackup(manifest, copy);
    } catch (RuntimeException e) {
      // a verified restore stays a verified restore: report the count taken before it
      return before.keptIn(copy, null);
    }
    if (onCopy.status() == WritesAfterBackup.Status.UNKNOWN
        && before.status() != WritesAfterBackup.Status.UNKNOWN) {
      return before.keptIn(copy, null);
    }
    return onCopy;
  }

  /**
   * A warning when writes after the backup were found and the restore kept no failed copy (a
   * PostgreSQL in-place restore): they are gone; {@code null} otherwise.
   */
  public static String lostWarning(WritesAfterBackup writes, RestoreResult restored) {
    if (restored.keptFailedAs() != null || !writes.found()) {
      return null;
    }
    return "the restore kept no failed copy (in-place restore), so the writes after the backup in "
        + String.join(", ", writes.applicationTables())
        + " are LOST; use --on-discarded-writes Halt or the swap restore to keep them";
  }

  /**
   * What to do after {@link OnDiscardedWrites#HALT} stopped a restore, naming the exact command.
   *
   * @param manifest the manifest of the backup that was not restored
   */
  public static String toProceed(Path manifest) {
    return "To proceed: stop whatever writes to the database; if the writes listed matter, copy them"
        + " out of the database now (they are still in it); then restore with `dbguard restore"
        + " --manifest "
        + manifest.toAbsolutePath()
        + " --on-discarded-writes Restore` (it keeps the replaced database as a failed copy and lists"
        + " the writes again), or repair the database by hand.";
  }
}
