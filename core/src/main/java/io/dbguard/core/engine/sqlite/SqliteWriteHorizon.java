package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.quoteIdent;

import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.WriteHorizon;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQLite write horizon of a backup ({@link WriteHorizon#SQLITE_ROWIDS}): SQLite has no
 * transaction ids, so each user table's {@code CREATE TABLE} text (hashed) and {@code max(rowid)}
 * are recorded; the row counts are the manifest's profile. {@code max(rowid)} reads the last entry
 * of the table's b-tree, not the table (sqlite.org, "Rowid Tables"); a {@code WITHOUT ROWID} table
 * has no rowid and gets none.
 */
final class SqliteWriteHorizon {
  private SqliteWriteHorizon() {}

  /** Reads the horizon of the database behind {@code c} (the backup copy, which nobody writes). */
  static WriteHorizon capture(Connection c) throws SQLException {
    Map<String, WriteHorizon.Table> tables = new TreeMap<>();
    for (Map.Entry<String, String> t : definitions(c).entrySet()) {
      tables.put(t.getKey(), new WriteHorizon.Table(t.getValue(), maxRowid(c, t.getKey())));
    }
    return new WriteHorizon(WriteHorizon.SQLITE_ROWIDS, null, tables);
  }

  /**
   * Each user table (as {@link SqliteProfiler#profile} counts them: not {@code sqlite_*}, not
   * virtual) to the SHA-256 of its whitespace-normalized {@code CREATE TABLE} text.
   */
  static Map<String, String> definitions(Connection c) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE"
                    + " 'sqlite_%' ORDER BY name")) {
      while (rs.next()) {
        String sql = rs.getString(2);
        if (sql == null || !SqliteProfiler.isVirtual(sql)) {
          out.put(rs.getString(1), Sha256.ofString(SqliteProfiler.normalizeSql(sql)));
        }
      }
    }
    return out;
  }

  /** {@code max(rowid)} ({@code 0} when empty), or {@code null} for a WITHOUT ROWID table. */
  static Long maxRowid(Connection c, String table) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(rowid) FROM " + quoteIdent(table))) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return null; // "no such column: rowid": a WITHOUT ROWID table
    }
  }
}
