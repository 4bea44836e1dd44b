package io.dbguard.core.migrate;

import static io.dbguard.core.testing.SqliteFixtures.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import io.dbguard.core.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlywayRunnerTest {
  @TempDir Path tmp;

  Path migrations() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("sql"));
    Files.writeString(
        dir.resolve("V1__users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);");
    Files.writeString(
        dir.resolve("V2__orders.sql"),
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));");
    return dir;
  }

  @Test
  void appliesVersionedFilesOnSqliteAndStreamsProgress() throws Exception {
    Path db = tmp.resolve("app.db");
    List<String> lines = new ArrayList<>();
    String summary =
        new FlywayRunner(migrations(), null).run(DatabaseTarget.sqlite(db), lines::add);
    assertThat(summary).isEqualTo("2 migration(s) applied, schema version 2");
    assertThat(lines)
        .containsExactly(
            "applying V1 users (V1__users.sql)", "applying V2 orders (V2__orders.sql)");
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(db)).profile().historyVersion())
        .isEqualTo("flyway_schema_history:2");
  }

  @Test
  void existingSchemaWithoutHistoryIsASchemaConflictWithTheBaselineCommand() throws Exception {
    Path db = tmp.resolve("legacy.db");
    exec(db, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)");
    Path dir = migrations();
    assertThatThrownBy(() -> new FlywayRunner(dir, null).run(DatabaseTarget.sqlite(db), l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("dbguard migrate --sql-dir " + dir + " --baseline-version")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("SchemaConflict");
  }

  @Test
  void tableAlreadyExistsIsASchemaConflictAndBaselineResolvesIt() throws Exception {
    Path db = tmp.resolve("squashed.db");
    Path dir = migrations();
    // history says V1 only, but the schema already has V2's table (a squashed migration)
    new FlywayRunner(dir, null).run(DatabaseTarget.sqlite(db), l -> {});
    exec(db, "DELETE FROM flyway_schema_history WHERE version = '2'");
    assertThatThrownBy(() -> new FlywayRunner(dir, null).run(DatabaseTarget.sqlite(db), l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining("--baseline-version 2")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("SchemaConflict");

    Path legacy = tmp.resolve("legacy2.db");
    exec(
        legacy,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id))");
    String summary = new FlywayRunner(dir, "2").run(DatabaseTarget.sqlite(legacy), l -> {});
    assertThat(summary).contains("0 migration(s) applied");
    assertThat(new SqliteEngine(DatabaseTarget.sqlite(legacy)).profile().historyVersion())
        .isEqualTo("flyway_schema_history:2");
  }

  @Test
  void missingDirectoryIsAClearError() {
    assertThatThrownBy(() -> new FlywayRunner(tmp.resolve("nope"), null))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void appliesOnPostgresql() throws Exception {
    DatabaseTarget db = TestPostgres.freshDatabase("dbguard_flyway");
    try {
      Path dir = Files.createDirectories(tmp.resolve("pg"));
      Files.writeString(
          dir.resolve("V1__users.sql"),
          "CREATE TABLE users (id bigserial PRIMARY KEY, email text);");
      Files.writeString(dir.resolve("V2__seed.sql"), "INSERT INTO users(email) VALUES ('a@b.c');");
      String summary = new FlywayRunner(dir, null).run(db, l -> {});
      assertThat(summary).isEqualTo("2 migration(s) applied, schema version 2");
      try (Connection c = TestPostgres.connect(db);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM users")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      // a conflicting V3 on PostgreSQL
      Files.writeString(dir.resolve("V3__again.sql"), "CREATE TABLE users (id int);");
      assertThatThrownBy(() -> new FlywayRunner(dir, null).run(db, l -> {}))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("--baseline-version 3")
          .hasMessageNotContaining(db.password() == null ? "\u0000" : db.password())
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("SchemaConflict");
    } finally {
      TestPostgres.drop(db);
    }
  }

  /**
   * Issue 9 item 4: a migration inserting a duplicate key fails with SQLSTATE 23505, whose DETAIL
   * says "Key (email)=(a@x.io) already exists". That is a data error: never SchemaConflict, never
   * advice to baseline or mark it as applied. Real Flyway, real PostgreSQL.
   */
  @Test
  void aDuplicateKeyOnPostgresqlIsADataErrorWithoutBaselineAdvice() throws Exception {
    DatabaseTarget db = TestPostgres.freshDatabase("dbguard_dupkey");
    try {
      Path dir = Files.createDirectories(tmp.resolve("dup"));
      Files.writeString(
          dir.resolve("V1__users.sql"),
          "CREATE TABLE users (id bigserial PRIMARY KEY, email text UNIQUE);"
              + " INSERT INTO users(email) VALUES ('a@x.io');");
      Files.writeString(
          dir.resolve("V2__import.sql"), "INSERT INTO users(email) VALUES ('a@x.io');");
      assertThatThrownBy(() -> new FlywayRunner(dir, null).run(db, l -> {}))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("duplicate key value violates unique constraint")
          .hasMessageContaining("SQLSTATE 23505")
          .hasMessageContaining("do NOT mark it as applied")
          .hasMessageNotContaining("--baseline-version")
          .hasMessageNotContaining("record that as applied")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("MigrationFailed");
    } finally {
      TestPostgres.drop(db);
    }
  }

  @Test
  void aUniqueConstraintFailureOnSqliteIsADataErrorWithoutBaselineAdvice() throws Exception {
    Path db = tmp.resolve("dup.db");
    Path dir = Files.createDirectories(tmp.resolve("dup-sqlite"));
    Files.writeString(
        dir.resolve("V1__users.sql"),
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);"
            + " INSERT INTO users(email) VALUES ('a@x.io');");
    Files.writeString(dir.resolve("V2__import.sql"), "INSERT INTO users(email) VALUES ('a@x.io');");
    assertThatThrownBy(() -> new FlywayRunner(dir, null).run(DatabaseTarget.sqlite(db), l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("UNIQUE constraint failed")
        .hasMessageContaining("do NOT mark it as applied")
        .hasMessageNotContaining("--baseline-version")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("MigrationFailed");
  }
}
