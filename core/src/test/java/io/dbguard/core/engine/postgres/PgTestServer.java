package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Access to the real PostgreSQL test server named by {@code DBGUARD_TEST_PG_URL} (a superuser URL).
 * Tests fail, never skip, when it is absent. Every database and role created through one instance
 * carries a unique prefix and is dropped by {@link #close()}.
 */
final class PgTestServer implements AutoCloseable {
  static final String URL_ENV = "DBGUARD_TEST_PG_URL";

  private final DatabaseTarget admin;
  private final String prefix;
  private final List<String> roles = new ArrayList<>();

  PgTestServer() {
    String url = System.getenv(URL_ENV);
    if (url == null || url.isBlank()) {
      fail(
          URL_ENV
              + " is not set: the PostgreSQL engine tests need a real server. Start one with"
              + " `eval \"$(scripts/pg-test-server.sh start)\"` (or run scripts/test.sh).");
    }
    admin = DatabaseTarget.parse(url);
    prefix = "dbgt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  /** The superuser target for a database of this server. */
  DatabaseTarget target(String db) {
    return admin.withDatabase(db);
  }

  /** A target for another role (password auth) on a database of this server. */
  DatabaseTarget target(String db, String user, String password) {
    return DatabaseTarget.parse(
        "postgresql://"
            + user
            + ":"
            + password
            + "@"
            + admin.host()
            + ":"
            + admin.port()
            + "/"
            + db);
  }

  DatabaseTarget admin() {
    return admin;
  }

  /** The tool directory of the server's client tools, or null for PATH. */
  Path toolDir() {
    String d = System.getenv(PgTools.BIN_DIR_ENV);
    return d == null || d.isBlank() ? null : Path.of(d);
  }

  /** Creates a uniquely named database and returns its name. */
  String createDatabase(String tag) {
    String name = prefix + "_" + tag;
    sql("postgres", "CREATE DATABASE " + name);
    return name;
  }

  /** Creates a uniquely named login role with a password; returns its name. */
  String createRole(String tag, String password, String attributes) {
    String name = prefix + "_" + tag;
    sql("postgres", "CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "' " + attributes);
    roles.add(name);
    return name;
  }

  Connection connect(String db) throws SQLException {
    return connect(admin.withDatabase(db));
  }

  static Connection connect(DatabaseTarget t) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", t.user());
    p.setProperty("password", t.password());
    return DriverManager.getConnection(t.jdbcUrl(), p);
  }

  /** Runs statements in autocommit mode as the superuser. */
  void sql(String db, String... statements) {
    try (Connection c = connect(db);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed in " + db + ": " + e.getMessage(), e);
    }
  }

  /** Runs statements as another target (autocommit). */
  static void sql(DatabaseTarget t, String... statements) {
    try (Connection c = connect(t);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed in " + t + ": " + e.getMessage(), e);
    }
  }

  /** First column of the first row as text, or null. */
  String scalar(String db, String query) {
    try (Connection c = connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed in " + db + ": " + e.getMessage(), e);
    }
  }

  long count(String db, String query) {
    return Long.parseLong(scalar(db, query));
  }

  boolean databaseExists(String db) {
    return scalar("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")
        .equals("1");
  }

  /** Names of all databases this instance created (including restore/failed copies). */
  List<String> databases() {
    List<String> out = new ArrayList<>();
    try (Connection c = connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE '"
                    + prefix
                    + "%' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  @Override
  public void close() {
    for (String db : databases()) {
      sql("postgres", "DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
    }
    for (String r : roles) {
      sql("postgres", "DROP ROLE IF EXISTS " + r);
    }
  }
}
