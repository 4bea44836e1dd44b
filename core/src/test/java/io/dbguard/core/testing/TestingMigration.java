package io.dbguard.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A stand-in for an application's migration command, run as a real child process: it changes the
 * database (new table with a foreign key, new column, updated rows), commits, writes its pid to the
 * marker file, then hangs. Usage: {@code TestingMigration <db> <marker>}.
 */
public final class TestingMigration {
  private TestingMigration() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE audit (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id))");
      s.execute("ALTER TABLE customers ADD COLUMN tier TEXT");
      s.execute("UPDATE customers SET tier = 'gold'");
      s.execute("DELETE FROM orders WHERE id = 1");
    }
    Files.writeString(Path.of(args[1]), Long.toString(ProcessHandle.current().pid()));
    System.out.println("migration changed the database, now hanging");
    Thread.sleep(600_000);
  }
}
