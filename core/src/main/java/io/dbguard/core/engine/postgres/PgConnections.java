package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens JDBC sessions for a {@link DatabaseTarget} and turns driver errors into {@link
 * DbguardException}s with stable reasons. SQLSTATE classes follow the PostgreSQL manual, appendix
 * "PostgreSQL Error Codes".
 */
final class PgConnections {
  private PgConnections() {}

  /**
   * Opens a session with the password passed as a JDBC property (never in the URL).
   *
   * @throws DbguardException reasons {@code AuthenticationFailed} (SQLSTATE 28xxx), {@code
   *     DatabaseMissing} (3D000), {@code ConnectionFailed} (08xxx, 53300, anything else)
   */
  static Connection open(DatabaseTarget target, int connectTimeoutSeconds, String appName) {
    Properties props = new Properties();
    if (target.user() != null) {
      props.setProperty("user", target.user());
    }
    if (target.password() != null) {
      props.setProperty("password", target.password());
    }
    props.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
    props.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds));
    props.setProperty("ApplicationName", appName);
    try {
      return DriverManager.getConnection(target.jdbcUrl(), props);
    } catch (SQLException e) {
      throw classify(e, target, "cannot connect to " + target.redacted());
    }
  }

  /** Maps a driver exception to a reasoned exception; the message never carries the password. */
  static DbguardException classify(SQLException e, DatabaseTarget target, String context) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String msg = clean(e.getMessage(), target);
    String reason;
    if (state.startsWith("28")) {
      reason = "AuthenticationFailed";
    } else if (state.equals("3D000")) {
      reason = "DatabaseMissing";
    } else if (state.equals("55P03")) {
      reason = "LockTimeout";
    } else if (state.startsWith("08") || state.equals("53300") || state.equals("57P03")) {
      reason = "ConnectionFailed";
    } else if (state.equals("42501")) {
      reason = "PermissionDenied";
    } else {
      reason = context.startsWith("cannot connect") ? "ConnectionFailed" : "DatabaseError";
    }
    return new DbguardException(reason, context + ": " + msg + " [SQLSTATE " + state + "]", e);
  }

  static String clean(String message, DatabaseTarget target) {
    String m = message == null ? "" : message;
    return DatabaseTarget.redact(io.dbguard.core.engine.Secrets.scrub(m, target.password()));
  }
}
