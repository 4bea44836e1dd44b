package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * A stand-in for an application's migration command, run as a real child process by {@code dbguard
 * run}: writes its pid to {@code <started>}, waits until {@code <go>} exists, then (unless {@code
 * <table>} is {@code -}) creates {@code <table>} with {@code <rows>} rows in the database of {@code
 * DATABASE_URL} and exits with {@code <exit>}. Usage: {@code WaitingMigration <table> <rows> <go>
 * <started> <exit>}.
 */
public final class WaitingMigration {
  private WaitingMigration() {}

  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[3]), Long.toString(ProcessHandle.current().pid()));
    Path go = Path.of(args[2]);
    for (int i = 0; i < 6000 && !Files.exists(go); i++) {
      Thread.sleep(100);
    }
    if (!args[0].equals("-")) {
      DatabaseTarget t = DatabaseTarget.parse(System.getenv("DATABASE_URL"));
      Properties p = new Properties();
      if (t.user() != null) {
        p.setProperty("user", t.user());
      }
      if (t.password() != null) {
        p.setProperty("password", t.password());
      }
      try (Connection c = DriverManager.getConnection(t.jdbcUrl(), p);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + args[0] + " (id integer PRIMARY KEY, note text NOT NULL)");
        for (int i = 1; i <= Integer.parseInt(args[1]); i++) {
          s.execute("INSERT INTO " + args[0] + " VALUES (" + i + ", 'written by run A')");
        }
      }
      System.out.println("created " + args[0]);
    }
    System.exit(Integer.parseInt(args[4]));
  }
}
