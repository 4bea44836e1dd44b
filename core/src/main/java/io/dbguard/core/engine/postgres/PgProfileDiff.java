package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.TableProfile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Compares a restored database's profile with the one its backup manifest records. */
final class PgProfileDiff {
  private PgProfileDiff() {}

  /**
   * Compares a restored profile with the manifest's.
   *
   * @throws DbguardException {@code RestoreNotVerified} listing up to 10 differences
   */
  static void requireEqual(DataProfile expected, DataProfile actual, String where) {
    List<String> diffs = differences(expected, actual);
    if (!diffs.isEmpty()) {
      throw new DbguardException(
          "RestoreNotVerified",
          where
              + " does not match the backup manifest: "
              + String.join("; ", diffs.subList(0, Math.min(10, diffs.size())))
              + (diffs.size() > 10 ? "; … " + (diffs.size() - 10) + " more" : ""));
    }
  }

  /** Human-readable differences between two profiles; empty when equal. */
  static List<String> differences(DataProfile expected, DataProfile actual) {
    List<String> d = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>(expected.tables().keySet());
    names.addAll(actual.tables().keySet());
    for (String t : names) {
      TableProfile e = expected.tables().get(t);
      TableProfile a = actual.tables().get(t);
      if (e == null) {
        d.add("table " + t + " should not exist");
      } else if (a == null) {
        d.add("table " + t + " is missing");
      } else if (!e.equals(a)) {
        if (e.rowCount() != a.rowCount()) {
          d.add("table " + t + " has " + a.rowCount() + " rows, expected " + e.rowCount());
        } else {
          d.add(
              "table "
                  + t
                  + " column non-null counts differ: "
                  + a.nonNullCounts()
                  + " expected "
                  + e.nonNullCounts());
        }
      }
    }
    if (!java.util.Objects.equals(expected.schemaFingerprint(), actual.schemaFingerprint())) {
      d.add(
          "schema fingerprint "
              + actual.schemaFingerprint()
              + " expected "
              + expected.schemaFingerprint());
    }
    if (!java.util.Objects.equals(expected.historyVersion(), actual.historyVersion())) {
      d.add(
          "migration history at "
              + actual.historyVersion()
              + " expected "
              + expected.historyVersion());
    }
    return d;
  }
}
