package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbguard plan} and {@code dbguard run --plan-only} through the real command line. */
class PlanCommandTest {
  @TempDir Path tmp;

  Path flywayDir() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("sql"));
    Files.writeString(
        dir.resolve("V1__users.sql"),
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, phone TEXT);");
    return dir;
  }

  String sha(Path f) throws Exception {
    return Sha256.ofFile(f, "hash", ProgressListener.NONE);
  }

  @Test
  void jsonIsTheStepResultAndRefusedPendingFilesExitTwo() throws Exception {
    Path db = tmp.resolve("app.db");
    Path dir = flywayDir();
    assertThat(
            CliRun.of("migrate", "--database-url", "sqlite:" + db, "--sql-dir", dir.toString())
                .exitCode())
        .isZero();
    Files.writeString(dir.resolve("V2__drop_phone.sql"), "ALTER TABLE users DROP COLUMN phone;");
    Files.writeString(dir.resolve("V3__index.sql"), "CREATE INDEX users_email ON users (email);");
    String before = sha(db);

    CliRun r =
        CliRun.of(
            "plan",
            "--database-url",
            "sqlite:" + db,
            "--sql-dir",
            dir.toString(),
            "--output",
            "json");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
    StepResult s = StepResult.parse(r.out());
    assertThat(s.step()).isEqualTo("plan");
    assertThat(s.exitCode()).isEqualTo(2);
    assertThat(s.reason()).isEqualTo("Blocked");
    assertThat(s.details())
        .containsEntry("pendingSource", "flyway")
        .containsEntry("pending", "V2, V3")
        .containsEntry("pendingCount", "2")
        .containsEntry("databaseExists", "true")
        .containsKeys(
            "findings",
            "databaseSizeBytes",
            "estimatedBackupSeconds",
            "estimatedRestoreSeconds",
            "estimateBasis",
            "runCommand");
    assertThat(Integer.parseInt(s.details().get("findingsRefused"))).isPositive();
    assertThat(r.err()).as("human lines go to stderr with --output json").contains("pending");
    assertThat(sha(db)).as("plan changed nothing").isEqualTo(before);
  }

  @Test
  void textOutputAndExitCodesAsLint() throws Exception {
    Path db = tmp.resolve("app.db");
    Path dir = flywayDir();
    Files.writeString(dir.resolve("V2__index.sql"), "CREATE INDEX users_email ON users (email);");
    CliRun r = CliRun.of("plan", "--database-url", "sqlite:" + db, "--sql-dir", dir.toString());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("dbguard plan — sqlite:" + db, "read-only", "pending", "V1", "V2")
        .contains("does not exist yet")
        .contains("run would run", "Flyway migrate")
        .contains("Exit code 0 (OK)");
    assertThat(Files.exists(db)).as("a plan never creates the database").isFalse();

    CliRun unknown =
        CliRun.of(
            "plan",
            "--database-url",
            "sqlite:" + db,
            "--migrate-command",
            "./migrate.sh",
            "--workdir",
            tmp.toString(),
            "--fail-on",
            "warn");
    assertThat(unknown.exitCode()).as(unknown.all()).isEqualTo(1);
    assertThat(unknown.out()).contains("--plan-command");

    CliRun bad =
        CliRun.of(
            "plan",
            "--database-url",
            "sqlite:" + db,
            "--sql-dir",
            dir.toString(),
            "--fail-on",
            "x");
    assertThat(bad.exitCode()).isEqualTo(4);
    assertThat(CliRun.of("plan", "--database-url", "sqlite:" + db).exitCode())
        .as("no migration source")
        .isEqualTo(4);
  }

  /**
   * A Rails-like command stub: {@code bin/rails db:migrate} records every file of {@code
   * db/migrate} in {@code schema_migrations}; {@code bin/rails db:migrate:status} prints Rails'
   * status table. The pending list is exact before the run and empty after it.
   */
  @Test
  void railsStatusIsExactBeforeARunAndEmptyAfterIt() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.createDirectories(app.resolve("bin"));
    Files.createDirectories(app.resolve("db/migrate"));
    Files.writeString(
        app.resolve("bin/rails"),
        "set -e\n"
            + "case \"$1\" in\n"
            + "  db:migrate)\n"
            + "    sqlite3 \"$DATABASE_PATH\" 'CREATE TABLE IF NOT EXISTS schema_migrations (version"
            + " TEXT PRIMARY KEY)'\n"
            + "    for f in db/migrate/*.rb; do v=$(basename \"$f\" | cut -d_ -f1);"
            + " sqlite3 \"$DATABASE_PATH\" \"INSERT OR IGNORE INTO schema_migrations VALUES ('$v')\";"
            + " done ;;\n"
            + "  db:migrate:status)\n"
            + "    echo; echo \"database: $DATABASE_PATH\"; echo\n"
            + "    echo ' Status   Migration ID    Migration Name'\n"
            + "    echo '--------------------------------------------------'\n"
            + "    for f in db/migrate/*.rb; do v=$(basename \"$f\" .rb | cut -d_ -f1);"
            + " n=$(basename \"$f\" .rb | cut -d_ -f2- | tr _ ' ');"
            + " a=$(sqlite3 \"$DATABASE_PATH\" \"SELECT count(*) FROM schema_migrations WHERE"
            + " version = '$v'\" 2>/dev/null || echo 0);"
            + " if [ \"$a\" = 1 ]; then s=up; else s=down; fi;"
            + " printf '  %4s    %s  %s\\n' \"$s\" \"$v\" \"$n\"; done ;;\n"
            + "  *) echo \"unknown task $1\" >&2; exit 1 ;;\n"
            + "esac\n");
    Files.writeString(
        app.resolve("db/migrate/20261101000000_create_users.rb"),
        "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n"
            + "    create_table :users do |t|\n      t.string :email\n    end\n  end\nend\n");
    Files.writeString(
        app.resolve("db/migrate/20261122101500_add_phone_to_users.rb"),
        "class AddPhoneToUsers < ActiveRecord::Migration[7.1]\n  def change\n"
            + "    add_column :users, :phone, :string\n  end\nend\n");
    Path db = tmp.resolve("rails.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)");
      s.execute("INSERT INTO users (email) VALUES ('a@example.com')");
      s.execute("CREATE TABLE schema_migrations (version TEXT PRIMARY KEY)");
      s.execute("INSERT INTO schema_migrations VALUES ('20261101000000')");
    }
    String[] source = {
      "--database-url",
      "sqlite:" + db,
      "--migrate-command",
      "sh bin/rails db:migrate",
      "--workdir",
      app.toString()
    };
    String before = sha(db);
    CliRun plan = CliRun.of(concat(new String[] {"plan", "--output", "json"}, source));
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    StepResult s = StepResult.parse(plan.out());
    assertThat(s.details())
        .containsEntry("pendingSource", "rails")
        .containsEntry("pending", "20261122101500")
        .containsEntry("listingCommand", "sh bin/rails db:migrate:status")
        .containsEntry("findingsRefused", "0");
    assertThat(sha(db)).as("the plan wrote nothing").isEqualTo(before);

    Path backups = Files.createDirectories(tmp.resolve("backups"));
    CliRun planOnly =
        CliRun.of(
            concat(
                new String[] {"run", "--plan-only", "--backup-dir", backups.toString()}, source));
    assertThat(planOnly.exitCode()).as(planOnly.all()).isZero();
    assertThat(planOnly.out()).contains("20261122101500", "add phone to users");
    CliRun notPlanOnly =
        CliRun.of(
            concat(
                new String[] {"run", "--fail-on", "warn", "--backup-dir", backups.toString()},
                source));
    assertThat(notPlanOnly.exitCode()).as("--fail-on without --plan-only").isEqualTo(4);
    try (Stream<Path> files = Files.list(backups)) {
      assertThat(files).as("--plan-only takes no backup").isEmpty();
    }
    assertThat(sha(db)).isEqualTo(before);

    CliRun run =
        CliRun.of(concat(new String[] {"run", "--backup-dir", backups.toString()}, source));
    assertThat(run.exitCode()).as(run.all()).isZero();
    CliRun after = CliRun.of(concat(new String[] {"plan", "--output", "json"}, source));
    assertThat(after.exitCode()).as(after.all()).isZero();
    assertThat(StepResult.parse(after.out()).details())
        .containsEntry("pendingCount", "0")
        .containsEntry("pending", "");
  }

  @Test
  void onPostgresThePasswordNeverAppearsAndTheSuperuserIsNamed() throws Exception {
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null) {
      fail("DBGUARD_TEST_PG_URL is not set: run the tests through scripts/test.sh");
    }
    DatabaseTarget server = DatabaseTarget.parse(url);
    DatabaseTarget db =
        server.withDatabase(
            "plan_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
    try (Connection c = MigratePostgresTest.connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db.database());
    }
    try {
      Path dir = flywayDir();
      CliRun r =
          CliRun.of(
              "plan",
              "--database-url",
              db.secretUrl(),
              "--sql-dir",
              dir.toString(),
              "--fail-on",
              "notice");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      assertThat(r.all()).doesNotContain(server.password()).contains("postgresql://");
      assertThat(r.out())
          .contains(
              "superuser yes", "is a superuser", "least privilege", "ALTER DEFAULT PRIVILEGES");

      // a listing that prints the database's secrets: redacted in output and the step result
      CliRun echo =
          CliRun.of(
              "plan",
              "--database-url",
              db.secretUrl(),
              "--migrate-command",
              "bundle exec rake db:migrate",
              "--plan-command",
              "echo \"$DATABASE_URL\" \"$PGPASSWORD\"; echo ' Status   Migration ID    Migration Name'",
              "--workdir",
              tmp.toString(),
              "--output",
              "json");
      assertThat(echo.exitCode()).as(echo.all()).isZero();
      assertThat(echo.all()).doesNotContain(server.password()).contains(":***@");
      assertThat(StepResult.parse(echo.out()).details())
          .containsEntry("pendingSource", "rails")
          .containsEntry("pendingCount", "0");
    } finally {
      try (Connection c = MigratePostgresTest.connect(server);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db.database() + " WITH (FORCE)");
      }
    }
  }

  static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
