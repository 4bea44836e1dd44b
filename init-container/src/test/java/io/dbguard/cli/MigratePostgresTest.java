package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard migrate} against the real PostgreSQL test server: the Flyway directory runner and
 * an application command (psql) that finds the database only in its environment. Fails, never
 * skips, without {@code DBGUARD_TEST_PG_URL}.
 */
class MigratePostgresTest {
  @TempDir Path tmp;

  static Connection connect(DatabaseTarget t) throws Exception {
    Properties p = new Properties();
    if (t.user() != null) {
      p.setProperty("user", t.user());
    }
    if (t.password() != null) {
      p.setProperty("password", t.password());
    }
    return DriverManager.getConnection(t.jdbcUrl(), p);
  }

  @Test
  void migratesWithFlywayAndWithAnApplicationCommand() throws Exception {
    String serverUrl = System.getenv("DBGUARD_TEST_PG_URL");
    String bin = System.getenv("DBGUARD_PG_BIN_DIR");
    if (serverUrl == null || bin == null) {
      fail("DBGUARD_TEST_PG_URL / DBGUARD_PG_BIN_DIR are not set: run through scripts/test.sh");
    }
    DatabaseTarget server = DatabaseTarget.parse(serverUrl);
    String name = "dbguard_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    DatabaseTarget db = server.withDatabase(name);
    try {
      Path sql = Files.createDirectory(tmp.resolve("sql"));
      Files.writeString(
          sql.resolve("V1__users.sql"),
          "CREATE TABLE users (id bigserial PRIMARY KEY, email text);");
      Path log = tmp.resolve("termination-log");
      CliRun flyway =
          CliRun.of(
              "migrate",
              "--database-url",
              db.secretUrl(),
              "--sql-dir",
              sql.toString(),
              "--termination-log",
              log.toString());
      assertThat(flyway.exitCode()).as(flyway.all()).isZero();
      assertThat(StepResult.parse(Files.readString(log)).reason()).isEqualTo("Migrated");

      String psql = Path.of(bin, "psql").toString();
      CliRun command =
          CliRun.of(
              "migrate",
              "--database-url",
              db.secretUrl(),
              "--migrate-command",
              "'"
                  + psql
                  + "' -v ON_ERROR_STOP=1 -q -c \"INSERT INTO users(email) VALUES ('a@b.c')\""
                  + " && '"
                  + psql
                  + "' -At -c 'SELECT count(*) FROM users'",
              "--timeout",
              "60");
      assertThat(command.exitCode()).as(command.all()).isZero();
      assertThat(command.out()).contains("│ 1");
      if (db.password() != null) {
        assertThat(command.all()).doesNotContain(db.password());
      }

      CliRun conflict =
          CliRun.of(
              "migrate",
              "--database-url",
              db.secretUrl(),
              "--migrate-command",
              "'" + psql + "' -v ON_ERROR_STOP=1 -c 'CREATE TABLE users (id int)'");
      assertThat(conflict.exitCode()).as(conflict.all()).isEqualTo(21);
      assertThat(conflict.out()).contains("already exists").contains("schema already has");
    } finally {
      try (Connection c = connect(server);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }
}
