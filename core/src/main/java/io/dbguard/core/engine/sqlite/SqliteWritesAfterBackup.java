package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.quoteIdent;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.TableProfile;
import io.dbguard.core.engine.WriteHorizon;
import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.engine.WritesAfterBackup.TableWrites;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Counts, per table, the writes made to a SQLite database after a backup ({@link
 * io.dbguard.core.engine.DatabaseEngine#writesAfterBackup}), in one read transaction: the row count
 * and, for rowid tables, the rows above and at most the backup's {@code max(rowid)}, in one scan.
 * SQLite records no transaction ids, so this is weaker than PostgreSQL's: rows inserted after the
 * backup are at least those with a larger rowid (or the growth of the count), rows deleted at least
 * the backup's rowids no longer there; <b>an UPDATE in place is not seen</b>, and a rowid reused
 * after deleting the largest row hides one insert and one delete (docs/migration-window.md).
 */
final class SqliteWritesAfterBackup {
  private SqliteWritesAfterBackup() {}

  /**
   * Measures {@code file} (the live database, or a failed copy, then {@code failedCopy} is its path
   * and the extraction commands are set). Never throws: what cannot be read is {@code unknown}.
   */
  static WritesAfterBackup measure(BackupManifest manifest, Path file, String failedCopy) {
    String on = file.toString();
    if (!java.nio.file.Files.exists(file)) {
      // nothing there: a restore replaces nothing and discards nothing
      return WritesAfterBackup.of(on, List.of(), "the database file does not exist");
    }
    WriteHorizon h = manifest.writeHorizon();
    if (h == null || !WriteHorizon.SQLITE_ROWIDS.equals(h.method())) {
      return WritesAfterBackup.unknown(
          on,
          "the manifest of "
              + manifest.name()
              + " records no write horizon (written by an older dbguard): compare the failed copy"
              + " with the restored database");
    }
    try (Connection c = SqliteFiles.open(file, false)) {
      c.setAutoCommit(false); // one read transaction: one consistent state of the file
      try {
        Map<String, String> definitions = SqliteWriteHorizon.definitions(c);
        Map<String, TableProfile> atBackup = manifest.profile().tables();
        List<TableWrites> out = new ArrayList<>();
        for (Map.Entry<String, String> t : definitions.entrySet()) {
          String name = t.getKey();
          TableProfile before = atBackup.get(name);
          WriteHorizon.Table mark = h.tables().get(name);
          String change =
              before == null
                  ? "created"
                  : mark != null && !mark.definition().equals(t.getValue()) ? "altered" : null;
          out.add(table(c, name, change, before, mark));
        }
        for (Map.Entry<String, TableProfile> e : atBackup.entrySet()) {
          if (!definitions.containsKey(e.getKey())) {
            out.add(
                new TableWrites(
                    e.getKey(),
                    "dropped",
                    history(e.getKey()),
                    e.getValue().rowCount(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
          }
        }
        WritesAfterBackup result =
            WritesAfterBackup.of(
                on,
                out,
                "SQLite: no transaction ids; inserts and deletes are lower bounds from row counts"
                    + " and rowids, and an UPDATE in place is not seen: compare the failed copy"
                    + " with the restored database for changed values");
        return failedCopy == null
            ? result
            : result.keptIn(failedCopy, table -> extractCommand(failedCopy, table));
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      return WritesAfterBackup.unknown(on, "could not be counted: " + e.getMessage());
    }
  }

  /** The shell command that dumps one table of the failed copy as SQL. */
  static String extractCommand(String failedCopy, String table) {
    return "sqlite3 -readonly "
        + SqliteFiles.shellQuote(failedCopy)
        + " "
        + SqliteFiles.shellQuote(".dump " + quoteIdent(table));
  }

  private static TableWrites table(
      Connection c, String name, String change, TableProfile before, WriteHorizon.Table mark)
      throws SQLException {
    Long maxRowid = mark == null ? null : mark.maxRowid();
    if (before == null || maxRowid == null) {
      long now = scalar(c, "SELECT count(*) FROM " + quoteIdent(name));
      if (before == null) {
        return new TableWrites(
            name, change, history(name), null, now, null, null, null, null, null);
      }
      long was = before.rowCount();
      return new TableWrites(
          name,
          change,
          history(name),
          was,
          now,
          null,
          Math.max(0, now - was),
          null,
          Math.max(0, was - now),
          null);
    }
    long now;
    long above;
    long atOrBelow;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(*) FILTER (WHERE rowid > "
                    + maxRowid
                    + ") FROM "
                    + quoteIdent(name))) {
      rs.next();
      now = rs.getLong(1);
      above = rs.getLong(2);
      atOrBelow = now - above;
    }
    long was = before.rowCount();
    return new TableWrites(
        name,
        change,
        history(name),
        was,
        now,
        null,
        Math.max(above, now - was),
        null,
        Math.max(0, was - atOrBelow),
        null);
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Boolean history(String table) {
    return WritesAfterBackup.HISTORY_TABLES.contains(table) ? Boolean.TRUE : null;
  }
}
