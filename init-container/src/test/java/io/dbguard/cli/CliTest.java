package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import io.dbguard.core.report.StepResult;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as the operator's Jobs and people call it, on real SQLite files. */
class CliTest {
  @TempDir Path tmp;
  Path db;
  Path backups;
  Path termLog;
  String url;

  @BeforeEach
  void setUp() throws Exception {
    db = tmp.resolve("shop.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    termLog = tmp.resolve("termination-log");
    url = "sqlite:" + db;
    sql(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT)",
        "INSERT INTO customers(email, phone) VALUES ('a@x.io', '555-1'), ('b@x.io', NULL),"
            + " ('c@x.io', '555-3')");
  }

  void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  StepResult termination() throws Exception {
    String json = Files.readString(termLog);
    assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(4096);
    return StepResult.parse(json);
  }

  @Test
  void operatorStepsBackupThenVerifyDataThenRestoreFromTheManifest() throws Exception {
    CliRun backup =
        CliRun.of(
            "backup",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--environment",
            "staging",
            "--termination-log",
            termLog.toString());
    assertThat(backup.exitCode()).as(backup.all()).isZero();
    StepResult b = termination();
    assertThat(b.step()).isEqualTo("backup");
    assertThat(b.reason()).isEqualTo("BackupVerified");
    assertThat(b.backup().sha256()).matches("[0-9a-f]{64}");
    assertThat(b.backup().name()).startsWith("shop_staging_");
    Path manifest = Path.of(b.details().get("manifest"));
    assertThat(manifest).exists();
    assertThat(backup.out()).contains("✓ backup").contains("sqlite3 ");

    sql("ALTER TABLE customers DROP COLUMN phone", "DELETE FROM customers WHERE id = 2");
    CliRun check =
        CliRun.of(
            "verify-data",
            "--database-url",
            url,
            "--manifest",
            manifest.toString(),
            "--termination-log",
            termLog.toString());
    assertThat(check.exitCode()).as(check.all()).isEqualTo(22);
    StepResult c = termination();
    assertThat(c.reason()).isEqualTo("DataLossDetected");
    assertThat(c.details().get("lost")).contains("customers.phone").contains("customers");

    CliRun acked =
        CliRun.of(
            "verify-data",
            "--database-url",
            url,
            "--manifest",
            manifest.toString(),
            "--acknowledge-data-loss",
            "customers");
    assertThat(acked.exitCode()).as(acked.all()).isZero();

    CliRun restore =
        CliRun.of(
            "restore",
            "--database-url",
            url,
            "--manifest",
            manifest.toString(),
            "--termination-log",
            termLog.toString());
    assertThat(restore.exitCode()).as(restore.all()).isZero();
    StepResult r = termination();
    assertThat(r.reason()).isEqualTo("Restored");
    assertThat(r.details().get("keptFailedAs")).contains("shop.db.failed-");

    CliRun again =
        CliRun.of("verify-data", "--database-url", url, "--manifest", manifest.toString());
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.out()).contains("nothing lost");
  }

  @Test
  void corruptBackupIsRefusedByVerifyAndRestore() throws Exception {
    CliRun backup =
        CliRun.of(
            "backup",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--termination-log",
            termLog.toString());
    assertThat(backup.exitCode()).isZero();
    StepResult b = termination();
    Path manifest = Path.of(b.details().get("manifest"));
    Path file = Path.of(b.backup().file());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() - 1024);
    }
    sql("INSERT INTO customers(email) VALUES ('after@x.io')");
    DataProfile before = new SqliteEngine(DatabaseTarget.sqlite(db)).profile();

    CliRun verify = CliRun.of("verify", "--manifest", manifest.toString());
    assertThat(verify.exitCode()).as(verify.all()).isEqualTo(11);
    assertThat(verify.out()).contains("✗").contains("truncated");

    CliRun restore =
        CliRun.of(
            "restore",
            "--database-url",
            url,
            "--manifest",
            manifest.toString(),
            "--termination-log",
            termLog.toString());
    assertThat(restore.exitCode()).isEqualTo(11);
    assertThat(termination().reason()).isEqualTo("BackupCorrupt");
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(db)).profile()).isEqualTo(before);
  }

  @Test
  void restoreOfABackupWhoseFileIsGoneSaysBackupNotFoundAndTouchesNothing() throws Exception {
    CliRun backup =
        CliRun.of(
            "backup",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--termination-log",
            termLog.toString());
    assertThat(backup.exitCode()).as(backup.all()).isZero();
    StepResult b = termination();
    Files.delete(Path.of(b.backup().file()));
    sql("INSERT INTO customers(email) VALUES ('after@x.io')");
    DataProfile before = new SqliteEngine(DatabaseTarget.sqlite(db)).profile();
    // as the operator's restore Job selects it: by name in the backup directory
    CliRun restore =
        CliRun.of(
            "restore",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--backup",
            b.backup().name(),
            "--termination-log",
            termLog.toString());
    assertThat(restore.exitCode()).as(restore.all()).isEqualTo(4);
    StepResult r = termination();
    assertThat(r.reason()).isEqualTo("BackupNotFound");
    assertThat(r.message())
        .contains("backup file " + Path.of(b.backup().file()).getFileName() + " of backup ")
        .contains("is missing");
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(db)).profile()).isEqualTo(before);
  }

  @Test
  void runRollsBackAFailingMigrationAndEndsWithTheManualRestoreCommand() throws Exception {
    DataProfile before = new SqliteEngine(DatabaseTarget.sqlite(db)).profile();
    CliRun run =
        CliRun.of(
            "run",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--migrate-command",
            "java -cp '"
                + System.getProperty("java.class.path")
                + "' "
                + TestingMigration.class.getName()
                + " '"
                + db
                + "' '"
                + tmp.resolve("m")
                + "' exit",
            "--termination-log",
            termLog.toString());
    assertThat(run.exitCode()).as(run.all()).isEqualTo(20);
    assertThat(run.out())
        .contains("✓ backup", "✗ migrate", "✓ restore", "✓ verify restore", "ROLLED BACK")
        .contains("To restore this backup by hand")
        .contains("sqlite3 " + db);
    StepResult r = termination();
    assertThat(r.step()).isEqualTo("run");
    assertThat(r.exitCode()).isEqualTo(20);
    assertThat(r.reason()).isEqualTo("MigrationFailed");
    assertThat(r.details())
        .containsEntry("outcome", "ROLLED_BACK")
        .containsKey("manualRestoreCommand");
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(db)).profile()).isEqualTo(before);
  }

  @Test
  void jsonOutputIsTheStepResultOnStdout() throws Exception {
    CliRun run =
        CliRun.of(
            "run",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--migrate-command",
            "echo migrated",
            "--output",
            "json");
    assertThat(run.exitCode()).as(run.all()).isZero();
    StepResult r = StepResult.parse(run.out());
    assertThat(r.reason()).isEqualTo("Succeeded");
    assertThat(r.backup()).isNotNull();
    assertThat(run.err()).contains("✓ migrate");
  }

  @Test
  void badInputIsAUsageErrorWithoutSecrets() throws Exception {
    assertThat(CliRun.of("backup", "--bogus").exitCode()).isEqualTo(4);
    assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(4);
    CliRun malformed =
        CliRun.of(
            "backup",
            "--database-url",
            "postgresql://app:Hunter2Secret@host:xx/db",
            "--backup-dir",
            backups.toString());
    assertThat(malformed.exitCode()).isEqualTo(4);
    assertThat(malformed.all()).contains("postgresql://…").doesNotContain("Hunter2Secret");
    CliRun noMigration =
        CliRun.of("run", "--database-url", url, "--backup-dir", backups.toString());
    assertThat(noMigration.exitCode()).isEqualTo(4);
    assertThat(noMigration.all()).contains("--migrate-command or --sql-dir");
  }

  @Test
  void unreachableDatabaseIsExitFiveWithoutThePassword() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRun run =
        CliRun.of(
            "run",
            "--database-url",
            "postgresql://app:Hunter2Secret@127.0.0.1:" + port + "/shop",
            "--backup-dir",
            backups.toString(),
            "--migrate-command",
            "true",
            "--termination-log",
            termLog.toString());
    assertThat(run.exitCode()).as(run.all()).isEqualTo(5);
    assertThat(run.all()).contains("cannot connect").doesNotContain("Hunter2Secret");
    assertThat(Files.readString(termLog))
        .doesNotContain("Hunter2Secret")
        .contains("ConnectionFailed");
  }

  @Test
  void backupsListAndPrune() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(
              CliRun.of(
                      "backup",
                      "--database-url",
                      url,
                      "--backup-dir",
                      backups.toString(),
                      "--database-name",
                      "shop" + i)
                  .exitCode())
          .isZero();
    }
    CliRun list = CliRun.of("backups", "list", "--backup-dir", backups.toString());
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).contains("shop0_production_", "shop1_production_", "shop2_production_");
    CliRun dry =
        CliRun.of(
            "backups",
            "prune",
            "--backup-dir",
            backups.toString(),
            "--keep-last",
            "1",
            "--dry-run");
    assertThat(dry.exitCode()).as(dry.all()).isZero();
    assertThat(dry.out()).contains("would delete 2");
    assertThat(ManifestStore.list(backups)).hasSize(3);
    CliRun prune =
        CliRun.of("backups", "prune", "--backup-dir", backups.toString(), "--keep-last", "1");
    assertThat(prune.exitCode()).isZero();
    assertThat(ManifestStore.list(backups))
        .singleElement()
        .satisfies(m -> assertThat(m.name()).startsWith("shop2_"));
  }
}
