package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard restore --set-aside-new}: the operator's restore Job for a SQLite database that
 * did not exist before a failed first attempt (there is no backup).
 */
class SetAsideNewCliTest {
  @TempDir Path tmp;

  @Test
  void theCreatedFileIsMovedAsideWithItsWalAndReported() throws Exception {
    Path db = tmp.resolve("app.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA wal_autocheckpoint=0");
      s.execute("CREATE TABLE half_built (id INTEGER PRIMARY KEY)");
      s.execute("INSERT INTO half_built VALUES (1)");
      Path term = tmp.resolve("term");
      // the connection stays open, so the WAL holds the row when the file is moved
      CliRun r =
          CliRun.of(
              "restore",
              "--database-url",
              "sqlite:" + db,
              "--set-aside-new",
              "--termination-log",
              term.toString());
      assertThat(r.exitCode()).as(r.all()).isZero();
      StepResult result = StepResult.parse(Files.readString(term));
      assertThat(result.reason()).isEqualTo("SetAside");
      Path kept = Path.of(result.details().get("keptFailedAs"));
      assertThat(kept.getFileName().toString()).startsWith("app.db.failed-");
      assertThat(db).doesNotExist();
      assertThat(Path.of(db + "-wal")).doesNotExist();
      assertThat(Path.of(kept + "-wal")).exists();
    }
    Path kept;
    try (var files = Files.list(tmp)) {
      kept =
          files
              .filter(p -> p.getFileName().toString().matches("app\\.db\\.failed-[0-9TZ]+"))
              .findFirst()
              .orElseThrow();
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + kept);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM half_built")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the kept copy still pairs with its WAL").isEqualTo(1);
    }
  }

  @Test
  void nothingThereIsNothingToSetAsideAndABackupSelectionIsAUsageError() throws Exception {
    Path term = tmp.resolve("term");
    CliRun none =
        CliRun.of(
            "restore",
            "--database-url",
            "sqlite:" + tmp.resolve("never.db"),
            "--set-aside-new",
            "--termination-log",
            term.toString());
    assertThat(none.exitCode()).as(none.all()).isZero();
    assertThat(StepResult.parse(Files.readString(term)).reason()).isEqualTo("NothingToSetAside");

    CliRun both =
        CliRun.of(
            "restore",
            "--database-url",
            "sqlite:" + tmp.resolve("x.db"),
            "--set-aside-new",
            "--backup-dir",
            tmp.toString());
    assertThat(both.exitCode()).as(both.all()).isEqualTo(4);
    assertThat(both.all()).contains("takes no backup selection");
  }
}
