package io.dbguard.core.pipeline;

import java.util.Locale;

/**
 * What a restore does when the database received writes after the backup ({@link
 * io.dbguard.core.engine.WritesAfterBackup}): {@code --on-discarded-writes Restore|Halt} of {@code
 * dbguard run} and {@code dbguard restore}. Documented in docs/cli.md and docs/migration-window.md.
 */
public enum OnDiscardedWrites {
  /**
   * Restore anyway (the default) and report the writes, the failed copy that keeps them and how to
   * get them out. After a failed migration the database is half-migrated: leaving it so is worse
   * than a restore whose discarded writes are listed and kept.
   */
  RESTORE,
  /**
   * Do not restore when writes after the backup were found or cannot be ruled out ({@code found} or
   * {@code unknown}): exit 23, reason {@code WritesAfterBackup}, the database untouched by the
   * restore.
   */
  HALT;

  /**
   * Parses {@code Restore} or {@code Halt}, any case.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static OnDiscardedWrites parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("--on-discarded-writes must be Restore or Halt, not " + s);
    }
  }
}
