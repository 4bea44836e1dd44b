package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard restore --from-copy} and {@code dbguard verify-data --from-copy}: the operator's
 * restore and data-check Jobs for {@code backup.method: VolumeSnapshot}, on real SQLite files. The
 * "copy" is a directory copy of the live volume, as a claim provisioned from a snapshot is.
 */
class SnapshotCopyCliTest {
  @TempDir Path tmp;

  private Path live() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("live"));
    Path db = dir.resolve("app.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)");
      for (int i = 0; i < 50; i++) {
        s.execute("INSERT INTO users (email) VALUES ('u" + i + "@example.com')");
      }
      s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, total INTEGER)");
      s.execute("INSERT INTO orders (user_id, total) VALUES (1, 10), (2, 20), (3, 30)");
    }
    return db;
  }

  /** A copy of the volume directory: the database file and whatever sidecars it has. */
  private Path snapshotOf(Path db) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("copy"));
    try (var files = Files.list(db.getParent())) {
      for (Path p : files.toList()) {
        Files.copy(p, dir.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir.resolve(db.getFileName());
  }

  private static List<String> rows(Path db, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(rs.getString(i)).append('|');
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @Test
  void restoreFromCopyBringsBackTheSnapshotContentAndKeepsTheFailedState() throws Exception {
    Path db = live();
    Path copy = snapshotOf(db);
    List<String> users = rows(db, "SELECT * FROM users ORDER BY id");
    List<String> orders = rows(db, "SELECT * FROM orders ORDER BY id");
    // a migration that went wrong half-way: a table dropped, rows changed
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("DROP TABLE orders");
      s.execute("UPDATE users SET email = NULL WHERE id < 10");
    }
    Path term = tmp.resolve("term");
    CliRun r =
        CliRun.of(
            "restore",
            "--database-url",
            "sqlite:" + db,
            "--from-copy",
            copy.toString(),
            "--termination-log",
            term.toString());
    assertThat(r.exitCode()).as(r.all()).isZero();
    StepResult result = StepResult.parse(Files.readString(term));
    assertThat(result.reason()).isEqualTo("Restored");
    assertThat(result.details()).containsEntry("rows", "53");
    assertThat(rows(db, "SELECT * FROM users ORDER BY id")).isEqualTo(users);
    assertThat(rows(db, "SELECT * FROM orders ORDER BY id")).isEqualTo(orders);
    Path kept = Path.of(result.details().get("keptFailedAs"));
    assertThat(rows(kept, "SELECT count(*) FROM sqlite_master WHERE name = 'orders'"))
        .as("the failed state is kept as it was")
        .containsExactly("0|");
  }

  @Test
  void aCorruptCopyIsRefusedAndTheDatabaseIsUntouched() throws Exception {
    Path db = live();
    Path copy = snapshotOf(db);
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("DELETE FROM orders");
    }
    Files.write(copy, "not a database, just bytes of a broken snapshot".repeat(200).getBytes());
    Files.deleteIfExists(Path.of(copy + "-wal"));
    Files.deleteIfExists(Path.of(copy + "-shm"));
    Path term = tmp.resolve("term");
    CliRun r =
        CliRun.of(
            "restore",
            "--database-url",
            "sqlite:" + db,
            "--from-copy",
            copy.toString(),
            "--termination-log",
            term.toString());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
    assertThat(StepResult.parse(Files.readString(term)).reason()).isEqualTo("BackupCorrupt");
    assertThat(rows(db, "SELECT count(*) FROM orders")).containsExactly("0|");
  }

  @Test
  void verifyDataFromCopyFindsLostRowsAndPassesWhenNothingIsLost() throws Exception {
    Path db = live();
    Path copy = snapshotOf(db);
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("ALTER TABLE users ADD COLUMN name TEXT");
    }
    Path term = tmp.resolve("term");
    CliRun ok =
        CliRun.of(
            "verify-data",
            "--database-url",
            "sqlite:" + db,
            "--from-copy",
            copy.toString(),
            "--termination-log",
            term.toString());
    assertThat(ok.exitCode()).as(ok.all()).isZero();
    assertThat(StepResult.parse(Files.readString(term)).message())
        .contains("nothing lost against snapshot copy");

    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      s.execute("DELETE FROM orders WHERE id > 1");
    }
    CliRun lost =
        CliRun.of(
            "verify-data",
            "--database-url",
            "sqlite:" + db,
            "--from-copy",
            copy.toString(),
            "--termination-log",
            term.toString());
    assertThat(lost.exitCode()).as(lost.all()).isEqualTo(22);
    StepResult res = StepResult.parse(Files.readString(term));
    assertThat(res.reason()).isEqualTo("DataLossDetected");
    assertThat(res.details().get("lost")).contains("orders");
  }

  @Test
  void verifyCopyPassesOnAFaithfulCopyAndRefusesADifferentOrCorruptOne() throws Exception {
    Path db = live();
    Path copy = snapshotOf(db);
    Path term = tmp.resolve("term");
    CliRun ok =
        CliRun.of(
            "verify",
            "--database-url",
            "sqlite:" + db,
            "--copy",
            copy.toString(),
            "--termination-log",
            term.toString());
    assertThat(ok.exitCode()).as(ok.all()).isZero();
    StepResult good = StepResult.parse(Files.readString(term));
    assertThat(good.reason()).isEqualTo("BackupVerified");
    assertThat(good.details()).containsEntry("rows", "53");

    // a copy that lost a row (a snapshot cut while something still wrote) is not a backup
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + copy);
        var s = c.createStatement()) {
      s.execute("DELETE FROM orders WHERE id = 3");
    }
    CliRun differs =
        CliRun.of(
            "verify",
            "--database-url",
            "sqlite:" + db,
            "--copy",
            copy.toString(),
            "--termination-log",
            term.toString());
    assertThat(differs.exitCode()).as(differs.all()).isEqualTo(11);
    StepResult bad = StepResult.parse(Files.readString(term));
    assertThat(bad.reason()).isEqualTo("BackupCorrupt");
    assertThat(bad.message()).contains("table orders has 2 rows").contains("the live database");

    Files.write(copy, "garbage".repeat(1000).getBytes());
    Files.deleteIfExists(Path.of(copy + "-wal"));
    Files.deleteIfExists(Path.of(copy + "-shm"));
    CliRun corrupt =
        CliRun.of(
            "verify",
            "--database-url",
            "sqlite:" + db,
            "--copy",
            copy.toString(),
            "--termination-log",
            term.toString());
    assertThat(corrupt.exitCode()).as(corrupt.all()).isEqualTo(11);
    assertThat(rows(db, "SELECT count(*) FROM orders")).containsExactly("3|");
  }

  @Test
  void fromCopyWithABackupSelectionIsAUsageError() throws Exception {
    Path db = live();
    CliRun both =
        CliRun.of(
            "restore",
            "--database-url",
            "sqlite:" + db,
            "--from-copy",
            db.toString(),
            "--backup-dir",
            tmp.toString());
    assertThat(both.exitCode()).as(both.all()).isEqualTo(4);
    assertThat(both.all()).contains("takes no backup selection");
  }
}
