package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.FailedCopies;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.report.StepResult;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --keep-failed-copies N} of {@code dbguard restore} and {@code dbguard run}: after a
 * verified restore, keep the newest N failed (pre-restore) copies of the database and delete the
 * older ones.
 */
final class KeepFailedCopies {
  @Option(
      names = "--keep-failed-copies",
      paramLabel = "N",
      converter = Count.class,
      description =
          "After a verified restore, keep the newest N failed (pre-restore) copies of the database"
              + " (SQLite <db>.failed-<stamp> files, PostgreSQL <db>_failed_<stamp> databases) and"
              + " delete older ones. N >= 1; default: "
              + FailedCopies.DEFAULT_KEEP
              + ".")
  int keep = FailedCopies.DEFAULT_KEEP;

  /**
   * Prunes after a verified restore, prints what happened and adds it to the result's details. A
   * listing that fails is a warning: the restore itself succeeded.
   */
  StepResult pruneAfterRestore(Console console, DatabaseEngine engine, StepResult result) {
    FailedCopyPruning pruned;
    try {
      pruned = engine.pruneFailedCopies(keep);
    } catch (DbguardException e) {
      String w =
          "old failed copies were not pruned (all are kept and take space): " + e.getMessage();
      console.warn("restore", w);
      return result.withDetail("warnings", w);
    }
    if (pruned.summary() != null) {
      // worded as dbguard run's step log words it
      if (pruned.problems().isEmpty()) {
        console.ok("restore", "failed copies: " + pruned.summary(), 0);
      } else {
        console.warn("restore", "failed copies: " + pruned.summary());
      }
    }
    return result.withDetails(pruned.details());
  }

  /** A whole number of at least 1, else a usage error (exit 4) naming the option. */
  static final class Count implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
      if (n < 1) {
        throw new TypeConversionException(
            "must be at least 1 (the newest failed copy is always kept), not " + n);
      }
      return n;
    }
  }
}
