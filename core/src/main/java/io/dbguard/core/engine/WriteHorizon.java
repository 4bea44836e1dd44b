package io.dbguard.core.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a backup's manifest records so that, before a restore, the writes made to the live database
 * after the backup can be counted ({@link WritesAfterBackup}). Part of {@link
 * io.dbguard.core.backup.BackupManifest#writeHorizon()}; manifests written before dbguard recorded
 * it have none, and then the writes after the backup are "unknown", never "none".
 *
 * @param method {@link #POSTGRES_SNAPSHOT} or {@link #SQLITE_ROWIDS}
 * @param snapshot PostgreSQL only: the snapshot the backup was taken in, as the text form of {@code
 *     pg_snapshot} ({@code xmin:xmax:xip,…}, 64-bit transaction ids including the epoch; PostgreSQL
 *     manual, "System Information Functions", table "Snapshot Information Functions"); {@code null}
 *     for SQLite
 * @param tables per user table (named as in {@link DataProfile#tables()}): its definition hash and,
 *     for SQLite rowid tables, the largest rowid; sorted by name
 * @param databaseOid PostgreSQL only: the backed-up database's OID in {@code pg_database} at the
 *     backup. A database that is dropped and created again (a swap restore, or {@code dropdb} and
 *     {@code pg_restore}) gets a new OID, and its rows new transaction ids, which then say nothing
 *     about writes after the backup; renaming keeps the OID. {@code null} for SQLite and in
 *     manifests written before dbguard recorded it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteHorizon(
    String method, String snapshot, Map<String, Table> tables, Long databaseOid) {
  /** PostgreSQL: rows whose {@code xmin} is not visible in {@link #snapshot} were written after. */
  public static final String POSTGRES_SNAPSHOT = "PostgresSnapshot";

  /** SQLite: per-table row counts and the largest rowid at the backup. */
  public static final String SQLITE_ROWIDS = "SqliteRowids";

  public WriteHorizon {
    tables =
        tables == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
  }

  /** A horizon without a database OID (SQLite, and PostgreSQL manifests from before it). */
  public WriteHorizon(String method, String snapshot, Map<String, Table> tables) {
    this(method, snapshot, tables, null);
  }

  /**
   * One table at the backup.
   *
   * @param definition lowercase hex SHA-256 of the table's definition (PostgreSQL: its columns'
   *     names, types and NOT NULL in column order; SQLite: its {@code CREATE TABLE} text); a
   *     different value later means the table was altered after the backup
   * @param maxRowid SQLite: {@code max(rowid)} at the backup ({@code 0} for an empty table); {@code
   *     null} for PostgreSQL and for SQLite {@code WITHOUT ROWID} tables
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Table(String definition, Long maxRowid) {}
}
