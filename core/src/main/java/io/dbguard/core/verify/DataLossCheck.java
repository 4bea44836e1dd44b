package io.dbguard.core.verify;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.TableProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the profile recorded in a backup manifest (before the migration) with the profile after
 * it (docs/design.md §3 "verify data"). A finding is:
 *
 * <ul>
 *   <li>{@link Kind#TABLE_DROPPED}: a table that existed before is gone;
 *   <li>{@link Kind#ROWS_LOST}: a table has fewer rows than before;
 *   <li>{@link Kind#COLUMN_DROPPED}: a column that held data (non-null count &gt; 0) is gone;
 *   <li>{@link Kind#VALUES_LOST}: a column has fewer non-null values than before;
 *   <li>{@link Kind#VALUES_CHANGED}: only when both profiles carry content checksums ({@code
 *       --content-checksum}): a column that held data has exactly as many non-null values as
 *       before, but their checksum differs — values were overwritten in place, or rows deleted and
 *       as many other rows inserted. A migration that means to rewrite existing values (a
 *       normalisation, a type change that alters the values' text) must acknowledge that column. A
 *       column that gained values (NULLs filled, rows added) is not compared: the checksum cannot
 *       tell the new values from changed old ones, and filling is not loss.
 * </ul>
 *
 * <p>An empty table or column that disappears is not a finding (nothing was lost). A column dropped
 * from a dropped table is reported once, as the table. Acknowledgements are {@code table} (covers
 * the table and all its columns) or {@code table.column}; acknowledged findings stay in the result,
 * marked {@code acknowledged}, so reports can show them. Table names are compared exactly as
 * profiled ({@code schema.table} for PostgreSQL, bare names for SQLite); an acknowledgement of a
 * bare name also matches {@code public.<name>}.
 */
public final class DataLossCheck {
  private DataLossCheck() {}

  /** What was lost. */
  public enum Kind {
    TABLE_DROPPED,
    ROWS_LOST,
    COLUMN_DROPPED,
    VALUES_LOST,
    VALUES_CHANGED
  }

  /**
   * One loss.
   *
   * @param kind what was lost
   * @param table table name
   * @param column column name, null for table findings
   * @param before rows (table findings) or non-null values (column findings) before
   * @param after the same count after; 0 for a dropped table or column
   * @param acknowledged true when an acknowledgement covers it
   */
  public record Finding(
      Kind kind, String table, String column, long before, long after, boolean acknowledged) {
    /** {@code table} or {@code table.column}. */
    public String subject() {
      return column == null ? table : table + "." + column;
    }

    /** One human line, e.g. {@code customers.phone: column dropped (1200 non-null values)}. */
    public String describe() {
      String what =
          switch (kind) {
            case TABLE_DROPPED -> "table dropped (" + before + " rows)";
            case ROWS_LOST -> "lost " + (before - after) + " rows (" + before + " → " + after + ")";
            case COLUMN_DROPPED -> "column dropped (" + before + " non-null values)";
            case VALUES_LOST ->
                "lost " + (before - after) + " non-null values (" + before + " → " + after + ")";
            case VALUES_CHANGED ->
                "values changed (content checksum differs; "
                    + before
                    + " → "
                    + after
                    + " non-null values)";
          };
      return subject() + ": " + what + (acknowledged ? " [acknowledged]" : "");
    }
  }

  /**
   * Result of a check.
   *
   * @param findings all findings, acknowledged ones included, sorted by subject
   */
  public record Result(List<Finding> findings) {
    /** Findings not covered by an acknowledgement: the migration must be treated as failed. */
    public List<Finding> unacknowledged() {
      return findings.stream().filter(f -> !f.acknowledged()).toList();
    }

    /** Findings covered by an acknowledgement. */
    public List<Finding> acknowledged() {
      return findings.stream().filter(Finding::acknowledged).toList();
    }

    /** True when there is no unacknowledged finding. */
    public boolean passed() {
      return unacknowledged().isEmpty();
    }
  }

  /**
   * Runs the check.
   *
   * @param before the manifest's profile (taken in the backup's snapshot)
   * @param after the profile after the migration
   * @param acknowledgements {@code table} or {@code table.column} entries; null means none
   */
  public static Result check(DataProfile before, DataProfile after, Set<String> acknowledgements) {
    Set<String> acks = acknowledgements == null ? Set.of() : new TreeSet<>(acknowledgements);
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, TableProfile> e : before.tables().entrySet()) {
      String table = e.getKey();
      TableProfile b = e.getValue();
      TableProfile a = after.tables().get(table);
      if (a == null) {
        if (b.rowCount() > 0) {
          out.add(finding(Kind.TABLE_DROPPED, table, null, b.rowCount(), 0, acks));
        }
        continue;
      }
      if (a.rowCount() < b.rowCount()) {
        out.add(finding(Kind.ROWS_LOST, table, null, b.rowCount(), a.rowCount(), acks));
      }
      for (Map.Entry<String, Long> c : b.nonNullCounts().entrySet()) {
        long was = c.getValue();
        if (was == 0) {
          continue;
        }
        Long now = a.nonNullCounts().get(c.getKey());
        if (now == null) {
          out.add(finding(Kind.COLUMN_DROPPED, table, c.getKey(), was, 0, acks));
        } else if (now < was) {
          out.add(finding(Kind.VALUES_LOST, table, c.getKey(), was, now, acks));
        } else if (now == was && changed(b, a, c.getKey())) {
          out.add(finding(Kind.VALUES_CHANGED, table, c.getKey(), was, now, acks));
        }
      }
    }
    out.sort(
        java.util.Comparator.comparing(Finding::table)
            .thenComparing(f -> f.column() == null ? "" : f.column()));
    return new Result(List.copyOf(out));
  }

  /** Both profiles carry a checksum for the column and they differ. */
  private static boolean changed(TableProfile before, TableProfile after, String column) {
    String b = before.contentChecksums().get(column);
    String a = after.contentChecksums().get(column);
    return b != null && a != null && !b.equals(a);
  }

  private static Finding finding(
      Kind kind, String table, String column, long before, long after, Set<String> acks) {
    return new Finding(kind, table, column, before, after, covered(table, column, acks));
  }

  static boolean covered(String table, String column, Set<String> acks) {
    for (String t : candidates(table)) {
      if (acks.contains(t) || (column != null && acks.contains(t + "." + column))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> candidates(String table) {
    return table.startsWith("public.") ? List.of(table, table.substring(7)) : List.of(table);
  }
}
