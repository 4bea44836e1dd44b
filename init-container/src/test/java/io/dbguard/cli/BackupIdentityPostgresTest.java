package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of two PostgreSQL databases in one directory, on the real test server: restore,
 * verify-data and prune only ever use a database's own backups. Fails, never skips, without {@code
 * DBGUARD_TEST_PG_URL}.
 */
class BackupIdentityPostgresTest {
  @TempDir Path tmp;
  DatabaseTarget server;
  DatabaseTarget shop;
  DatabaseTarget blog;
  Path backups;

  @BeforeEach
  void setUp() throws Exception {
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null || System.getenv("DBGUARD_PG_BIN_DIR") == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    server = DatabaseTarget.parse(url);
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    shop = server.withDatabase("idshop_" + suffix);
    blog = server.withDatabase("idblog_" + suffix);
    try (Connection c = MigratePostgresTest.connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + shop.database());
      s.execute("CREATE DATABASE " + blog.database());
    }
    exec(
        shop,
        "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 3)");
    exec(blog, "CREATE TABLE posts (id int PRIMARY KEY); INSERT INTO posts VALUES (1)");
    backups = Files.createDirectory(tmp.resolve("backups"));
    backup(shop, "shop");
    backup(blog, "blog");
  }

  @AfterEach
  void tearDown() throws Exception {
    try (Connection c = MigratePostgresTest.connect(server);
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT string_agg(quote_ident(datname), ' ') FROM pg_database WHERE datname LIKE"
                  + " 'id%\\_"
                  + shop.database().substring(7)
                  + "%'")) {
        rs.next();
        if (rs.getString(1) != null) {
          for (String db : rs.getString(1).split(" ")) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
          }
        }
      }
    }
  }

  static void exec(DatabaseTarget db, String sql) throws Exception {
    try (Connection c = MigratePostgresTest.connect(db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long orders(DatabaseTarget db) throws Exception {
    try (Connection c = MigratePostgresTest.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void backup(DatabaseTarget db, String label) {
    CliRun b =
        CliRun.of(
            "backup",
            "--database-url",
            db.secretUrl(),
            "--database-name",
            label,
            "--backup-dir",
            backups.toString());
    assertThat(b.exitCode()).as(b.all()).isZero();
  }

  String nameOf(String prefix) {
    return ManifestStore.list(backups).stream()
        .map(m -> m.name())
        .filter(n -> n.startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void manifestsRecordTheClusterAndDatabase() {
    var m =
        ManifestStore.list(backups).stream()
            .filter(x -> x.name().startsWith("shop_"))
            .findFirst()
            .orElseThrow();
    assertThat(m.database())
        .containsEntry("database", shop.database())
        .containsKey("systemIdentifier")
        .containsKey("databaseOid");
  }

  @Test
  void restoreUsesTheDatabasesOwnBackupAndRefusesAnothers() throws Exception {
    exec(shop, "DELETE FROM orders");
    Path term = tmp.resolve("term");
    CliRun other =
        CliRun.of(
            "restore",
            "--database-url",
            shop.secretUrl(),
            "--backup-dir",
            backups.toString(),
            "--backup",
            nameOf("blog_"),
            "--termination-log",
            term.toString());
    assertThat(other.exitCode()).as(other.all()).isEqualTo(4);
    assertThat(StepResult.parse(Files.readString(term)).reason())
        .isEqualTo("BackupOfOtherDatabase");
    assertThat(other.all()).contains(shop.database()).contains(blog.database());

    CliRun r =
        CliRun.of(
            "restore", "--database-url", shop.secretUrl(), "--backup-dir", backups.toString());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.all()).contains(nameOf("shop_"));
    assertThat(orders(shop)).isEqualTo(3);
  }

  @Test
  void verifyDataComparesWithTheDatabasesOwnBackup() throws Exception {
    exec(shop, "DELETE FROM orders");
    CliRun r =
        CliRun.of(
            "verify-data", "--database-url", shop.secretUrl(), "--backup-dir", backups.toString());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(22);
    assertThat(r.all()).contains("lost 3 rows");
  }

  @Test
  void pruneKeepLastOneKeepsEachDatabasesOnlyBackup() {
    String shopBackup = nameOf("shop_");
    CliRun r =
        CliRun.of("backups", "prune", "--backup-dir", backups.toString(), "--keep-last", "1");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(ManifestStore.list(backups)).hasSize(2);
    CliRun scoped =
        CliRun.of(
            "backups",
            "prune",
            "--database-url",
            blog.secretUrl(),
            "--backup-dir",
            backups.toString(),
            "--keep-last",
            "1");
    assertThat(scoped.exitCode()).as(scoped.all()).isZero();
    assertThat(nameOf("shop_")).isEqualTo(shopBackup);
  }
}
