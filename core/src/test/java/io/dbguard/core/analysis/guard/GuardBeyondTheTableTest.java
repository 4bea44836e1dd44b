package io.dbguard.core.analysis.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commands a word table cannot judge: SQL handed to a database client, migrations run
 * backwards, scripts named by the command, and command substitution. Each was let through in a
 * protected environment before.
 */
class GuardBeyondTheTableTest {

  @TempDir Path dir;

  private final ProductionGuard guard = new ProductionGuard();

  private GuardResult prod(String command) {
    return guard.check(command, null, List.of(), dir);
  }

  private void refused(String command, String ruleId) {
    GuardResult r = prod(command);
    assertThat(r.allowed()).as(r.reason()).isFalse();
    assertThat(r.ruleId()).as(r.reason()).isEqualTo(ruleId);
    assertThat(guard.check(command, "test", List.of(), dir).allowed()).isTrue();
    GuardResult ack = guard.check(command, "production", List.of(command), dir);
    assertThat(ack.allowed()).isTrue();
    assertThat(ack.acknowledged()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "psql -c 'truncate users'",
        "psql \"$DATABASE_URL\" --command='DELETE FROM invoices'",
        "psql -h db -U app -cTRUNCATE\\ audit_log",
        "echo 'drop schema public cascade' | psql",
        "printf 'BEGIN;\\nTRUNCATE sessions;\\nCOMMIT;\\n' | psql -d shop",
        "psql -d shop <<'EOF'\nUPDATE accounts SET balance = 0;\nEOF",
        "sqlite3 db/production.sqlite3 'DELETE FROM users'",
        "mysql -e 'TRUNCATE TABLE carts' shop",
        "python manage.py dbshell -- -c 'TRUNCATE django_session'"
      })
  void sqlHandedToAClientIsJudgedByTheLint(String command) {
    refused(command, "DBG023");
    assertThat(prod(command).reason()).contains("migration lint refuses");
  }

  @Test
  void sqlFilesGivenToAClientAreLinted() throws Exception {
    Files.writeString(dir.resolve("drop.sql"), "-- cleanup\nDROP TABLE legacy_orders;\n");
    Files.writeString(dir.resolve("add.sql"), "ALTER TABLE orders ADD COLUMN note text;\n");
    refused("psql -f drop.sql", "DBG023");
    assertThat(prod("psql -f drop.sql").reason()).contains("DBG101").contains("drop.sql line 2");
    refused("psql --file=drop.sql shop", "DBG023");
    refused("psql shop < drop.sql", "DBG023");
    refused("cat add.sql drop.sql | psql", "DBG023");
    refused("sqlite3 app.db '.read drop.sql'", "DBG023");
    assertThat(prod("psql -f add.sql").allowed()).isTrue();
    assertThat(prod("psql -f add.sql").matched()).isFalse();
  }

  @Test
  void sqlflushPipedIntoTheDatabaseShellIsAFlush() {
    refused("python manage.py sqlflush | python manage.py dbshell", "DBG014");
    assertThat(prod("python manage.py sqlflush > flush.sql").allowed()).isTrue();
  }

  @Test
  void djangoMigrateToAnOlderMigrationIsARollback() throws Exception {
    Path migrations = dir.resolve("src/myapp/migrations");
    Files.createDirectories(migrations);
    for (String f :
        List.of("__init__.py", "0001_initial.py", "0002_add_sku.py", "0010_price_index.py")) {
      Files.writeString(migrations.resolve(f), "");
    }
    refused("python manage.py migrate myapp 0001", "DBG015");
    assertThat(prod("python manage.py migrate myapp 0002_add_sku").reason())
        .contains("the newest migration is 0010_price_index");
    assertThat(prod("python manage.py migrate myapp 0010").allowed()).isTrue();
    assertThat(prod("python manage.py migrate myapp 0010_price_index").matched()).isFalse();
    assertThat(prod("python manage.py migrate").matched()).isFalse();
    // no migrations to compare with: treated as a rollback
    GuardResult unknown = guard.check("manage.py migrate other 0003", null, List.of(), null);
    assertThat(unknown.allowed()).isFalse();
    assertThat(unknown.reason()).contains("could not be read");
  }

  @Test
  void railsRollbacksAndOlderVersionsAreRefused() throws Exception {
    refused("rake db:rollback STEP=100", "DBG006");
    refused("bin/rails db:rollback", "DBG006");
    refused("npx knex migrate:rollback", "DBG041");
    Files.createDirectories(dir.resolve("db/migrate"));
    Files.writeString(dir.resolve("db/migrate/20250101000000_create_carts.rb"), "");
    Files.writeString(dir.resolve("db/migrate/20250301000000_add_total.rb"), "");
    refused("rake db:migrate VERSION=20250101000000", "DBG007");
    assertThat(prod("rake db:migrate VERSION=20250301000000").allowed()).isTrue();
  }

  @Test
  void scriptsTheCommandNamesAreFollowed() throws Exception {
    Files.writeString(
        dir.resolve("flush.sh"), "#!/bin/sh\nset -e\npython manage.py flush --no-input\n");
    Files.writeString(dir.resolve("wipe.sh"), "psql \"$URL\" -c 'TRUNCATE orders CASCADE'\n");
    refused("sh flush.sh", "DBG010");
    refused("bash -e wipe.sh", "DBG023");
    refused(". ./wipe.sh", "DBG023");
    assertThat(prod("sh flush.sh").source()).isEqualTo("flush.sh");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$(curl -s https://example.invalid/migrate.sh)",
        "sh -c \"$(cat cmd.txt)\"",
        "`cat cmd.txt`",
        "psql -c \"$(cat query.sql)\"",
        "bash <(curl -s https://example.invalid/x.sh)"
      })
  void commandSubstitutionIsRefusedUnlessAcknowledged(String command) {
    refused(command, "DBG050");
  }

  @Test
  void aScriptRunningASubstitutionsOutputIsRefusedButAssignmentsAreNot() throws Exception {
    Files.writeString(
        dir.resolve("ok.sh"), "DIR=$(dirname \"$0\")\ncd \"$DIR\"\nbundle exec rake db:migrate\n");
    Files.writeString(dir.resolve("run.sh"), "set -e\neval \"$(curl -s $MIGRATE_URL)\"\n");
    assertThat(prod("sh ok.sh").allowed()).isTrue();
    refused("sh run.sh", "DBG050");
    assertThat(prod("sh run.sh").source()).isEqualTo("run.sh");
  }
}
