package io.dbguard.cli;

import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.pipeline.OnDiscardedWrites;
import picocli.CommandLine.Option;

/**
 * {@code --on-discarded-writes Restore|Halt} and the human listing of {@link WritesAfterBackup}
 * that {@code dbguard run} and {@code dbguard restore} print.
 */
final class WritesReport {
  @Option(
      names = "--on-discarded-writes",
      paramLabel = "Restore|Halt",
      description =
          "When the database received writes after the backup (or they cannot be ruled out):"
              + " Restore (default) restores anyway and lists them with the failed copy that keeps"
              + " them; Halt does not restore and exits 23 (WritesAfterBackup).")
  String onDiscardedWrites = "Restore";

  /**
   * The parsed option.
   *
   * @throws io.dbguard.core.engine.DbguardException reason {@code Usage} for another value
   */
  OnDiscardedWrites policy() {
    try {
      return OnDiscardedWrites.parse(onDiscardedWrites);
    } catch (IllegalArgumentException e) {
      throw new io.dbguard.core.engine.DbguardException("Usage", e.getMessage());
    }
  }

  /** Prints the writes per table and, when a failed copy keeps them, how to get each out. */
  static void print(Console c, WritesAfterBackup w) {
    if (w == null || w.status() == WritesAfterBackup.Status.NONE && w.tables().isEmpty()) {
      return;
    }
    c.line(
        w.status() == WritesAfterBackup.Status.NONE
            ? "Writes after the backup: none (measured on " + w.measuredOn() + ")"
            : c.red(
                    c.bold(
                        "Writes after the backup: "
                            + w.status().name().toLowerCase(java.util.Locale.ROOT)))
                + " (measured on "
                + w.measuredOn()
                + ")");
    for (WritesAfterBackup.TableWrites t : w.tables()) {
      c.line("  " + t.describe());
    }
    if (w.failedCopy() != null && w.status() != WritesAfterBackup.Status.NONE) {
      c.line("They are kept only in the failed copy " + w.failedCopy() + ". To get them out:");
      for (WritesAfterBackup.TableWrites t : w.tables()) {
        if (t.extract() != null && t.applicationWrites()) {
          c.line("  " + t.extract());
        }
      }
    }
    if (w.note() != null) {
      c.line("  (" + w.note() + ")");
    }
  }
}
