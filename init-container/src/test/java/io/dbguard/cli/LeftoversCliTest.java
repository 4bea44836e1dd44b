package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.postgres.PgNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 7: what a {@code kill -9} leaves. A real child JVM running {@code dbguard backup} is
 * killed with SIGKILL while its hidden in-progress file exists; {@code backups list} shows the
 * leftover, and the next command of that database (holding its run lock) removes its own leftovers,
 * says so, and leaves other databases' leftovers alone. The restore-aside database a kill during a
 * swap restore leaves is created exactly as the swap names it (the kill itself is not deterministic
 * there: the orphaned pg_restore may still be connected). Real SQLite files and the real PostgreSQL
 * test server.
 */
class LeftoversCliTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final String CP = System.getProperty("java.class.path");

  @TempDir Path tmp;

  @Test
  void aSqliteBackupKilledWithSigkillLeavesFilesThatTheNextBackupOfThatDatabaseRemoves()
      throws Exception {
    Path shop = tmp.resolve("shop.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + shop);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
      // ~60 MB, so the backup runs long enough to be killed half-way
      s.execute(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
              + " INSERT INTO orders(body) SELECT printf('%.200c', 'x') || i FROM n");
    }
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    killDuringBackup("sqlite:" + shop, backups, "sqlite3");
    List<Path> own = hidden(backups, ".sqlite3." + tag("SQLite " + shop.toRealPath()));
    assertThat(own).as("the killed backup's in-progress file").isNotEmpty();
    // another database with the same file name, elsewhere: its leftover must survive
    Path otherShop = Files.createDirectory(tmp.resolve("other")).resolve("shop.db");
    Path foreign =
        backups.resolve(
            ".shop_production_20200101_000000.sqlite3." + tag("SQLite " + otherShop) + ".tmp");
    Files.writeString(foreign, "another database's interrupted backup");
    Path legacy = backups.resolve(".shop_production_20200101_000001.sqlite3.tmp");
    Files.writeString(legacy, "an interrupted backup of an earlier build: no owner");

    CliRun list = CliRun.of("backups", "list", "--backup-dir", backups.toString());
    assertThat(list.exitCode()).as(list.all()).isZero();
    assertThat(list.out()).contains("Leftovers of interrupted backups").contains(legacy.toString());
    own.forEach(p -> assertThat(list.out()).contains(p.toString()));
    CliRun json =
        CliRun.of("backups", "list", "--backup-dir", backups.toString(), "--output", "json");
    assertThat(json.out()).contains("\"fileState\" : \"leftover\"").contains(foreign.toString());

    CliRun next =
        CliRun.of("backup", "--database-url", "sqlite:" + shop, "--backup-dir", backups.toString());

    assertThat(next.exitCode()).as(next.all()).isZero();
    assertThat(next.all()).contains("removed what an interrupted run of this database left");
    own.forEach(p -> assertThat(next.all()).contains(p.toString()));
    own.forEach(p -> assertThat(p).as("own leftover").doesNotExist());
    assertThat(foreign).as("another database's leftover").exists();
    assertThat(legacy).as("a leftover without an owner").exists();
    assertThat(hidden(backups, ".sqlite3.")).containsExactlyInAnyOrder(foreign, legacy);
  }

  @Test
  void aPostgresBackupKilledWithSigkillAndAnInterruptedSwapAreCleanedByTheNextRunOfThatDatabase()
      throws Exception {
    String url = newPgDatabase("shop");
    String other = newPgDatabase("blog");
    String live = DatabaseTarget.parse(url).database();
    String otherDb = DatabaseTarget.parse(other).database();
    String aside = PgNames.derived(live, "_restore_20200101_000000");
    String otherAside = PgNames.derived(otherDb, "_restore_20200101_000000");
    try {
      try (Connection c = connect(url);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id int PRIMARY KEY, body text NOT NULL)");
        s.execute(
            "INSERT INTO orders SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, 300000)"
                + " i");
      }
      Path backups = Files.createDirectory(tmp.resolve("backups"));
      killDuringBackup(url, backups, "dump");
      List<Path> own = hidden(backups, ".dump.");
      assertThat(own).as("the killed backup's in-progress file").isNotEmpty();
      // what a kill -9 during a swap restore leaves: the aside database, named as the swap names it
      try (Connection c = connect(System.getenv("DBGUARD_TEST_PG_URL"));
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE \"" + aside + "\"");
        s.execute("CREATE DATABASE \"" + otherAside + "\"");
      }

      // the server notices the killed run's closed session (its lock) asynchronously: retry
      CliRun next = null;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      do {
        if (next != null) {
          Thread.sleep(200);
        }
        next = CliRun.of("backup", "--database-url", url, "--backup-dir", backups.toString());
      } while (next.exitCode() == 6 && System.nanoTime() < deadline);

      assertThat(next.exitCode()).as(next.all()).isZero();
      assertThat(next.all())
          .contains("removed what an interrupted run of this database left")
          .contains("database " + aside)
          .doesNotContain(DatabaseTarget.parse(url).password());
      own.forEach(p -> assertThat(p).as("own leftover").doesNotExist());
      assertThat(hidden(backups, ".")).isEmpty();
      assertThat(databaseExists(aside)).as("own restore-aside database").isFalse();
      assertThat(databaseExists(otherAside)).as("another database's restore-aside").isTrue();
    } finally {
      dropPgDatabase(live);
      dropPgDatabase(otherDb);
      dropPgDatabase(aside);
      dropPgDatabase(otherAside);
    }
  }

  /** Starts {@code dbguard backup} in a child JVM and kills it (SIGKILL) mid-backup. */
  private void killDuringBackup(String url, Path backups, String ext) throws Exception {
    Path out = tmp.resolve("killed.out");
    ProcessBuilder pb =
        new ProcessBuilder(
                JAVA, "-cp", CP, Main.class.getName(), "backup", "--backup-dir", backups.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("DATABASE_URL", url);
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (hidden(backups, "." + ext + ".").stream().noneMatch(LeftoversCliTest::nonEmpty)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          fail("the backup ended before it could be killed: " + Files.readString(out));
        }
        Thread.sleep(5);
      }
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(p.exitValue()).as(Files.readString(out)).isEqualTo(137);
  }

  private static boolean nonEmpty(Path p) {
    try {
      return Files.size(p) > 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Hidden files of {@code dir} whose name contains {@code part}. */
  private static List<Path> hidden(Path dir, String part) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("."))
          .filter(f -> f.getFileName().toString().contains(part))
          .sorted()
          .toList();
    }
  }

  /** The owner tag a backup of that database puts into its in-progress file name. */
  private static String tag(String key) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 6);
  }

  private static Connection connect(String url) throws Exception {
    DatabaseTarget t = DatabaseTarget.parse(url);
    Properties p = new Properties();
    p.setProperty("user", t.user());
    p.setProperty("password", t.password());
    return DriverManager.getConnection(t.jdbcUrl(), p);
  }

  private static String newPgDatabase(String tag) throws Exception {
    String server = System.getenv("DBGUARD_TEST_PG_URL");
    if (server == null || System.getenv("DBGUARD_PG_BIN_DIR") == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    String name =
        "dbguard_left_" + tag + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return DatabaseTarget.parse(server).withDatabase(name).secretUrl();
  }

  private static boolean databaseExists(String db) throws Exception {
    try (Connection c = connect(System.getenv("DBGUARD_TEST_PG_URL"));
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void dropPgDatabase(String db) throws Exception {
    try (Connection c = connect(System.getenv("DBGUARD_TEST_PG_URL"));
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
    }
  }
}
