package io.dbguard.core.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * The data-bearing shape of a database at a point in time, used by the backup manifest, the
 * data-loss check after a migration and the verification after a restore.
 *
 * @param tables qualified table name ({@code schema.table} for PostgreSQL, the bare name for
 *     SQLite) to its profile; sorted by name. The migration-history table is included like any
 *     other.
 * @param schemaFingerprint SHA-256 (hex) over a canonical, sorted description of every user table,
 *     column (name, type, nullability, default), index and constraint; equal fingerprints mean
 *     equal schemas for dbguard's purposes
 * @param historyVersion the newest successfully applied version in the migration-history table
 *     ({@code flyway_schema_history}, Rails {@code schema_migrations}, Django {@code
 *     django_migrations}, Prisma {@code _prisma_migrations}, …) or {@code null} when no known
 *     history table exists
 */
public record DataProfile(
    Map<String, TableProfile> tables, String schemaFingerprint, String historyVersion) {
  public DataProfile {
    tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
  }

  /** True when the database holds at least one user table. */
  public boolean hasUserTables() {
    return !tables.isEmpty();
  }

  /**
   * True when the profile was taken with content checksums ({@code --content-checksum}): a later
   * profile compared with it must take them too.
   */
  public boolean hasContentChecksums() {
    return tables.values().stream().anyMatch(TableProfile::hasContentChecksums);
  }

  /** Sum of the row counts of all tables. */
  public long totalRows() {
    return tables.values().stream().mapToLong(TableProfile::rowCount).sum();
  }
}
