package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard run} on the real PostgreSQL test server with a migration command that writes a row
 * into an existing table (as the application would, in its own session) and then fails: the result
 * names the table and the failed copy, the console prints the command that gets the rows out; with
 * {@code --on-discarded-writes Halt} the run exits 23 and the database keeps every row. Fails,
 * never skips, without {@code DBGUARD_TEST_PG_URL}.
 */
class WritesAfterBackupPostgresCliTest {
  @TempDir Path tmp;
  DatabaseTarget server;
  DatabaseTarget db;
  String bin;
  Path log;

  static Connection connect(DatabaseTarget t) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", t.user());
    p.setProperty("password", t.password());
    return DriverManager.getConnection(t.jdbcUrl(), p);
  }

  static void sql(DatabaseTarget t, String... statements) throws Exception {
    try (Connection c = connect(t);
        Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    bin = System.getenv("DBGUARD_PG_BIN_DIR");
    if (url == null || bin == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    server = DatabaseTarget.parse(url);
    db =
        server.withDatabase(
            "dbguard_wab_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
    sql(server, "CREATE DATABASE " + db.database());
    sql(
        db,
        "CREATE TABLE orders (id bigserial PRIMARY KEY, total int NOT NULL)",
        "INSERT INTO orders (total) VALUES (100), (200), (300)");
    log = tmp.resolve("termination-log");
  }

  @AfterEach
  void tearDown() throws Exception {
    List<String> mine = new ArrayList<>();
    try (Connection c = connect(server);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE '" + db.database() + "%'")) {
      while (rs.next()) {
        mine.add(rs.getString(1));
      }
    }
    for (String d : mine) {
      sql(server, "DROP DATABASE IF EXISTS \"" + d + "\" WITH (FORCE)");
    }
  }

  List<String> rows(String table) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getString(2));
      }
    }
    return out;
  }

  CliRun run(String... more) throws Exception {
    String psql = "'" + Path.of(bin, "psql") + "' -v ON_ERROR_STOP=1 -q -c ";
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--database-url",
                db.secretUrl(),
                "--backup-dir",
                Files.createDirectories(tmp.resolve("backups")).toString(),
                "--environment",
                "test",
                "--lint",
                "Off",
                "--migrate-command",
                psql
                    + "\"INSERT INTO orders (total) VALUES (777)\" && "
                    + psql
                    + "\"CREATE TABLE coupons (id int)\" && exit 3",
                "--termination-log",
                log.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void aFailedRunNamesTheTableAndTheFailedCopy() throws Exception {
    CliRun r = run();

    assertThat(r.exitCode()).as(r.all()).isEqualTo(20);
    StepResult res = StepResult.parse(Files.readString(log));
    String kept = res.details().get("keptFailedAs");
    assertThat(kept).startsWith(db.database() + "_failed_");
    assertThat(res.details())
        .containsEntry("writesAfterBackup", "found")
        .containsEntry("writesAfterBackupTables", "public.orders");
    assertThat(res.writesAfterBackup().failedCopy()).isEqualTo(kept);
    assertThat(res.writesAfterBackup().tables())
        .anySatisfy(
            t -> {
              assertThat(t.table()).isEqualTo("public.orders");
              assertThat(t.insertedOrUpdated()).isEqualTo(1);
            })
        .anySatisfy(
            t -> {
              assertThat(t.table()).isEqualTo("public.coupons");
              assertThat(t.schemaChange()).isEqualTo("created");
            });
    assertThat(r.out())
        .contains("public.orders: 1 inserted or updated", "To get them out:", "pg_dump -h ", kept)
        .doesNotContain(db.password());
    assertThat(Files.readString(log)).doesNotContain(db.password());
    assertThat(rows("orders")).containsExactly("1|100", "2|200", "3|300");
  }

  @Test
  void haltExits23AndLeavesEveryRow() throws Exception {
    CliRun r = run("--on-discarded-writes", "Halt");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(23);
    StepResult res = StepResult.parse(Files.readString(log));
    assertThat(res.reason()).isEqualTo("WritesAfterBackup");
    assertThat(res.details()).containsEntry("outcome", "HALTED_WRITES_AFTER_BACKUP");
    assertThat(res.message()).contains("public.orders", "--on-discarded-writes Restore");
    assertThat(rows("orders")).containsExactly("1|100", "2|200", "3|300", "4|777");
    try (Connection c = connect(server);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_database WHERE datname LIKE '"
                    + db.database()
                    + "\\_failed%'")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
    assertThat(r.out()).contains("HALTED WRITES AFTER BACKUP", "Exit code 23");
  }
}
