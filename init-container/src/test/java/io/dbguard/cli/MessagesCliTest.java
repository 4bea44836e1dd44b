package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.report.StepResult;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 10: the messages and exit codes of unusual but ordinary situations, each against
 * real files and the real PostgreSQL test server.
 */
class MessagesCliTest {
  @TempDir Path tmp;

  private Path sqliteWithTable() throws Exception {
    Path db = tmp.resolve("shop.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }
    return db;
  }

  @Test
  void aBackupDirThatIsAFileIsCalledAFile() throws Exception {
    Path db = sqliteWithTable();
    Path file = Files.writeString(tmp.resolve("backups"), "not a directory");
    for (String cmd : new String[] {"backup", "run"}) {
      CliRun r =
          cmd.equals("backup")
              ? CliRun.of(
                  "backup", "--database-url", "sqlite:" + db, "--backup-dir", file.toString())
              : CliRun.of(
                  "run",
                  "--database-url",
                  "sqlite:" + db,
                  "--backup-dir",
                  file.toString(),
                  "--migrate-command",
                  "true");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(10);
      assertThat(r.all()).contains("is a file, not a directory").doesNotContain("does not exist");
    }
    CliRun list = CliRun.of("backups", "list", "--backup-dir", file.toString());
    assertThat(list.exitCode()).as(list.all()).isEqualTo(4);
    assertThat(list.all()).contains("is a file, not a directory");
  }

  @Test
  void backupsListOnAMissingDirectoryIsAnError() {
    Path missing = tmp.resolve("no-such-dir");
    CliRun r = CliRun.of("backups", "list", "--backup-dir", missing.toString());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.all()).contains(missing + " does not exist").doesNotContain("no backups");
  }

  @Test
  void aZeroByteSqliteFileIsAnEmptyDatabaseAndIsBackedUpAndRestored() throws Exception {
    Path db = Files.createFile(tmp.resolve("empty.db"));
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    String url = "sqlite:" + db;
    CliRun b = CliRun.of("backup", "--database-url", url, "--backup-dir", backups.toString());
    assertThat(b.exitCode()).as(b.all()).isZero();
    assertThat(b.all()).contains("✓ backup").doesNotContain("does not exist");
    // a failed first migration is restored to the empty database, not set aside
    CliRun run =
        CliRun.of(
            "run",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--environment",
            "ci",
            "--migrate-command",
            "sqlite3 \"$DATABASE_PATH\" 'CREATE TABLE half (id INTEGER)' && exit 1",
            "--output",
            "json");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(20);
    assertThat(run.all()).doesNotContain("does not exist yet");
    StepResult r = StepResult.parse(run.out());
    assertThat(r.backup()).as("the run backed the empty database up").isNotNull();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
      rs.next();
      assertThat(rs.getLong(1)).as("restored to empty").isZero();
    }
  }

  @Test
  void anUnknownCommandWithHelpIsAUsageError() {
    CliRun r = CliRun.of("frobnicate", "--help");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.err()).contains("frobnicate");
    assertThat(r.out()).doesNotContain("Usage: dbguard");
    assertThat(CliRun.of("--help").exitCode()).isZero();
    assertThat(CliRun.of("backup", "--help").exitCode()).isZero();
    CliRun plan = CliRun.of("plan", "--help");
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    assertThat(plan.out()).contains("Usage: dbguard plan", "--plan-command", "--fail-on");
  }

  @Test
  void aTamperedPostgresDumpWithARewrittenSha256IsBackupCorrupt() throws Exception {
    DatabaseTarget db = newPgDatabase("dbguard_tamper");
    try {
      try (Connection c = connect(db);
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS note"
                + " FROM generate_series(1, 20000) g");
      }
      Path backups = Files.createDirectory(tmp.resolve("backups"));
      CliRun b =
          CliRun.of("backup", "--database-url", db.secretUrl(), "--backup-dir", backups.toString());
      assertThat(b.exitCode()).as(b.all()).isZero();
      Path dump;
      Path manifest;
      try (Stream<Path> files = Files.list(backups)) {
        dump = files.filter(p -> p.toString().endsWith(".dump")).findFirst().orElseThrow();
      }
      manifest = Path.of(dump.toString().replace(".dump", ".manifest.json"));
      String oldSha = sha256(dump);
      try (RandomAccessFile f = new RandomAccessFile(dump.toFile(), "rw")) {
        long at = f.length() * 3 / 4;
        byte[] junk = new byte[64];
        f.seek(at);
        f.write(junk);
      }
      String newSha = sha256(dump);
      Files.writeString(
          manifest,
          Files.readString(manifest, StandardCharsets.UTF_8).replace(oldSha, newSha),
          StandardCharsets.UTF_8);
      try (Connection c = connect(db);
          Statement s = c.createStatement()) {
        s.execute("DELETE FROM orders WHERE id > 10");
      }
      CliRun r =
          CliRun.of(
              "restore",
              "--database-url",
              db.secretUrl(),
              "--manifest",
              manifest.toString(),
              "--output",
              "json");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
      assertThat(StepResult.parse(r.out()).reason()).isEqualTo("BackupCorrupt");
      try (Connection c = connect(db);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the database was not touched").isEqualTo(10);
      }
    } finally {
      dropPgDatabase(db.database());
    }
  }

  @Test
  void thePrintedPostgresManualRestoreWorksForA63ByteName() throws Exception {
    String name = "dbguard_long_" + "x".repeat(63 - "dbguard_long_".length() - 4) + randomTail();
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(63);
    DatabaseTarget db = newPgDatabase(name);
    String failed = null;
    try {
      try (Connection c = connect(db);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
        s.execute("INSERT INTO orders SELECT generate_series(1, 7)");
      }
      Path backups = Files.createDirectory(tmp.resolve("backups"));
      CliRun b =
          CliRun.of(
              "backup",
              "--database-url",
              db.secretUrl(),
              "--backup-dir",
              backups.toString(),
              "--output",
              "json");
      assertThat(b.exitCode()).as(b.all()).isZero();
      String command = StepResult.parse(b.out()).details().get("manualRestoreCommand");
      try (Connection c = connect(db);
          Statement s = c.createStatement()) {
        s.execute("DELETE FROM orders");
      }
      ProcessBuilder pb =
          new ProcessBuilder("/bin/sh", "-c", command)
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("manual.out").toFile());
      pb.environment().put("PGPASSWORD", db.password() == null ? "" : db.password());
      pb.environment()
          .put("PATH", System.getenv("DBGUARD_PG_BIN_DIR") + ":" + System.getenv("PATH"));
      Process p = pb.start();
      p.waitFor();
      assertThat(p.exitValue())
          .as(command + "\n" + Files.readString(tmp.resolve("manual.out")))
          .isZero();
      try (Connection c = connect(db);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
        rs.next();
        assertThat(rs.getLong(1)).as("restored by the printed command").isEqualTo(7);
      }
      failed = io.dbguard.core.engine.postgres.PgNames.derived(name, "_failed");
    } finally {
      dropPgDatabase(name);
      dropPgDatabase(io.dbguard.core.engine.postgres.PgNames.derived(name, "_restore"));
      if (failed != null) {
        dropPgDatabase(failed);
      }
    }
  }

  private static String randomTail() {
    return java.util.UUID.randomUUID().toString().substring(0, 4);
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  private static DatabaseTarget server() {
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null || System.getenv("DBGUARD_PG_BIN_DIR") == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    return DatabaseTarget.parse(url);
  }

  private static DatabaseTarget newPgDatabase(String prefix) throws Exception {
    String name =
        prefix.length() >= 60
            ? prefix
            : prefix + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = connect(server());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    }
    return server().withDatabase(name);
  }

  private static void dropPgDatabase(String name) throws Exception {
    try (Connection c = connect(server());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }
  }

  private static Connection connect(DatabaseTarget t) throws Exception {
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
