package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.TableProfile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@link DataProfile} of a database computed by several sessions at once, one table per session
 * at a time, all in one snapshot: the first session opens a {@code REPEATABLE READ READ ONLY}
 * transaction and exports its snapshot ({@code pg_export_snapshot()}), the others adopt it with
 * {@code SET TRANSACTION SNAPSHOT} (PostgreSQL manual, "Snapshot Synchronization Functions" and
 * "SET TRANSACTION"). Every session sees exactly the data the first one sees, so the result equals
 * {@link PgProfiler#profile} in the first session's transaction: the same tables in the same (name)
 * order, the same counts, fingerprint and history version.
 *
 * <p>Tables are handed out largest first ({@code pg_class.relpages}) from a shared queue, so one
 * large table does not end up last on a busy session. The first session also computes the schema
 * fingerprint, history version and large-object count before it takes tables. With {@code jobs =
 * 1}, or a database of at most one table, it is the serial profile in one session.
 */
final class PgParallelProfile {
  private PgParallelProfile() {}

  /**
   * Profiles {@code target} with up to {@code jobs} sessions.
   *
   * @param jobs sessions to use, &gt;= 1 (fewer when there are fewer tables)
   * @throws DbguardException {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code
   *     DatabaseMissing} (from the first session), {@code ProfileFailed} (a worker session failed)
   */
  static DataProfile profile(PgContext ctx, DatabaseTarget target, int jobs) {
    return profile(ctx, target, jobs, false);
  }

  /**
   * Profiles {@code target} with up to {@code jobs} sessions, with per-column content checksums
   * when {@code contentChecksums} is set (as {@link PgProfiler#profile(Connection, boolean)}).
   *
   * @throws DbguardException as {@link #profile(PgContext, DatabaseTarget, int)}
   */
  static DataProfile profile(
      PgContext ctx, DatabaseTarget target, int jobs, boolean contentChecksums) {
    try (Connection lead = ctx.open(target, "dbguard-verify")) {
      begin(lead);
      try {
        List<String[]> tables = PgProfiler.userTables(lead);
        int workers = Math.min(Math.max(1, jobs), tables.size()) - 1;
        if (workers <= 0) {
          return PgProfiler.profile(lead, contentChecksums);
        }
        String snapshot = PgContext.scalar(lead, "SELECT pg_export_snapshot()");
        Map<String, Long> pages = pages(lead);
        ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>();
        tables.stream()
            .sorted(
                (a, b) ->
                    Long.compare(
                        pages.getOrDefault(b[0] + "." + b[1], 0L),
                        pages.getOrDefault(a[0] + "." + a[1], 0L)))
            .forEach(queue::add);
        Map<String, TableProfile> counted = new ConcurrentHashMap<>();
        ExecutorService pool =
            Executors.newFixedThreadPool(workers, PgContext.daemon("dbguard-profile"));
        try {
          List<Future<Void>> running = new ArrayList<>();
          for (int i = 0; i < workers; i++) {
            running.add(
                pool.submit(
                    () -> {
                      try (Connection w = ctx.open(target, "dbguard-verify")) {
                        begin(w);
                        try {
                          PgContext.exec(
                              w, "SET TRANSACTION SNAPSHOT " + PgProfiler.quoteLiteral(snapshot));
                          drain(w, queue, counted, contentChecksums);
                        } finally {
                          w.rollback();
                        }
                      }
                      return null;
                    }));
          }
          String fingerprint = PgProfiler.fingerprint(lead);
          String history = PgProfiler.historyVersion(lead);
          Map<String, TableProfile> lo = new LinkedHashMap<>();
          PgLargeObjects.profileInto(lo, lead);
          drain(lead, queue, counted, contentChecksums);
          for (Future<Void> f : running) {
            await(f, target);
          }
          Map<String, TableProfile> ordered = new LinkedHashMap<>();
          for (String[] t : tables) {
            String key = t[0] + "." + t[1];
            TableProfile p = counted.get(key);
            if (p == null) {
              throw new DbguardException("ProfileFailed", "table " + key + " was not profiled");
            }
            ordered.put(key, p);
          }
          ordered.putAll(lo);
          return new DataProfile(ordered, fingerprint, history);
        } finally {
          queue.clear();
          pool.shutdownNow();
        }
      } finally {
        lead.rollback();
      }
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot profile " + target.redacted());
    }
  }

  /** Opens the read-only repeatable-read transaction every profiling session runs in. */
  private static void begin(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
    // search_path first: SET TRANSACTION SNAPSHOT must be the transaction's first query, but SET
    // LOCAL does not take a snapshot, so it may precede it
    PgProfiler.prepareSession(c, true);
  }

  private static void drain(
      Connection c,
      ConcurrentLinkedQueue<String[]> queue,
      Map<String, TableProfile> out,
      boolean contentChecksums)
      throws SQLException {
    String[] t;
    while ((t = queue.poll()) != null) {
      out.put(t[0] + "." + t[1], PgProfiler.countTable(c, t[0], t[1], contentChecksums));
    }
  }

  /** Heap pages per user table ({@code schema.table}), the size estimate for the hand-out order. */
  private static Map<String, Long> pages(Connection c) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname, c.relname, c.relpages::bigint FROM pg_class c JOIN"
                    + " pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'")) {
      while (rs.next()) {
        out.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
      }
    }
    return out;
  }

  private static void await(Future<Void> f, DatabaseTarget target) throws SQLException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DbguardException("Interrupted", "interrupted while profiling " + target.redacted());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException se) {
        throw se;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new DbguardException(
          "ProfileFailed", "cannot profile " + target.redacted() + ": " + cause, cause);
    }
  }
}
