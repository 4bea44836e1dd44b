package io.dbguard.core.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one table held at a point in time: its exact row count, per column how many rows had a
 * non-null value and, when content checksums were asked for, per column a checksum of its values.
 * Everything is taken in one scan per table ({@code count(*)}, {@code count(col)} and the checksum
 * aggregate for every column in the same statement).
 *
 * @param rowCount exact number of rows
 * @param nonNullCounts column name to the number of rows where that column is not null; sorted by
 *     name
 * @param contentChecksums column name to an order-independent checksum of the column's non-null
 *     values (the sum, as an unsigned decimal, of a 64-bit hash of each value's text: PostgreSQL
 *     {@code hashtextextended(col::text, 0)}, SQLite FNV-1a over the value's storage class and text
 *     or bytes, see {@link ContentChecksum}); empty when the profile was taken without content
 *     checksums. Equal checksums mean equal multisets of values with overwhelming probability; a
 *     type change that keeps every value's text (PostgreSQL {@code int → bigint}, {@code varchar →
 *     text}) keeps the checksum.
 */
public record TableProfile(
    long rowCount,
    Map<String, Long> nonNullCounts,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> contentChecksums) {
  public TableProfile {
    nonNullCounts = java.util.Collections.unmodifiableMap(new TreeMap<>(nonNullCounts));
    contentChecksums =
        contentChecksums == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(contentChecksums));
  }

  /** A profile without content checksums. */
  public TableProfile(long rowCount, Map<String, Long> nonNullCounts) {
    this(rowCount, nonNullCounts, Map.of());
  }

  /** True when this profile carries content checksums. */
  @JsonIgnore
  public boolean hasContentChecksums() {
    return !contentChecksums.isEmpty();
  }
}
