package io.dbguard.core.testing;

import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * The PostgreSQL test server from {@code DBGUARD_TEST_PG_URL} (set by scripts/test.sh). Tests that
 * need it FAIL, never skip, when it is absent.
 */
public final class TestPostgres {
  private TestPostgres() {}

  /** The server's target. */
  public static DatabaseTarget server() {
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null || url.isBlank()) {
      fail("DBGUARD_TEST_PG_URL is not set: run the tests through scripts/test.sh");
    }
    return DatabaseTarget.parse(url);
  }

  /** Creates a fresh, empty database and returns its target. */
  public static DatabaseTarget freshDatabase(String prefix) throws Exception {
    DatabaseTarget admin = server();
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = connect(admin);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return admin.withDatabase(name);
  }

  /** Drops a database created by {@link #freshDatabase}. */
  public static void drop(DatabaseTarget db) throws Exception {
    try (Connection c = connect(server());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db.database() + " WITH (FORCE)");
    }
  }

  public static Connection connect(DatabaseTarget t) throws Exception {
    Properties p = new Properties();
    if (t.user() != null) {
      p.setProperty("user", t.user());
    }
    if (t.password() != null) {
      p.setProperty("password", t.password());
    }
    return DriverManager.getConnection(t.jdbcUrl(), p);
  }
}
