package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real {@code dbguard run} JVM while its migration (a real child JVM) has changed the
 * database and hangs: the migration's process is stopped, the database restored and verified, and
 * the result (exit 20, reason Terminated) reported.
 */
class SigtermTest {
  @TempDir Path tmp;

  @Test
  void sigtermDuringMigrateRestoresAndReports() throws Exception {
    Path db = tmp.resolve("shop.db");
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    Path marker = tmp.resolve("migration.pid");
    Path termLog = tmp.resolve("termination-log");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
      s.execute("INSERT INTO customers(email) VALUES ('a@x.io'), ('b@x.io'), ('c@x.io')");
    }
    DataProfile before = new SqliteEngine(DatabaseTarget.sqlite(db)).profile();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                cp,
                Main.class.getName(),
                "run",
                "--backup-dir",
                backups.toString(),
                "--migrate-command",
                "exec \"$DBGUARD_TEST_JAVA\" -cp \"$DBGUARD_TEST_CP\" "
                    + TestingMigration.class.getName()
                    + " '"
                    + db
                    + "' '"
                    + marker
                    + "' hang",
                "--termination-log",
                termLog.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("dbguard.out").toFile());
    pb.environment().put("DATABASE_URL", "sqlite:" + db);
    pb.environment().put("DBGUARD_TEST_JAVA", java);
    pb.environment().put("DBGUARD_TEST_CP", cp);
    Process dbguard = pb.start();

    // wait until the migration has changed the database (bounded, not a timing assertion)
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!(Files.exists(marker) && Files.size(marker) > 0)) {
      if (!dbguard.isAlive()) {
        fail("dbguard exited early: " + Files.readString(tmp.resolve("dbguard.out")));
      }
      if (System.nanoTime() > deadline) {
        dbguard.destroyForcibly();
        fail("the migration never started: " + Files.readString(tmp.resolve("dbguard.out")));
      }
      Thread.sleep(100);
    }
    long migrationPid = Long.parseLong(Files.readString(marker).trim());
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(db)).profile()).isNotEqualTo(before);

    dbguard.destroy(); // SIGTERM
    boolean exited = dbguard.waitFor(3, TimeUnit.MINUTES);
    String output = Files.readString(tmp.resolve("dbguard.out"));
    assertThat(exited).as(output).isTrue();

    assertThat(dbguard.exitValue()).as(output).isEqualTo(20);
    assertThat(output).contains("termination signal", "✓ verify restore", "ROLLED BACK");
    StepResult r = StepResult.parse(Files.readString(termLog));
    assertThat(r.reason()).isEqualTo("Terminated");
    assertThat(r.exitCode()).isEqualTo(20);
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(db)).profile()).isEqualTo(before);
    ProcessHandle.of(migrationPid)
        .ifPresent(h -> h.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(migrationPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void sigtermDuringTheMigrateStepStopsTheCommandAndReportsTerminated() throws Exception {
    Path db = tmp.resolve("step.db");
    Path marker = tmp.resolve("step-migration.pid");
    Path termLog = tmp.resolve("step-termination-log");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
      s.execute("INSERT INTO customers(email) VALUES ('a@x.io')");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                cp,
                Main.class.getName(),
                "migrate",
                "--migrate-command",
                "\"$DBGUARD_TEST_JAVA\" -cp \"$DBGUARD_TEST_CP\" "
                    + TestingMigration.class.getName()
                    + " '"
                    + db
                    + "' '"
                    + marker
                    + "' hang",
                "--termination-log",
                termLog.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("step.out").toFile());
    pb.environment().put("DATABASE_URL", "sqlite:" + db);
    pb.environment().put("DBGUARD_TEST_JAVA", java);
    pb.environment().put("DBGUARD_TEST_CP", cp);
    Process dbguard = pb.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!(Files.exists(marker) && Files.size(marker) > 0)) {
      if (!dbguard.isAlive() || System.nanoTime() > deadline) {
        dbguard.destroyForcibly();
        fail("the migration never started: " + Files.readString(tmp.resolve("step.out")));
      }
      Thread.sleep(100);
    }
    long migrationPid = Long.parseLong(Files.readString(marker).trim());

    dbguard.destroy(); // SIGTERM
    assertThat(dbguard.waitFor(3, TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(tmp.resolve("step.out"));
    assertThat(dbguard.exitValue()).as(output).isEqualTo(21);
    StepResult r = StepResult.parse(Files.readString(termLog));
    assertThat(r.step()).isEqualTo("migrate");
    assertThat(r.reason()).isEqualTo("Terminated");
    ProcessHandle.of(migrationPid)
        .ifPresent(h -> h.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(migrationPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }
}
