package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.postgres.PgReadOnlyFence;
import io.dbguard.core.engine.postgres.PostgresOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard run --write-fence ReadOnly}, {@code dbguard fence status|lift} on the real test
 * server. Fails, never skips, without {@code DBGUARD_TEST_PG_URL}.
 */
class FenceCliTest {
  @TempDir Path tmp;
  DatabaseTarget server;
  DatabaseTarget shop;
  Path backups;

  @BeforeEach
  void setUp() throws Exception {
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null || System.getenv("DBGUARD_PG_BIN_DIR") == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    server = DatabaseTarget.parse(url);
    shop = server.withDatabase("fenceshop_" + UUID.randomUUID().toString().substring(0, 8));
    try (Connection c = MigratePostgresTest.connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + shop.database());
    }
    BackupIdentityPostgresTest.exec(
        shop, "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2)");
    backups = Files.createDirectory(tmp.resolve("backups"));
  }

  @AfterEach
  void tearDown() throws Exception {
    try (Connection c = MigratePostgresTest.connect(server);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + shop.database() + " WITH (FORCE)");
    }
  }

  private CliRun run(String... extra) {
    String[] base = {
      "run",
      "--database-url",
      shop.secretUrl(),
      "--backup-dir",
      backups.toString(),
      "--environment",
      "test",
      "--migrate-command",
      "sh -c 'exit 3'"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.of(all);
  }

  @Test
  void aFailedRunWithTheReadOnlyFenceRestoresAndLiftsIt() {
    CliRun r = run("--write-fence", "ReadOnly");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(20);
    assertThat(r.all()).contains("raising the write fence").contains("lifting the write fence");
    CliRun status = status();
    assertThat(status.exitCode()).as(status.all()).isZero();
    assertThat(status.out()).contains("\"reason\" : \"NotFenced\"");
  }

  @Test
  void aFenceLeftUpRefusesAnUnfencedRunUntilItIsLifted() {
    PgReadOnlyFence.of(shop, PostgresOptions.defaults()).raise(); // a run killed while fenced

    CliRun refused = run();

    assertThat(refused.exitCode()).as(refused.all()).isEqualTo(7);
    assertThat(refused.all()).contains("still read-only").contains("`dbguard fence lift`");
    assertThat(status().out()).contains("\"reason\" : \"Fenced\"");
    CliRun lift = CliRun.of("fence", "lift", "--database-url", shop.secretUrl());
    assertThat(lift.exitCode()).as(lift.all()).isZero();
    assertThat(lift.all()).contains("writable again");
    assertThat(status().out()).contains("\"reason\" : \"NotFenced\"");
    assertThat(run().exitCode()).isEqualTo(20);
  }

  @Test
  void fenceRaiseMakesTheDatabaseReadOnlyAndTakesOverAFenceLeftUp() throws Exception {
    CliRun raise = CliRun.of("fence", "raise", "--database-url", shop.secretUrl());

    assertThat(raise.exitCode()).as(raise.all()).isZero();
    assertThat(raise.all()).contains("is read-only for every role but");
    assertThat(status().out()).contains("\"reason\" : \"Fenced\"");
    // a second raise (an operator Job started again after a restart) takes the fence over
    CliRun again = CliRun.of("fence", "raise", "--database-url", shop.secretUrl());
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.all()).contains("took over the fence");
    CliRun lift = CliRun.of("fence", "lift", "--database-url", shop.secretUrl());
    assertThat(lift.exitCode()).as(lift.all()).isZero();
    assertThat(status().out()).contains("\"reason\" : \"NotFenced\"");
  }

  @Test
  void fenceRaiseRefusesADatabaseMadeReadOnlyBySomeoneElseAndChangesNothing() throws Exception {
    BackupIdentityPostgresTest.exec(
        server, "ALTER DATABASE " + shop.database() + " SET default_transaction_read_only = on");

    CliRun raise = CliRun.of("fence", "raise", "--database-url", shop.secretUrl());

    assertThat(raise.exitCode()).as(raise.all()).isEqualTo(7);
    assertThat(raise.all()).contains("which dbguard did not set").contains("Nothing was changed");
    assertThat(status().out()).contains("\"reason\" : \"NotFenced\"");
  }

  private CliRun status() {
    return CliRun.of("fence", "status", "--database-url", shop.secretUrl(), "--output", "json");
  }

  @Test
  void theReadOnlyFenceIsRefusedForSqlite() throws Exception {
    Path file = tmp.resolve("app.db");
    CliRun r =
        CliRun.of(
            "run",
            "--database-url",
            "sqlite:" + file,
            "--backup-dir",
            backups.toString(),
            "--migrate-command",
            "true",
            "--write-fence",
            "ReadOnly");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.all()).contains("the ReadOnly write fence is PostgreSQL's");
  }
}
