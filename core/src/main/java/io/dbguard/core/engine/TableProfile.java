package io.dbguard.core.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one table held at a point in time: its exact row count and, per column, how many rows had a
 * non-null value. Counts are taken in one scan per table ({@code count(*)} and {@code count(col)}
 * for every column in the same statement).
 *
 * @param rowCount exact number of rows
 * @param nonNullCounts column name to the number of rows where that column is not null; sorted by
 *     name
 */
public record TableProfile(long rowCount, Map<String, Long> nonNullCounts) {
  public TableProfile {
    nonNullCounts = java.util.Collections.unmodifiableMap(new TreeMap<>(nonNullCounts));
  }
}
