package io.dbguard.core.plan;

import io.dbguard.core.engine.ConnectionProbe;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.EngineKind;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The plan's database sessions: they cannot write. PostgreSQL sessions start with {@code
 * default_transaction_read_only = on} (the startup option {@code -c
 * default_transaction_read_only=on}; PostgreSQL manual, "Client Connection Defaults") and are
 * marked read-only in JDBC, so any write fails with SQLSTATE 25006; SQLite files are opened with
 * {@code SQLITE_OPEN_READONLY}. The same option is handed to listing commands through {@code
 * PGOPTIONS} (libpq, "Environment Variables"), which every libpq-based client honours.
 */
public final class ReadOnlySession {
  /** The server option that makes every transaction of a session read-only. */
  public static final String READ_ONLY_OPTION = "-c default_transaction_read_only=on";

  private ReadOnlySession() {}

  /**
   * Opens a read-only session.
   *
   * @return the connection, or null for a SQLite file that does not exist (nothing to read; it is
   *     not created)
   * @throws io.dbguard.core.engine.DbguardException reasons {@code ConnectionFailed}, {@code
   *     AuthenticationFailed}, {@code DatabaseNotFound}
   */
  public static Connection open(DatabaseTarget target) {
    Properties p = new Properties();
    try {
      if (target.kind() == EngineKind.SQLITE) {
        if (!Files.exists(target.sqliteFile())) {
          return null;
        }
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        return DriverManager.getConnection(target.jdbcUrl(), p);
      }
      if (target.user() != null) {
        p.setProperty("user", target.user());
      }
      if (target.password() != null) {
        p.setProperty("password", target.password());
      }
      p.setProperty("connectTimeout", Integer.toString(ConnectionProbe.CONNECT_TIMEOUT_SECONDS));
      p.setProperty("loginTimeout", Integer.toString(ConnectionProbe.CONNECT_TIMEOUT_SECONDS));
      p.setProperty("ApplicationName", "dbguard plan");
      p.setProperty("options", READ_ONLY_OPTION);
      Connection c = DriverManager.getConnection(target.jdbcUrl(), p);
      c.setReadOnly(true);
      return c;
    } catch (SQLException e) {
      throw ConnectionProbe.classify(target, e);
    }
  }

  /**
   * The JDBC URL Flyway reads the history with: for PostgreSQL the target's URL with the read-only
   * startup option added; for SQLite the file opened read-only.
   */
  public static String jdbcUrl(DatabaseTarget target) {
    String url = target.jdbcUrl();
    String sep = url.contains("?") ? "&" : "?";
    if (target.kind() == EngineKind.SQLITE) {
      return "jdbc:sqlite:file:"
          + target.sqliteFile().toAbsolutePath().toUri().getRawPath()
          + "?mode=ro";
    }
    return url + sep + "options=-c%20default_transaction_read_only%3Don";
  }
}
