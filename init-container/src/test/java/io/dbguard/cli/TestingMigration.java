package io.dbguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A stand-in for an application's migration command, run as a real child process: changes the
 * database (new table with a foreign key, new column, deleted row), commits, writes its pid to the
 * marker file, then either exits 1 ({@code exit}) or hangs. Usage: {@code TestingMigration <db>
 * <marker> [exit|hang]}.
 */
public final class TestingMigration {
  private TestingMigration() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE audit (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES"
              + " customers(id))");
      s.execute("ALTER TABLE customers ADD COLUMN tier TEXT");
      s.execute("UPDATE customers SET tier = 'gold'");
      s.execute("DELETE FROM customers WHERE id = 1");
    }
    Files.writeString(Path.of(args[1]), Long.toString(ProcessHandle.current().pid()));
    System.out.println("migration changed the database");
    if (args.length > 2 && args[2].equals("exit")) {
      System.out.println("ERROR: something went wrong half-way");
      System.exit(1);
    }
    Thread.sleep(600_000);
  }
}
