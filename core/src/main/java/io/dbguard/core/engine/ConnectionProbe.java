package io.dbguard.core.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Checks that a database can be reached with its credentials before anything else runs, and turns
 * the driver's error into a clear, password-free message. PostgreSQL SQLSTATEs from the PostgreSQL
 * documentation, Appendix A "Error Codes": class 08 (connection exception), 28000/28P01 (invalid
 * authorization / password), 3D000 (invalid catalog name).
 */
public final class ConnectionProbe {
  private ConnectionProbe() {}

  /** Seconds a PostgreSQL connection attempt may take. */
  public static final int CONNECT_TIMEOUT_SECONDS = 10;

  /**
   * Connects once and runs {@code SELECT 1}. For SQLite, checks that the file's directory exists
   * (the file itself may not exist yet: a new database) and that an existing file is a SQLite
   * database.
   *
   * @throws DbguardException reasons {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code
   *     DatabaseNotFound}
   */
  public static void check(DatabaseTarget target) {
    if (target.kind() == EngineKind.SQLITE) {
      Path f = target.sqliteFile();
      if (f.getParent() != null && !Files.isDirectory(f.getParent())) {
        throw new DbguardException(
            "ConnectionFailed",
            "cannot open SQLite database "
                + f
                + ": directory "
                + f.getParent()
                + " does not exist");
      }
      if (!Files.exists(f)) {
        return;
      }
      if (!Files.isReadable(f)) {
        throw new DbguardException(
            "ConnectionFailed", "cannot read SQLite database " + f + ": permission denied");
      }
    }
    Properties p = new Properties();
    if (target.user() != null) {
      p.setProperty("user", target.user());
    }
    if (target.password() != null) {
      p.setProperty("password", target.password());
    }
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    p.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), p);
        Statement s = c.createStatement()) {
      s.execute(
          target.kind() == EngineKind.SQLITE ? "SELECT count(*) FROM sqlite_schema" : "SELECT 1");
    } catch (SQLException e) {
      throw classify(target, e);
    }
  }

  /** Maps a driver exception to a dbguard failure with a password-free message. */
  public static DbguardException classify(DatabaseTarget target, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String detail =
        DatabaseTarget.redact(Secrets.scrub(String.valueOf(e.getMessage()), target.password()));
    if (state.equals("28P01") || state.equals("28000")) {
      return new DbguardException(
          "AuthenticationFailed",
          "the database "
              + target.redacted()
              + " refused the credentials (check the user and password): "
              + detail,
          e);
    }
    if (state.equals("3D000")) {
      return new DbguardException(
          "DatabaseNotFound",
          "database " + target.database() + " does not exist on " + target.redacted(),
          e);
    }
    if (state.startsWith("08") || target.kind() == EngineKind.POSTGRESQL) {
      return new DbguardException(
          "ConnectionFailed",
          "cannot connect to " + target.redacted() + " (is it running and reachable?): " + detail,
          e);
    }
    return new DbguardException(
        "ConnectionFailed", "cannot open " + target.redacted() + ": " + detail, e);
  }
}
