package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.RunLock;
import io.dbguard.core.engine.postgres.PostgresOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 2: two {@code dbguard run}s on one database. Run A is a real child JVM whose
 * migration waits; run B starts while A holds the database. B must refuse with {@code Locked} (exit
 * 6) naming A, change nothing (no backup, no restore), and A's rows must survive. A holder killed
 * with {@code kill -9} must not block the next run. Real SQLite files and the real PostgreSQL test
 * server (fails, never skips, without {@code DBGUARD_TEST_PG_URL}).
 */
class ConcurrentRunTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final String CP = System.getProperty("java.class.path");

  @TempDir Path tmp;

  @Test
  void secondSqliteRunRefusesAndTheFirstRunsRowsSurvive() throws Exception {
    Path db = tmp.resolve("shop.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
      s.execute("INSERT INTO customers(email) VALUES ('a@x.io')");
    }
    twoRuns("sqlite:" + db, () -> count("sqlite:" + db, "a_orders"));
  }

  @Test
  void secondPostgresRunRefusesAndTheFirstRunsRowsSurvive() throws Exception {
    String url = newPgDatabase();
    try {
      try (Connection c = connect(url);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL)");
        s.execute("INSERT INTO customers VALUES (1, 'a@x.io')");
      }
      twoRuns(url, () -> count(url, "a_orders"));
    } finally {
      dropPgDatabase(url);
    }
  }

  @Test
  void aSqliteHolderKilledWithSigkillDoesNotBlockTheNextRun() throws Exception {
    Path db = tmp.resolve("shop.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
    }
    killedHolderReleases("sqlite:" + db);
  }

  @Test
  void aPostgresHolderKilledWithSigkillDoesNotBlockTheNextRun() throws Exception {
    String url = newPgDatabase();
    try {
      try (Connection c = connect(url);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL)");
      }
      killedHolderReleases(url);
    } finally {
      dropPgDatabase(url);
    }
  }

  @Test
  void everyCommandThatChangesTheDatabaseRefusesWhileTheLockIsHeld() throws Exception {
    Path db = tmp.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    String url = "sqlite:" + db;
    CliRun first = CliRun.of("backup", "--database-url", url, "--backup-dir", backups.toString());
    assertThat(first.exitCode()).as(first.all()).isZero();
    Path sql = Files.createDirectory(tmp.resolve("sql"));
    Files.writeString(sql.resolve("V1__u.sql"), "CREATE TABLE u (id INTEGER PRIMARY KEY);");
    try (RunLock held =
        RunLock.acquire(DatabaseTarget.parse(url), PostgresOptions.defaults(), "run")) {
      for (String[] args :
          new String[][] {
            {"backup", "--backup-dir", backups.toString()},
            {"migrate", "--sql-dir", sql.toString()},
            {"restore", "--backup-dir", backups.toString()},
            {"run", "--backup-dir", backups.toString(), "--sql-dir", sql.toString()}
          }) {
        String[] full =
            Stream.concat(Stream.of(args), Stream.of("--database-url", url, "--output", "json"))
                .toArray(String[]::new);
        CliRun r = CliRun.of(full);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.all()).isEqualTo(6);
        assertThat(r.out())
            .contains("\"reason\" : \"Locked\"")
            .contains("pid " + ProcessHandle.current().pid());
      }
    }
    try (Stream<Path> files = Files.list(backups)) {
      assertThat(files.filter(p -> p.toString().endsWith(".sqlite3")).count()).isEqualTo(1);
    }
    assertThat(count(url, "u")).as("the migration did not run").isEqualTo(-1);
  }

  /** The scenario of the issue: A waits in its migration, B starts, A finishes, B finishes. */
  private void twoRuns(String url, ThrowingCount aRows) throws Exception {
    Path backupsA = Files.createDirectory(tmp.resolve("backups-a"));
    Path backupsB = Files.createDirectory(tmp.resolve("backups-b"));
    Path aGo = tmp.resolve("a.go");
    Path aStarted = tmp.resolve("a.started");
    Path bGo = tmp.resolve("b.go");
    Path bStarted = tmp.resolve("b.started");
    Process a = startRun(url, backupsA, migration("a_orders", 5, aGo, aStarted, 0), "a.out");
    try {
      waitFor(aStarted, a, "run A's migration never started");
      CompletableFuture<CliRun> b =
          CompletableFuture.supplyAsync(
              () ->
                  CliRun.of(
                      "run",
                      "--database-url",
                      url,
                      "--backup-dir",
                      backupsB.toString(),
                      "--environment",
                      "ci",
                      "--migrate-command",
                      migration("-", 0, bGo, bStarted, 1),
                      "--output",
                      "json"));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!b.isDone() && !Files.exists(bStarted) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Files.writeString(aGo, "go");
      assertThat(a.waitFor(3, TimeUnit.MINUTES)).isTrue();
      assertThat(a.exitValue()).as(Files.readString(tmp.resolve("a.out"))).isZero();
      Files.writeString(bGo, "go");
      CliRun rb = b.get(3, TimeUnit.MINUTES);
      assertThat(aRows.get()).as("run A's rows").isEqualTo(5);
      assertThat(rb.exitCode()).as(rb.all()).isEqualTo(6);
      assertThat(rb.out())
          .contains("\"reason\" : \"Locked\"")
          .contains("is locked by another dbguard run")
          .contains(url.startsWith("sqlite:") ? "pid " + a.pid() : "dbguard run pid " + a.pid());
      assertThat(Files.exists(bStarted)).as("run B's migration never ran").isFalse();
      try (Stream<Path> files = Files.list(backupsB)) {
        assertThat(files.toList()).as("run B took no backup").isEmpty();
      }
    } finally {
      a.destroyForcibly();
    }
  }

  private void killedHolderReleases(String url) throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    Path go = tmp.resolve("a.go");
    Path started = tmp.resolve("a.started");
    Process a = startRun(url, backups, migration("-", 0, go, started, 0), "a.out");
    long migrationPid = -1;
    try {
      waitFor(started, a, "run A's migration never started");
      migrationPid = Long.parseLong(Files.readString(started).trim());
      CliRun whileAlive =
          CliRun.of("backup", "--database-url", url, "--backup-dir", backups.toString());
      assertThat(whileAlive.exitCode()).as(whileAlive.all()).isEqualTo(6);
      a.destroyForcibly(); // SIGKILL: no shutdown hook, no unlock
      assertThat(a.waitFor(1, TimeUnit.MINUTES)).isTrue();
      assertThat(a.exitValue()).isEqualTo(137);
      // the server notices the closed connection asynchronously: retry within a bounded time
      CliRun after = null;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      do {
        if (after != null) {
          Thread.sleep(200);
        }
        after = CliRun.of("backup", "--database-url", url, "--backup-dir", backups.toString());
      } while (after.exitCode() == 6 && System.nanoTime() < deadline);
      assertThat(after.exitCode()).as(after.all()).isZero();
    } finally {
      a.destroyForcibly();
      Files.writeString(go, "go");
      if (migrationPid > 0) {
        ProcessHandle.of(migrationPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private Process startRun(String url, Path backups, String migrate, String out) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                JAVA,
                "-cp",
                CP,
                Main.class.getName(),
                "run",
                "--backup-dir",
                backups.toString(),
                "--environment",
                "ci",
                "--migrate-command",
                migrate)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(out).toFile());
    pb.environment().put("DATABASE_URL", url);
    return pb.start();
  }

  private static String migration(String table, int rows, Path go, Path started, int exit) {
    return "exec '"
        + JAVA
        + "' -cp '"
        + CP
        + "' "
        + WaitingMigration.class.getName()
        + " "
        + table
        + " "
        + rows
        + " '"
        + go
        + "' '"
        + started
        + "' "
        + exit;
  }

  private void waitFor(Path marker, Process p, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!(Files.exists(marker) && Files.size(marker) > 0)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        fail(what + ": " + Files.readString(tmp.resolve("a.out")));
      }
      Thread.sleep(100);
    }
  }

  @FunctionalInterface
  private interface ThrowingCount {
    long get() throws Exception;
  }

  /** Rows in {@code table}, or -1 when it does not exist. */
  private static long count(String url, String table) throws Exception {
    try (Connection c = connect(url);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      } catch (java.sql.SQLException missing) {
        return -1;
      }
    }
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

  private static String newPgDatabase() throws Exception {
    String server = System.getenv("DBGUARD_TEST_PG_URL");
    if (server == null || System.getenv("DBGUARD_PG_BIN_DIR") == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    String name = "dbguard_lock_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return DatabaseTarget.parse(server).withDatabase(name).secretUrl();
  }

  private static void dropPgDatabase(String url) throws Exception {
    DatabaseTarget t = DatabaseTarget.parse(url);
    try (Connection c = connect(System.getenv("DBGUARD_TEST_PG_URL"));
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + t.database() + " WITH (FORCE)");
    }
  }
}
