package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.RunLock;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.zip.CRC32;

/**
 * The PostgreSQL {@link RunLock}: a session-level advisory lock taken with {@code
 * pg_try_advisory_lock(namespace, key)} on a dedicated session that stays open for the whole
 * command (PostgreSQL manual, "Advisory Locks" and "Advisory Lock Functions"). {@code namespace} is
 * the fixed {@link #NAMESPACE} ({@code 'dbgu'}), {@code key} the CRC-32 of the target database's
 * name (UTF-8), so the lock shows in {@code pg_locks} as {@code locktype = 'advisory'}, {@code
 * classid = 1684170613}, {@code objid = key}, {@code objsubid = 2}.
 *
 * <p>Where: advisory locks are scoped to the database the session is connected to, and a swap
 * restore ends every session on the live database and renames it, so the lock session is opened on
 * the maintenance database ({@link PostgresOptions#maintenanceDatabase()}, {@code template1} when
 * the target is the maintenance database) — the same database every dbguard process uses for that
 * target. Only when that database is closed to the role (CONNECT privilege, pg_hba) is the lock
 * taken in the target database itself; such a role cannot swap-restore either, so nothing ends the
 * lock session.
 *
 * <p>Release: closing the session; when the process dies (also {@code kill -9}) the server ends the
 * session as soon as it sees the connection closed, and the lock with it. For a machine that
 * vanishes, the session sets {@code tcp_keepalives_idle = 60}, {@code tcp_keepalives_interval =
 * 10}, {@code tcp_keepalives_count = 6} (a dead peer is noticed within about two minutes) and
 * {@code idle_session_timeout = 0} (the session is idle by design).
 */
public final class PgAdvisoryLock implements RunLock {
  /** The fixed first key: the bytes {@code 'd' 'b' 'g' 'u'} as a big-endian int. */
  public static final int NAMESPACE = 0x64626775;

  private final Connection session;
  private final String where;

  private PgAdvisoryLock(Connection session, String where) {
    this.session = session;
    this.where = where;
  }

  /** The second key for a database name: CRC-32 of its UTF-8 bytes as an int. */
  public static int key(String database) {
    CRC32 crc = new CRC32();
    crc.update(database.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  /**
   * Takes the lock for {@code target} without waiting, see {@link RunLock#acquire}.
   *
   * @throws DbguardException reason {@code Locked} with the holder's backend pid, application_name,
   *     client address and backend_start (from {@code pg_locks} and {@code pg_stat_activity}); a
   *     connection reason when neither the maintenance nor the target database accepts a session
   */
  public static PgAdvisoryLock acquire(
      DatabaseTarget target, PostgresOptions options, String command) {
    RunLock.Holder self = RunLock.Holder.self(command);
    String app = "dbguard " + command + " pid " + self.pid() + "@" + self.host();
    String maintenance = options.maintenanceDatabase();
    String lockDb = target.database().equals(maintenance) ? "template1" : maintenance;
    Connection c;
    try {
      c = PgConnections.open(target.withDatabase(lockDb), options.connectTimeoutSeconds(), app);
    } catch (DbguardException closed) {
      lockDb = target.database();
      c = PgConnections.open(target, options.connectTimeoutSeconds(), app);
    }
    String where = "advisory lock (" + NAMESPACE + ", " + key(target.database()) + ")";
    where += " in database \"" + lockDb + "\"";
    try {
      keepAlive(c);
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
        ps.setInt(1, NAMESPACE);
        ps.setInt(2, key(target.database()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            return new PgAdvisoryLock(c, where);
          }
        }
      }
      String holder = holder(c, key(target.database()));
      close(c);
      throw new DbguardException(
          LOCKED,
          "database "
              + target.redacted()
              + " is locked by another dbguard run ("
              + holder
              + "; "
              + where
              + "). Nothing was changed. Wait for that run to finish; if its process is gone,"
              + " the server ends its session and the lock with it.");
    } catch (SQLException e) {
      close(c);
      throw PgConnections.classify(e, target, "cannot take the run lock for " + target.redacted());
    }
  }

  private static void keepAlive(Connection c) {
    for (String set :
        new String[] {
          "SET tcp_keepalives_idle = 60",
          "SET tcp_keepalives_interval = 10",
          "SET tcp_keepalives_count = 6",
          "SET idle_session_timeout = 0"
        }) {
      try (Statement st = c.createStatement()) {
        st.execute(set);
      } catch (SQLException notOnThisServer) {
        // older servers lack idle_session_timeout; a Unix socket has no TCP keepalive: harmless
      }
    }
  }

  /** The holder as the server sees it; fields a role may not read are "unknown". */
  private static String holder(Connection c, int key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT l.pid, a.application_name, host(a.client_addr), a.backend_start, a.usename"
                + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname ="
                + " current_database()) AND l.classid::bigint = ? AND l.objid::bigint = ?")) {
      ps.setLong(1, Integer.toUnsignedLong(NAMESPACE));
      ps.setLong(2, Integer.toUnsignedLong(key));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return "holder just released it; try again";
        }
        Timestamp start = rs.getTimestamp(4);
        return "held by PostgreSQL backend pid "
            + rs.getInt(1)
            + ", application_name '"
            + orUnknown(rs.getString(2))
            + "', client address "
            + orUnknown(rs.getString(3) == null ? null : rs.getString(3))
            + ", user "
            + orUnknown(rs.getString(5))
            + ", connected since "
            + (start == null ? "unknown" : start.toInstant().toString());
      }
    }
  }

  private static String orUnknown(String s) {
    return s == null || s.isEmpty() ? "unknown" : s;
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing ends the session; nothing else to do
    }
  }

  @Override
  public String describe() {
    return where;
  }

  @Override
  public void close() {
    close(session);
  }
}
