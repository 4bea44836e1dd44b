package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.scalar;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.TableProfile;
import io.dbguard.core.engine.WriteHorizon;
import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.engine.WritesAfterBackup.TableWrites;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Counts, per table, the rows written after a backup ({@link
 * io.dbguard.core.engine.DatabaseEngine#writesAfterBackup}) on the live database or on a failed
 * copy, in one {@code REPEATABLE READ} read-only transaction and one scan per table:
 *
 * <pre>
 * SELECT count(*), count(*) FILTER (WHERE NOT pg_visible_in_snapshot(&lt;xmin widened&gt;, '&lt;backup snapshot&gt;'))
 *   FROM ONLY s.t
 * </pre>
 *
 * <p>A row's {@code xmin} is the 32-bit id of the transaction that inserted or last updated it. It
 * is widened to the 64-bit id that {@code pg_visible_in_snapshot} takes (PostgreSQL manual, "System
 * Information Functions", table "Snapshot Information Functions"; {@code txid_visible_in_snapshot}
 * before PostgreSQL 13) as the newest full id not above the current snapshot's {@code xmax} with
 * those low 32 bits, so an epoch wrap does not matter. Limits, all stated in
 * docs/migration-window.md: a row not rewritten for more than 2^32 transactions may be counted as
 * written after (never the other way round); a row written in a subtransaction of a transaction
 * that was open across the backup and committed after it looks older than it is (its subtransaction
 * id is not in the snapshot's list), which the row counts then show as rows of the backup beyond
 * its count and are added; the migration's own data changes in tables it did not alter cannot be
 * told from the application's.
 */
final class PgWritesAfterBackup {
  private final PgContext ctx;

  PgWritesAfterBackup(PgContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Measures on the live database ({@code failedCopy == null}) or on the failed copy of that name.
   * Never throws: what cannot be read is reported as {@code unknown} with the reason.
   */
  WritesAfterBackup measure(BackupManifest manifest, String failedCopy) {
    DatabaseTarget target = ctx.target();
    String on = failedCopy == null ? target.database() : failedCopy;
    WriteHorizon h = manifest.writeHorizon();
    if (h == null
        || !WriteHorizon.POSTGRES_SNAPSHOT.equals(h.method())
        || h.snapshot() == null
        || !PgWriteHorizon.SNAPSHOT.matcher(h.snapshot()).matches()) {
      return WritesAfterBackup.unknown(
          on,
          "the manifest of "
              + manifest.name()
              + " records no write horizon (written by an older dbguard): compare the failed copy"
              + " with the restored database");
    }
    try (Connection c =
        ctx.open(failedCopy == null ? target : target.withDatabase(failedCopy), "dbguard-writes")) {
      PgProfiler.prepareSession(c, false);
      int serverNum = Integer.parseInt(scalar(c, "SHOW server_version_num"));
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        long now =
            Long.parseLong(
                scalar(
                    c,
                    serverNum >= 130000
                        ? "SELECT pg_snapshot_xmax(pg_current_snapshot())::text"
                        : "SELECT txid_snapshot_xmax(txid_current_snapshot())::text"));
        String notTheSame = notTheBackedUpDatabase(h, PgWriteHorizon.databaseOid(c), now);
        if (notTheSame != null) {
          return WritesAfterBackup.unknown(
              on,
              notTheSame
                  + ": its rows' transaction ids say nothing about writes after the backup of "
                  + manifest.name()
                  + ", so they cannot be counted; compare "
                  + (failedCopy == null ? "the database" : "the failed copy " + failedCopy)
                  + " with the backup if it may hold writes");
        }
        List<TableWrites> out = tables(c, manifest, afterPredicate(h.snapshot(), now, serverNum));
        WritesAfterBackup result =
            WritesAfterBackup.of(
                on,
                out,
                "PostgreSQL: inserts and updates counted exactly from each row's xmin and the backup's"
                    + " snapshot; the backup's rows that were updated or deleted counted exactly from"
                    + " the row counts; a table's rows the migration changed by data statements count"
                    + " as writes unless the migration altered the table");
        return failedCopy == null
            ? result
            : result.keptIn(failedCopy, table -> extractCommand(failedCopy, table));
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      return WritesAfterBackup.unknown(
          on, "could not be counted: " + PgConnections.clean(e.getMessage(), target));
    } catch (DbguardException e) {
      if (failedCopy == null
          && ("DatabaseMissing".equals(e.reason()) || "DatabaseNotFound".equals(e.reason()))) {
        // nothing there: a restore replaces nothing and discards nothing
        return WritesAfterBackup.of(on, List.of(), "the database does not exist");
      }
      return WritesAfterBackup.unknown(on, "could not be counted: " + e.getMessage());
    } catch (NumberFormatException e) {
      return WritesAfterBackup.unknown(on, "could not be counted: " + e.getMessage());
    }
  }

  /**
   * Why the database measured is not the one the backup was taken of, or null when it is (as far as
   * can be told). Its transaction ids are then unrelated to the backup's snapshot: every row of a
   * database created again after the backup (e.g. by an earlier restore of this same backup) looks
   * written after it, and in another cluster whose transaction counter is behind the backup's every
   * row looks older than it.
   *
   * @param h the backup's horizon
   * @param oid the measured database's OID
   * @param now the measured server's current snapshot {@code xmax} (64-bit)
   */
  static String notTheBackedUpDatabase(WriteHorizon h, long oid, long now) {
    if (h.databaseOid() != null && h.databaseOid() != oid) {
      return "the database was created again after the backup (OID "
          + h.databaseOid()
          + " at the backup, "
          + oid
          + " now), e.g. by an earlier restore";
    }
    long backupXmax = Long.parseLong(h.snapshot().split(":")[1]);
    if (now < backupXmax) {
      return "the server's transaction counter ("
          + now
          + ") is behind the backup's snapshot ("
          + h.snapshot()
          + "): the database is in another cluster than the one backed up";
    }
    return null;
  }

  /**
   * Every live table's writes after the backup, and the backup's tables that are gone, in the
   * current transaction of {@code c}.
   */
  private static List<TableWrites> tables(Connection c, BackupManifest manifest, String after)
      throws SQLException {
    Map<String, String> definitions = PgWriteHorizon.definitions(c);
    Map<String, TableProfile> atBackup = manifest.profile().tables();
    Map<String, WriteHorizon.Table> marks = manifest.writeHorizon().tables();
    List<TableWrites> out = new ArrayList<>();
    for (String[] t : PgProfiler.userTables(c)) {
      String name = t[0] + "." + t[1];
      long[] counts = count(c, t[0], t[1], after);
      TableProfile before = atBackup.get(name);
      WriteHorizon.Table mark = marks.get(name);
      String change =
          before == null
              ? "created"
              : mark != null && !mark.definition().equals(definitions.get(name)) ? "altered" : null;
      out.add(table(name, change, before == null ? null : before.rowCount(), counts));
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
    return out;
  }

  /** The shell command that dumps one table's data from the failed copy (no password in it). */
  String extractCommand(String failedCopy, String table) {
    DatabaseTarget t = ctx.target();
    int dot = table.indexOf('.');
    String qualified =
        PgProfiler.quoteIdent(table.substring(0, dot))
            + "."
            + PgProfiler.quoteIdent(table.substring(dot + 1));
    return "pg_dump -h "
        + sh(t.host())
        + " -p "
        + t.port()
        + (t.user() == null ? "" : " -U " + sh(t.user()))
        + " -d "
        + sh(failedCopy)
        + " --data-only --column-inserts -t "
        + sh(qualified);
  }

  private static TableWrites table(String name, String change, Long rowsAtBackup, long[] counts) {
    long rowsNow = counts[0];
    long written = counts[1];
    if (rowsAtBackup == null) {
      return new TableWrites(
          name, change, history(name), null, rowsNow, written, null, null, null, null);
    }
    // rows whose xmin the snapshot sees must be rows of the backup: more of them than the backup
    // held means rows written after it that look older (a subtransaction of a transaction open
    // across the backup); they are counted as written after
    long looksOld = rowsNow - written;
    if (looksOld > rowsAtBackup) {
      written += looksOld - rowsAtBackup;
      looksOld = rowsAtBackup;
    }
    return new TableWrites(
        name,
        change,
        history(name),
        rowsAtBackup,
        rowsNow,
        written,
        null,
        rowsAtBackup - looksOld,
        Math.max(0, rowsAtBackup - rowsNow),
        null);
  }

  private static Boolean history(String qualified) {
    String bare = qualified.substring(qualified.indexOf('.') + 1);
    return WritesAfterBackup.HISTORY_TABLES.contains(bare) ? Boolean.TRUE : null;
  }

  /**
   * The SQL condition, over a row's {@code xmin}, "written after the backup's snapshot". Ids below
   * 3 are the bootstrap and frozen ids: always older than any backup.
   */
  static String afterPredicate(String snapshot, long now, int serverNum) {
    if (!PgWriteHorizon.SNAPSHOT.matcher(snapshot).matches()) {
      throw new IllegalArgumentException("not a snapshot: " + snapshot);
    }
    long now32 = now & 0xFFFFFFFFL;
    String x = "xmin::text::bigint";
    String widened =
        "greatest(0, "
            + now
            + " - (("
            + now32
            + " - "
            + x
            + ") % 4294967296 + 4294967296) % 4294967296)";
    String visible =
        serverNum >= 130000
            ? "pg_visible_in_snapshot(" + widened + "::text::xid8, '" + snapshot + "'::pg_snapshot)"
            : "txid_visible_in_snapshot(" + widened + ", '" + snapshot + "'::txid_snapshot)";
    return x + " >= 3 AND NOT " + visible;
  }

  private static long[] count(Connection c, String schema, String table, String after)
      throws SQLException {
    String sql =
        "SELECT count(*), count(*) FILTER (WHERE "
            + after
            + ") FROM ONLY "
            + PgProfiler.quoteIdent(schema)
            + "."
            + PgProfiler.quoteIdent(table);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private static String sh(String s) {
    if (s.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
