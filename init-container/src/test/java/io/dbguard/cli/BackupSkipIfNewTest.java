package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard backup --skip-if-new}: the operator's first deploy of a database that does not
 * exist yet has nothing to back up, and says so in the step result instead of failing.
 */
class BackupSkipIfNewTest {
  @TempDir Path tmp;

  StepResult backup(String url, boolean skipIfNew, int expectedExit) throws Exception {
    Path backups = Files.createDirectories(tmp.resolve("backups"));
    Path term = tmp.resolve("term-" + skipIfNew);
    CliRun r =
        skipIfNew
            ? CliRun.of(
                "backup",
                "--database-url",
                url,
                "--backup-dir",
                backups.toString(),
                "--skip-if-new",
                "--termination-log",
                term.toString())
            : CliRun.of(
                "backup",
                "--database-url",
                url,
                "--backup-dir",
                backups.toString(),
                "--termination-log",
                term.toString());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(expectedExit);
    try (var s = Files.list(backups)) {
      assertThat(s.count()).as("no backup file written").isZero();
    }
    return StepResult.parse(Files.readString(term));
  }

  @Test
  void aMissingSqliteFileIsSkippedOnlyWithTheFlag() throws Exception {
    String url = "sqlite:" + tmp.resolve("new.db");

    StepResult skipped = backup(url, true, 0);
    assertThat(skipped.reason()).isEqualTo("BackupSkipped");
    assertThat(skipped.details()).containsEntry("newDatabase", "true");
    assertThat(skipped.backup()).isNull();
    assertThat(tmp.resolve("new.db")).doesNotExist();

    assertThat(backup(url, false, 10).reason()).isEqualTo("BackupFailed");
  }

  @Test
  void anExistingDatabaseWithoutTablesIsBackedUpAndStillReportedNew() throws Exception {
    Path db = tmp.resolve("empty.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("PRAGMA user_version = 3");
    }
    Path backups = Files.createDirectories(tmp.resolve("backups"));
    Path term = tmp.resolve("term");
    CliRun r =
        CliRun.of(
            "backup",
            "--database-url",
            "sqlite:" + db,
            "--backup-dir",
            backups.toString(),
            "--skip-if-new",
            "--termination-log",
            term.toString());
    assertThat(r.exitCode()).as(r.all()).isZero();
    StepResult result = StepResult.parse(Files.readString(term));
    assertThat(result.reason()).isEqualTo("BackupVerified");
    assertThat(result.details()).containsEntry("newDatabase", "true");
    assertThat(result.backup()).isNotNull();
    try (var files = Files.list(backups)) {
      assertThat(files.filter(p -> p.toString().endsWith(".sqlite3")).count()).isEqualTo(1);
    }
  }

  @Test
  void aMissingPostgresDatabaseIsSkippedWithTheFlag() throws Exception {
    String server = System.getenv("DBGUARD_TEST_PG_URL");
    if (server == null) {
      fail("DBGUARD_TEST_PG_URL is not set: run the tests through scripts/test.sh");
    }
    String url = server.replaceFirst("/[^/?]+(\\?.*)?$", "/dbguard_never_created_db");

    StepResult skipped = backup(url, true, 0);
    assertThat(skipped.reason()).isEqualTo("BackupSkipped");
    assertThat(skipped.details()).containsEntry("newDatabase", "true");
    assertThat(skipped.message()).doesNotContain(server.replaceAll(".*:([^@]*)@.*", "$1"));
  }
}
