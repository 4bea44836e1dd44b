package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 10: a real {@code dbguard run} JVM gets SIGINT or SIGHUP during its migration, or
 * SIGTERM during its backup. The report names the real signal and the real step, and a signal
 * before the migration started exits 10 (nothing changed), not 21.
 */
class SignalsTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final String CP = System.getProperty("java.class.path");

  @TempDir Path tmp;

  @Test
  void sigintAndSighupDuringTheMigrationAreNamedAsSuch() throws Exception {
    for (String signal : new String[] {"INT", "HUP"}) {
      Path db = tmp.resolve(signal + ".db");
      Path backups = Files.createDirectory(tmp.resolve("backups-" + signal));
      Path marker = tmp.resolve(signal + ".pid");
      Path termLog = tmp.resolve(signal + ".termination-log");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
        s.execute("INSERT INTO customers(email) VALUES ('a@x.io')");
      }
      Path out = tmp.resolve(signal + ".out");
      Process p =
          start(
              "sqlite:" + db,
              out,
              "run",
              "--backup-dir",
              backups.toString(),
              "--environment",
              "ci",
              "--termination-log",
              termLog.toString(),
              "--migrate-command",
              "exec '"
                  + JAVA
                  + "' -cp '"
                  + CP
                  + "' "
                  + TestingMigration.class.getName()
                  + " '"
                  + db
                  + "' '"
                  + marker
                  + "' hang");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!(Files.exists(marker) && Files.size(marker) > 0)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          fail("the migration never started: " + Files.readString(out));
        }
        Thread.sleep(100);
      }
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
      String output = Files.readString(out);
      assertThat(p.exitValue()).as(output).isEqualTo(20);
      assertThat(output)
          .contains("SIG" + signal + " received during migrate")
          .doesNotContain("SIGTERM");
      StepResult r = StepResult.parse(Files.readString(termLog));
      assertThat(r.reason()).isEqualTo("Terminated");
      assertThat(r.message()).contains("SIG" + signal).doesNotContain("SIGTERM");
      long migrationPid = Long.parseLong(Files.readString(marker).trim());
      ProcessHandle.of(migrationPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void sigtermDuringTheBackupNamesTheBackupAndExits10() throws Exception {
    String server = System.getenv("DBGUARD_TEST_PG_URL");
    if (server == null || System.getenv("DBGUARD_PG_BIN_DIR") == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    String name = "dbguard_sig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    String url = DatabaseTarget.parse(server).withDatabase(name).secretUrl();
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    Path migrated = tmp.resolve("migrated");
    Path termLog = tmp.resolve("termination-log");
    Path out = tmp.resolve("backup.out");
    try (Connection blocker = connect(url)) {
      try (Statement s = blocker.createStatement()) {
        s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
        s.execute("INSERT INTO orders VALUES (1), (2)");
      }
      // hold ACCESS EXCLUSIVE: the backup waits for its ACCESS SHARE lock on orders
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
      }
      Process p =
          start(
              url,
              out,
              "run",
              "--backup-dir",
              backups.toString(),
              "--environment",
              "ci",
              "--termination-log",
              termLog.toString(),
              "--migrate-command",
              "touch '" + migrated + "'");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!backupWaits(blocker, name)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          fail("the backup never waited for the lock: " + Files.readString(out));
        }
        Thread.sleep(100);
      }
      p.destroy(); // SIGTERM while the backup waits
      deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (!Files.readString(out).contains("SIGTERM received") && p.isAlive()) {
        if (System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(100);
      }
      blocker.commit(); // the backup completes; the run must stop before migrating
      assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
      String output = Files.readString(out);
      assertThat(p.exitValue()).as(output).isEqualTo(10);
      assertThat(output)
          .contains("SIGTERM received during backup")
          .doesNotContain("then restoring")
          .doesNotContain("stopping the migration");
      StepResult r = StepResult.parse(Files.readString(termLog));
      assertThat(r.reason()).isEqualTo("Terminated");
      assertThat(r.exitCode()).isEqualTo(10);
      assertThat(r.message()).contains("during backup").contains("not changed");
      assertThat(r.details().get("failedStep")).isEqualTo("backup");
      assertThat(Files.exists(migrated)).as("the migration never ran").isFalse();
    } finally {
      try (Connection c = connect(server);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  private static boolean backupWaits(Connection c, String db) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                    + " WHERE NOT l.granted AND d.datname = '"
                    + db
                    + "'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  private Process start(String url, Path out, String... args) throws Exception {
    String[] cmd = new String[args.length + 4];
    cmd[0] = JAVA;
    cmd[1] = "-cp";
    cmd[2] = CP;
    cmd[3] = Main.class.getName();
    System.arraycopy(args, 0, cmd, 4, args.length);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("DATABASE_URL", url);
    return pb.start();
  }

  private static Connection connect(String url) throws Exception {
    DatabaseTarget t = DatabaseTarget.parse(url);
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
