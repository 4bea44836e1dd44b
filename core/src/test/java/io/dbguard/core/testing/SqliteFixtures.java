package io.dbguard.core.testing;

import io.dbguard.core.backup.BackupRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** Real SQLite files for tests: a small shop schema with realistic rows. */
public final class SqliteFixtures {
  private SqliteFixtures() {}

  public static Connection connect(Path db) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + db);
  }

  /** Runs statements on a fresh connection. */
  public static void exec(Path db, String... sql) throws SQLException {
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /**
   * Creates customers(id, email, name, note) with {@code rows} rows and orders referencing them.
   */
  public static void shop(Path db, int rows) throws SQLException {
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,"
              + " name TEXT, note TEXT)");
      s.execute(
          "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL"
              + " REFERENCES customers(id), total_cents INTEGER NOT NULL)");
      c.setAutoCommit(false);
      for (int i = 1; i <= rows; i++) {
        s.execute(
            "INSERT INTO customers(id, email, name, note) VALUES ("
                + i
                + ", 'user"
                + i
                + "@example.com', 'User "
                + i
                + "', "
                + (i % 3 == 0 ? "'vip'" : "NULL")
                + ")");
        s.execute(
            "INSERT INTO orders(customer_id, total_cents) VALUES (" + i + ", " + (i * 100) + ")");
      }
      c.commit();
    }
  }

  public static long count(Path db, String table) throws SQLException {
    try (Connection c = connect(db);
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static BackupRequest request(Path dir, Instant at) {
    return new BackupRequest(dir, "shop", "test", at, null, 0);
  }
}
