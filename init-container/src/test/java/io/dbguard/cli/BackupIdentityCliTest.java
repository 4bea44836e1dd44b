package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of two SQLite databases in one directory: restore, verify-data and prune only ever use a
 * database's own backups (issue: restore chose blog's backup for shop).
 */
class BackupIdentityCliTest {
  @TempDir Path tmp;
  Path shop;
  Path blog;
  Path backups;

  @BeforeEach
  void setUp() throws Exception {
    shop = tmp.resolve("shop.db");
    blog = tmp.resolve("blog.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    exec(shop, "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
    exec(shop, "INSERT INTO orders(item) VALUES ('a'), ('b'), ('c')");
    exec(blog, "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
    exec(blog, "INSERT INTO posts(title) VALUES ('hello')");
    backup(shop);
    Thread.sleep(1100); // blog's backup is the newer one, in another second
    backup(blog);
  }

  static void exec(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long count(Path db, String table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void backup(Path db) {
    CliRun b =
        CliRun.of("backup", "--database-url", "sqlite:" + db, "--backup-dir", backups.toString());
    assertThat(b.exitCode()).as(b.all()).isZero();
  }

  String nameOf(String prefix) throws Exception {
    try (var s = Files.list(backups)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(".manifest.json"))
          .map(n -> n.substring(0, n.length() - ".manifest.json".length()))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void restoreChoosesTheNewestBackupOfThisDatabaseNotTheNewestInTheDirectory() throws Exception {
    exec(shop, "DELETE FROM orders WHERE id > 1");

    CliRun r =
        CliRun.of(
            "restore", "--database-url", "sqlite:" + shop, "--backup-dir", backups.toString());

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.all()).contains(nameOf("shop_"));
    assertThat(count(shop, "orders")).isEqualTo(3);
  }

  @Test
  void aNamedBackupOfAnotherDatabaseIsRefusedNamingBothUnlessForced() throws Exception {
    String blogBackup = nameOf("blog_");
    CliRun r =
        CliRun.of(
            "restore",
            "--database-url",
            "sqlite:" + shop,
            "--backup-dir",
            backups.toString(),
            "--backup",
            blogBackup,
            "--termination-log",
            tmp.resolve("term").toString());

    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(StepResult.parse(Files.readString(tmp.resolve("term"))).reason())
        .isEqualTo("BackupOfOtherDatabase");
    assertThat(r.all())
        .contains("refusing to restore")
        .contains(blog.toRealPath().toString())
        .contains(shop.toRealPath().toString());
    assertThat(count(shop, "orders")).isEqualTo(3);

    CliRun forced =
        CliRun.of(
            "restore",
            "--database-url",
            "sqlite:" + shop,
            "--backup-dir",
            backups.toString(),
            "--backup",
            blogBackup,
            "--force-other-database");
    assertThat(forced.exitCode()).as(forced.all()).isZero();
    assertThat(count(shop, "posts")).isEqualTo(1);
  }

  @Test
  void verifyDataComparesWithThisDatabasesBackup() throws Exception {
    exec(shop, "DELETE FROM orders");

    CliRun r =
        CliRun.of(
            "verify-data", "--database-url", "sqlite:" + shop, "--backup-dir", backups.toString());

    assertThat(r.exitCode()).as(r.all()).isEqualTo(22);
    assertThat(r.all()).contains("orders: lost 3 rows (3 → 0)");
  }

  @Test
  void pruneKeepsTheNewestBackupOfEachDatabase() throws Exception {
    String shopBackup = nameOf("shop_");

    CliRun r =
        CliRun.of("backups", "prune", "--backup-dir", backups.toString(), "--keep-last", "1");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(backups.resolve(shopBackup + ".manifest.json")).exists();
    assertThat(backups.resolve(nameOf("blog_") + ".manifest.json")).exists();

    CliRun scoped =
        CliRun.of(
            "backups",
            "prune",
            "--database-url",
            "sqlite:" + blog,
            "--backup-dir",
            backups.toString(),
            "--keep-last",
            "1");
    assertThat(scoped.exitCode()).as(scoped.all()).isZero();
    assertThat(scoped.all()).doesNotContain(shopBackup);
    assertThat(backups.resolve(shopBackup + ".manifest.json")).exists();
  }
}
