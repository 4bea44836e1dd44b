package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.scalar;

import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.WriteHorizon;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The PostgreSQL write horizon of a backup ({@link WriteHorizon#POSTGRES_SNAPSHOT}): the snapshot
 * the backup's transaction exported to {@code pg_dump}, read with {@code pg_current_snapshot()}
 * (PostgreSQL 13 and later) or {@code txid_current_snapshot()} (older) in that same {@code
 * REPEATABLE READ} transaction, whose snapshot is the transaction's for its whole life (PostgreSQL
 * manual, "System Information Functions", table "Snapshot Information Functions": both return
 * {@code xmin:xmax:xip_list} with 64-bit, epoch-extended transaction ids), each user table's column
 * definition, and the database's OID (a database created again after the backup has another).
 */
final class PgWriteHorizon {
  private PgWriteHorizon() {}

  /** The text form of a snapshot: {@code xmin:xmax:xip,xip,…}, decimal. */
  static final Pattern SNAPSHOT = Pattern.compile("\\d{1,20}:\\d{1,20}:(\\d{1,20}(,\\d{1,20})*)?");

  /**
   * Reads the horizon in the current transaction of {@code c}, which must be the backup's {@code
   * REPEATABLE READ} transaction after its snapshot was taken (e.g. after {@code
   * pg_export_snapshot()}), so that the recorded snapshot is the one {@code pg_dump} dumps.
   *
   * @param serverVersionNum {@code server_version_num}
   * @throws SQLException as the driver reports it
   */
  static WriteHorizon capture(Connection c, int serverVersionNum) throws SQLException {
    String snapshot =
        scalar(
            c,
            serverVersionNum >= 130000
                ? "SELECT pg_catalog.pg_current_snapshot()::text"
                : "SELECT pg_catalog.txid_current_snapshot()::text");
    Map<String, WriteHorizon.Table> tables = new TreeMap<>();
    definitions(c).forEach((t, d) -> tables.put(t, new WriteHorizon.Table(d, null)));
    return new WriteHorizon(WriteHorizon.POSTGRES_SNAPSHOT, snapshot, tables, databaseOid(c));
  }

  /** The OID of the database {@code c} is connected to ({@code pg_database.oid}). */
  static long databaseOid(Connection c) throws SQLException {
    return Long.parseLong(
        scalar(
            c,
            "SELECT oid::bigint::text FROM pg_catalog.pg_database WHERE datname ="
                + " pg_catalog.current_database()"));
  }

  /**
   * Each user table ({@link PgProfiler#userTables}, {@code schema.table}) to the SHA-256 of its
   * columns in order: name, {@code format_type}, NOT NULL.
   */
  static Map<String, String> definitions(Connection c) throws SQLException {
    Map<String, StringBuilder> cols = new TreeMap<>();
    for (String[] t : PgProfiler.userTables(c)) {
      cols.put(t[0] + "." + t[1], new StringBuilder());
    }
    String sql =
        "SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
            + " a.attnotnull FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid ="
            + " a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE"
            + " c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2, a.attnum";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        StringBuilder b = cols.get(rs.getString(1) + "." + rs.getString(2));
        if (b != null) {
          b.append(rs.getString(3))
              .append(' ')
              .append(rs.getString(4))
              .append(rs.getBoolean(5) ? " not null" : "")
              .append('\n');
        }
      }
    }
    Map<String, String> out = new TreeMap<>();
    cols.forEach((t, b) -> out.put(t, Sha256.ofString(b.toString())));
    return out;
  }
}
