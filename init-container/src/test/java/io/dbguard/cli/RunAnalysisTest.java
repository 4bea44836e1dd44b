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
 * The analyze step of {@code dbguard run} (docs/design.md §3): the production guard and the lint of
 * the pending migrations run before the database is touched, on real SQLite files and real Flyway
 * history.
 */
class RunAnalysisTest {
  @TempDir Path tmp;
  Path db;
  Path backups;
  Path applied;
  Path pending;
  Path termLog;

  @BeforeEach
  void setUp() throws Exception {
    db = tmp.resolve("shop.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    termLog = tmp.resolve("termination-log");
    applied = Files.createDirectory(tmp.resolve("1.0"));
    Files.writeString(
        applied.resolve("V1__customers.sql"),
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT);\n"
            + "INSERT INTO customers(email, phone) VALUES ('a@x.io', '555-1'), ('b@x.io', '555-2');\n");
    CliRun first = run("--sql-dir", applied.toString());
    assertThat(first.exitCode()).as(first.all()).isZero();
    pending = Files.createDirectory(tmp.resolve("1.1"));
    Files.writeString(
        pending.resolve("V2__drop_phone.sql"), "ALTER TABLE customers DROP COLUMN phone;\n");
  }

  CliRun run(String... args) {
    String[] base = {
      "run",
      "--database-url",
      "sqlite:" + db,
      "--backup-dir",
      backups.toString(),
      "--termination-log",
      termLog.toString()
    };
    String[] all = new String[base.length + args.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(args, 0, all, base.length, args.length);
    return CliRun.of(all);
  }

  long backupCount() throws Exception {
    try (var s = Files.list(backups)) {
      return s.filter(p -> p.toString().endsWith(".sqlite3")).count();
    }
  }

  boolean phoneColumnExists() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pragma_table_info('customers')" + " WHERE name = 'phone'")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  @Test
  void aRefusedFindingInAPendingMigrationBlocksTheRunBeforeAnyBackupOrChange() throws Exception {
    long backupsBefore = backupCount();

    CliRun r = run("--sql-dir", applied.toString(), "--sql-dir", pending.toString());

    // customers was created by an applied migration, so it is not exempt as "created in this batch"
    assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
    StepResult t = StepResult.parse(Files.readString(termLog));
    assertThat(t.reason()).isEqualTo("Blocked");
    assertThat(t.message()).contains("DBG102").contains("V2__drop_phone.sql");
    assertThat(phoneColumnExists()).isTrue();
    assertThat(backupCount()).isEqualTo(backupsBefore);
  }

  @Test
  void anAcknowledgedFindingRunsAndTheDataLossCheckStillRollsBack() throws Exception {
    CliRun r =
        run(
            "--sql-dir",
            applied.toString(),
            "--sql-dir",
            pending.toString(),
            "--acknowledge",
            "DBG102:1.1/V2__drop_phone.sql");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(20);
    assertThat(r.out()).contains("acknowledged").doesNotContain("DBG902");
    assertThat(StepResult.parse(Files.readString(termLog)).reason()).isEqualTo("DataLossDetected");
    assertThat(phoneColumnExists()).isTrue();
  }

  @Test
  void lintWarnReportsTheFindingWithoutBlocking() throws Exception {
    CliRun r =
        run(
            "--sql-dir",
            applied.toString(),
            "--sql-dir",
            pending.toString(),
            "--lint",
            "Warn",
            "--acknowledge-data-loss",
            "customers.phone");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("DBG102");
    assertThat(phoneColumnExists()).isFalse();
  }

  /** A stand-in {@code bin/rake} that succeeds, so only the guard decides the outcome. */
  Path fakeRake() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("app/bin"));
    Path rake = bin.resolve("rake");
    Files.writeString(rake, "#!/bin/sh\nexit 0\n");
    rake.toFile().setExecutable(true);
    return tmp.resolve("app");
  }

  @Test
  void aDangerousCommandIsRefusedInProductionEvenWithLintOff() throws Exception {
    Path app = fakeRake();
    long backupsBefore = backupCount();

    CliRun r =
        run("--migrate-command", "bin/rake db:reset", "--workdir", app.toString(), "--lint", "Off");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
    assertThat(StepResult.parse(Files.readString(termLog)).message()).contains("db:reset");
    assertThat(backupCount()).isEqualTo(backupsBefore);
  }

  @Test
  void aDangerousCommandRunsWhenTheExactCommandIsAcknowledged() throws Exception {
    Path app = fakeRake();

    CliRun r =
        run(
            "--migrate-command",
            "bin/rake db:reset",
            "--workdir",
            app.toString(),
            "--acknowledge-command",
            "bin/rake db:reset");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("allowed because the exact command is acknowledged");
  }

  @Test
  void theSameCommandIsAllowedInADevelopmentEnvironment() throws Exception {
    Path app = fakeRake();

    CliRun r =
        run(
            "--migrate-command",
            "bin/rake db:reset",
            "--workdir",
            app.toString(),
            "--environment",
            "development");

    assertThat(r.exitCode()).as(r.all()).isZero();
  }
}
