package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --keep-failed-copies} on restore, run and backups prune, on real SQLite files. */
class FailedCopiesCliTest {
  static final List<String> OLD =
      List.of(
          "shop.db.failed-20240101T000000Z",
          "shop.db.failed-20240102T000000Z",
          "shop.db.failed-20240103T000000Z",
          "shop.db.failed-20240104T000000Z");

  @TempDir Path tmp;
  Path data;
  Path db;
  Path backups;
  Path termLog;
  String url;

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectory(tmp.resolve("data"));
    db = data.resolve("shop.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    termLog = tmp.resolve("termination-log");
    url = "sqlite:" + db;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
      s.execute("INSERT INTO customers(email) VALUES ('a@x.io'), ('b@x.io')");
    }
    for (String n : OLD) {
      Files.writeString(data.resolve(n), n);
    }
  }

  List<String> failedCopies() throws Exception {
    try (var files = Files.list(data)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("shop.db.failed-"))
          .sorted()
          .toList();
    }
  }

  StepResult termination() throws Exception {
    String json = Files.readString(termLog);
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    return StepResult.parse(json);
  }

  Path backup() throws Exception {
    CliRun b =
        CliRun.of(
            "backup",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--termination-log",
            termLog.toString());
    assertThat(b.exitCode()).as(b.all()).isZero();
    return Path.of(termination().details().get("manifest"));
  }

  @Test
  void restoreKeepsTheNewestFailedCopiesAndReportsTheRest() throws Exception {
    Path manifest = backup();

    CliRun restore =
        CliRun.of(
            "restore",
            "--database-url",
            url,
            "--manifest",
            manifest.toString(),
            "--keep-failed-copies",
            "2",
            "--termination-log",
            termLog.toString());

    assertThat(restore.exitCode()).as(restore.all()).isZero();
    StepResult r = termination();
    String made = r.details().get("keptFailedAs");
    assertThat(made).contains("shop.db.failed-").isNotIn(OLD);
    assertThat(failedCopies())
        .containsExactlyInAnyOrder(Path.of(made).getFileName().toString(), OLD.get(3));
    assertThat(r.details())
        .containsEntry("failedCopiesKept", made + ", " + data.resolve(OLD.get(3)))
        .containsEntry(
            "failedCopiesRemoved",
            data.resolve(OLD.get(2))
                + ", "
                + data.resolve(OLD.get(1))
                + ", "
                + data.resolve(OLD.get(0)));
    assertThat(restore.out())
        .contains("✓ restore         failed copies: kept 2 failed copies")
        .contains("removed 3 older");
  }

  @Test
  void runRollsBackAndKeepsThreeFailedCopiesByDefault() throws Exception {
    CliRun run =
        CliRun.of(
            "run",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--migrate-command",
            "false",
            "--termination-log",
            termLog.toString());

    assertThat(run.exitCode()).as(run.all()).isEqualTo(20);
    StepResult r = termination();
    String made = r.details().get("keptFailedAs");
    assertThat(failedCopies())
        .containsExactlyInAnyOrder(Path.of(made).getFileName().toString(), OLD.get(3), OLD.get(2));
    assertThat(r.details().get("failedCopiesRemoved"))
        .isEqualTo(data.resolve(OLD.get(1)) + ", " + data.resolve(OLD.get(0)));
    assertThat(run.out()).contains("✓ restore         failed copies: kept 3 failed copies");
  }

  @Test
  void keepFailedCopiesBelowOneOrNotANumberIsAUsageErrorThatTouchesNothing() throws Exception {
    Path manifest = backup();
    List<List<String>> calls =
        List.of(
            List.of("restore", "--database-url", url, "--manifest", manifest.toString()),
            List.of(
                "run",
                "--database-url",
                url,
                "--backup-dir",
                backups.toString(),
                "--migrate-command",
                "false"),
            List.of("backups", "prune", "--database-url", url, "--backup-dir", backups.toString()));
    for (List<String> call : calls) {
      for (String bad : List.of("0", "-1", "many")) {
        String[] args =
            java.util.stream.Stream.concat(
                    call.stream(), java.util.stream.Stream.of("--keep-failed-copies", bad))
                .toArray(String[]::new);
        CliRun c = CliRun.of(args);
        assertThat(c.exitCode()).as(String.join(" ", args) + "\n" + c.all()).isEqualTo(4);
        assertThat(c.err())
            .contains("--keep-failed-copies")
            .contains(bad.equals("many") ? "not a whole number" : "at least 1");
      }
    }
    assertThat(failedCopies()).containsExactlyElementsOf(OLD);
  }

  @Test
  void backupsPruneAlsoPrunesFailedCopiesOfTheGivenDatabase() throws Exception {
    backup();
    CliRun dry =
        CliRun.of(
            "backups",
            "prune",
            "--backup-dir",
            backups.toString(),
            "--database-url",
            url,
            "--keep-failed-copies",
            "1",
            "--dry-run");
    assertThat(dry.exitCode()).as(dry.all()).isZero();
    assertThat(dry.out()).contains("would delete").contains(OLD.get(0)).contains("would remove 3");
    assertThat(failedCopies()).containsExactlyElementsOf(OLD);

    CliRun prune =
        CliRun.of(
            "backups",
            "prune",
            "--backup-dir",
            backups.toString(),
            "--database-url",
            url,
            "--keep-failed-copies",
            "1",
            "--termination-log",
            termLog.toString());

    assertThat(prune.exitCode()).as(prune.all()).isZero();
    assertThat(failedCopies()).containsExactly(OLD.get(3));
    StepResult r = termination();
    assertThat(r.message()).contains("removed 3 failed copies of " + db);
    assertThat(r.details()).containsEntry("failedCopiesKept", data.resolve(OLD.get(3)).toString());
    assertThat(r.details()).containsEntry("deleted", "0");

    // without a database there is nothing to prune copies of: a usage error, nothing deleted
    CliRun noDb =
        CliRun.of(
            "backups", "prune", "--backup-dir", backups.toString(), "--keep-failed-copies", "1");
    if (System.getenv("DATABASE_URL") == null) {
      assertThat(noDb.exitCode()).as(noDb.all()).isEqualTo(4);
      assertThat(noDb.out()).contains("no database given");
    }
  }
}
