package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backups prune --delete NAME… --expect NAME…} on real SQLite databases and real backup
 * files: exactly the named backups of the database go, nothing else in the directory is touched.
 */
class ExactPruneCliTest {
  @TempDir Path tmp;
  Path shop;
  Path blog;
  Path backups;
  Path term;

  @BeforeEach
  void setUp() throws Exception {
    shop = tmp.resolve("shop.db");
    blog = tmp.resolve("blog.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    term = tmp.resolve("term");
    BackupIdentityCliTest.exec(shop, "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)");
    BackupIdentityCliTest.exec(blog, "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT)");
    for (int i = 0; i < 3; i++) {
      BackupIdentityCliTest.exec(shop, "INSERT INTO orders(item) VALUES ('x" + i + "')");
      backup(shop);
      Thread.sleep(1100); // backup names carry the second
    }
    backup(blog);
    Files.writeString(backups.resolve("notes.txt"), "not a backup");
  }

  void backup(Path db) {
    CliRun b =
        CliRun.of("backup", "--database-url", "sqlite:" + db, "--backup-dir", backups.toString());
    assertThat(b.exitCode()).as(b.all()).isZero();
  }

  /** Backup names of {@code prefix}, oldest first (names sort by their UTC stamp). */
  List<String> names(String prefix) throws Exception {
    try (Stream<Path> s = Files.list(backups)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(".manifest.json"))
          .map(n -> n.substring(0, n.length() - ".manifest.json".length()))
          .sorted()
          .toList();
    }
  }

  CliRun prune(Path db, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "backups",
                "prune",
                "--database-url",
                "sqlite:" + db,
                "--backup-dir",
                backups.toString(),
                "--termination-log",
                term.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  StepResult result() throws Exception {
    return StepResult.parse(Files.readString(term));
  }

  @Test
  void deletesExactlyTheNamedBackupsAndChecksTheExpectedOnes() throws Exception {
    List<String> shops = names("shop_");
    assertThat(shops).hasSize(3);
    String blogBackup = names("blog_").get(0);
    String oldest = shops.get(0);
    String middle = shops.get(1);
    String newest = shops.get(2);
    String middleFile =
        Files.list(backups)
            .map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith(middle) && !n.endsWith(".manifest.json"))
            .findFirst()
            .orElseThrow();
    Files.delete(backups.resolve(middleFile)); // the middle one's file disappeared

    CliRun r = prune(shop, "--delete", oldest, "--expect", middle, "--expect", newest);

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(names("shop_")).containsExactly(middle, newest);
    assertThat(names("blog_")).containsExactly(blogBackup);
    assertThat(backups.resolve("notes.txt")).exists();
    assertThat(Files.list(backups).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.startsWith(oldest));
    StepResult res = result();
    assertThat(res.reason()).isEqualTo("Pruned");
    assertThat(res.details())
        .containsEntry("deleted", "1")
        .containsEntry("deletedNames", oldest)
        .containsEntry("missing", middle)
        .doesNotContainKey("absent");

    // again: the deleted one is reported absent, not an error
    CliRun again = prune(shop, "--delete", oldest);
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(result().details()).containsEntry("deleted", "0").containsEntry("absent", oldest);
  }

  @Test
  void refusesAnotherDatabasesBackupAndDeletesNothing() throws Exception {
    String blogBackup = names("blog_").get(0);
    String oldestShop = names("shop_").get(0);

    CliRun r = prune(shop, "--delete", oldestShop, "--delete", blogBackup);

    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(result().reason()).isEqualTo("BackupOfOtherDatabase");
    assertThat(names("blog_")).containsExactly(blogBackup);
    assertThat(names("shop_")).hasSize(3).contains(oldestShop);
  }

  @Test
  void refusesTheNewestVerifiedBackupOfTheDatabase() throws Exception {
    List<String> shops = names("shop_");

    CliRun r = prune(shop, "--delete", shops.get(0), "--delete", shops.get(2));

    assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
    assertThat(result().reason()).isEqualTo("Blocked");
    assertThat(result().message()).contains("newest verified backup");
    assertThat(names("shop_")).containsExactlyElementsOf(shops);
  }

  @Test
  void expectAloneChecksAndDeletesNothing() throws Exception {
    List<String> shops = names("shop_");
    String blogBackup = names("blog_").get(0);

    CliRun r = prune(shop, "--expect", shops.get(0), "--expect", blogBackup);

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(names("shop_")).containsExactlyElementsOf(shops);
    assertThat(names("blog_")).containsExactly(blogBackup);
    // another database's backup is not one of this database's: reported missing
    assertThat(result().details())
        .containsEntry("deleted", "0")
        .containsEntry("missing", blogBackup);
  }

  @Test
  void withoutADatabaseItIsAUsageError() throws Exception {
    String oldest = names("shop_").get(0);
    CliRun r =
        CliRun.of(
            "backups",
            "prune",
            "--backup-dir",
            backups.toString(),
            "--delete",
            oldest,
            "--termination-log",
            term.toString());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(result().reason()).isEqualTo("Usage");
    assertThat(names("shop_")).contains(oldest);
  }
}
