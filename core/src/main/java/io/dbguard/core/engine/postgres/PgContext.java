package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.exec;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every part of {@link PostgresEngine} shares: the target, the options, the client tools, and
 * the ways to open sessions and run small statements.
 */
final class PgContext {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  PgContext(DatabaseTarget target, PostgresOptions options) {
    this.target = target;
    this.options = options;
    this.tools = new PgTools(options.toolDirectory());
  }

  DatabaseTarget target() {
    return target;
  }

  PostgresOptions options() {
    return options;
  }

  PgTools tools() {
    return tools;
  }

  /** A session on {@code t}. */
  Connection open(DatabaseTarget t, String app) {
    return PgConnections.open(t, options.connectTimeoutSeconds(), app);
  }

  /**
   * A session for server-level work ({@code CREATE}, {@code ALTER}, {@code DROP DATABASE}): on the
   * maintenance database, or on {@code template1} when the target is the maintenance database (a
   * database cannot be renamed or dropped from a session connected to it).
   */
  Connection openMaintenance(String app) {
    String maintenance = options.maintenanceDatabase();
    return open(
        target.withDatabase(target.database().equals(maintenance) ? "template1" : maintenance),
        app);
  }

  DataProfile profileOf(DatabaseTarget t, boolean contentChecksums) {
    try (Connection c = open(t, "dbguard-verify")) {
      return profileIn(c, contentChecksums);
    } catch (SQLException e) {
      throw PgConnections.classify(e, t, "cannot profile " + t.redacted());
    }
  }

  /** A session on the target, or {@code null} when the database does not exist. */
  Connection openIfExists(String applicationName) {
    try {
      return open(target, applicationName);
    } catch (DbguardException e) {
      if ("DatabaseMissing".equals(e.reason())) {
        return null;
      }
      throw e;
    }
  }

  static DataProfile profileIn(Connection c, boolean contentChecksums) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
    try {
      PgProfiler.prepareSession(c, true);
      return PgProfiler.profile(c, contentChecksums);
    } finally {
      c.rollback();
    }
  }

  void dropQuietly(Connection m, String db) {
    try {
      m.setAutoCommit(true);
      exec(m, "DROP DATABASE IF EXISTS " + PgProfiler.quoteIdent(db) + " WITH (FORCE)");
    } catch (SQLException e) {
      LOG.warn(
          "could not drop the scratch database {}: {}",
          db,
          PgConnections.clean(e.getMessage(), target));
    }
  }

  static String scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static String firstWords(String sql) {
    String[] w = sql.strip().split("\\s+");
    return String.join(" ", java.util.Arrays.asList(w).subList(0, Math.min(3, w.length)));
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
