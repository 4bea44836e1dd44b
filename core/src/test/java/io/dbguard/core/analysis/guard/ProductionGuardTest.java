package io.dbguard.core.analysis.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProductionGuardTest {

  private final ProductionGuard guard = new ProductionGuard();

  static Stream<Arguments> everyExampleOfEveryEntry() {
    return DangerousCommands.ALL.stream()
        .flatMap(d -> d.examples().stream().map(ex -> Arguments.of(d.id(), ex)));
  }

  @Test
  void everyEntryHasAnExampleAndAUniqueId() {
    assertThat(DangerousCommands.ALL).allSatisfy(d -> assertThat(d.examples()).isNotEmpty());
    assertThat(DangerousCommands.ALL.stream().map(DangerousCommand::id).distinct().count())
        .isEqualTo(DangerousCommands.ALL.size());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("everyExampleOfEveryEntry")
  void refusesEachEntryInProduction(String id, String command) {
    GuardResult r = guard.check(command, null, List.of());
    assertThat(r.allowed()).as(r.reason()).isFalse();
    assertThat(r.ruleId()).isEqualTo(id);
    assertThat(r.fragment()).isNotBlank();
    assertThat(r.reason()).contains(id).contains("production");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("everyExampleOfEveryEntry")
  void allowsEachEntryInTestAndWhenAcknowledged(String id, String command) {
    assertThat(guard.check(command, "test", List.of()).allowed()).isTrue();
    GuardResult ack = guard.check(command, "production", List.of("  " + command + " "));
    assertThat(ack.allowed()).isTrue();
    assertThat(ack.acknowledged()).isTrue();
    assertThat(ack.ruleId()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rake db:migrate",
        "bundle exec rails db:migrate db:seed",
        "bin/rails db:migrate:status",
        "python manage.py migrate",
        "flyway migrate",
        "flyway -url=jdbc:postgresql://db/shop info migrate",
        "npx prisma migrate deploy",
        "npx prisma db push",
        "liquibase update",
        "npx typeorm migration:run -d ds.ts",
        "npx sequelize-cli db:migrate",
        "npx knex migrate:latest",
        "php artisan migrate --force",
        "alembic upgrade head",
        "migrate -path db -database $URL up",
        "goose postgres $DSN up",
        "dbmate up",
        "npm run db:migrate",
        "echo 'never run rake db:drop here'",
        "git commit -m 'DROP DATABASE is refused'",
        "rm -rf tmp/cache",
        "sh -c 'bundle exec rake db:migrate && bundle exec rake db:seed'",
        "psql -c 'CREATE INDEX CONCURRENTLY i ON orders (x)'",
        "echo 'SELECT 1' | psql \"$URL\"",
        "psql \"$URL\" -v ON_ERROR_STOP=1 <<SQL\nUPDATE orders SET state = 'x' WHERE id = 7;\nSQL",
        "sqlite3 db/app.sqlite3 'INSERT INTO t VALUES (1)'",
        "echo 'literal $(not run) and `not run`'",
        "echo $((1 + 2))",
        "cat schema.sql"
      })
  void allowsSafeCommandsInProduction(String command) {
    GuardResult r = guard.check(command, "production", List.of());
    assertThat(r.allowed()).as(r.reason()).isTrue();
    assertThat(r.matched()).as(r.reason()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sh -c \"bundle exec rake db:migrate && bundle exec rake db:reset\"",
        "bash -lc 'cd /app; RAILS_ENV=production bin/rails db:schema:load'",
        "DISABLE_DATABASE_ENVIRONMENT_CHECK=1 bundle exec rake db:drop",
        "env RAILS_ENV=production rake db:drop",
        "cd /app && python manage.py migrate && python manage.py flush --no-input",
        "rake db:migrate; rake db:drop",
        "docker compose run --rm web bin/rails db:reset",
        "kubectl exec deploy/web -- sh -c 'python -m django flush --noinput'",
        "eval \"dropdb shop\"",
        "psql \"$DATABASE_URL\" <<SQL\nDROP SCHEMA public CASCADE;\nSQL",
        "rake \"db:drop\""
      })
  void looksThroughShellSyntaxAndWrappers(String command) {
    GuardResult r = guard.check(command, null, Set.of());
    assertThat(r.allowed()).as(r.reason()).isFalse();
  }

  @Test
  void fragmentIsTheMatchingSimpleCommand() {
    GuardResult r = guard.check("rake db:migrate && rake db:seed:replant", "prod", null);
    assertThat(r.ruleId()).isEqualTo("DBG004");
    assertThat(r.fragment()).isEqualTo("rake db:seed:replant");
  }

  @ParameterizedTest
  @ValueSource(strings = {"development", "dev", "TEST", "testing", "ci", "local", " Test "})
  void nonProductionEnvironments(String env) {
    assertThat(ProductionGuard.isProtected(env)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"production", "prod", "staging", "stage", "qa", "", " "})
  void protectedEnvironments(String env) {
    assertThat(ProductionGuard.isProtected(env)).isTrue();
    assertThat(ProductionGuard.isProtected(null)).isTrue();
  }

  @Test
  void acknowledgementMustBeTheExactCommand() {
    GuardResult r = guard.check("rake db:drop db:create", null, List.of("rake db:drop"));
    assertThat(r.allowed()).isFalse();
  }

  @Test
  void followsShellScriptsAndPackageJsonScripts(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    Files.writeString(
        dir.resolve("bin/deploy.sh"),
        "#!/bin/sh\nset -e\n# rake db:drop is commented out\nbundle exec rake db:migrate\n"
            + "if [ \"$FRESH\" = 1 ]; then\n  bundle exec rake db:schema:load\nfi\n");
    Files.writeString(
        dir.resolve("package.json"),
        "{\"scripts\":{\"db:migrate\":\"prisma migrate deploy\","
            + "\"release\":\"npm run db:migrate && npm run setup\","
            + "\"setup\":\"prisma migrate reset --force && node seed.js\"}}");
    GuardResult sh = guard.check("./bin/deploy.sh", null, List.of(), dir);
    assertThat(sh.allowed()).isFalse();
    assertThat(sh.ruleId()).isEqualTo("DBG003");
    assertThat(sh.source()).isEqualTo("bin/deploy.sh");

    GuardResult npm = guard.check("npm run release", null, List.of(), dir);
    assertThat(npm.allowed()).isFalse();
    assertThat(npm.ruleId()).isEqualTo("DBG030");
    assertThat(npm.source()).isEqualTo("package.json#scripts.setup");

    assertThat(guard.check("npm run db:migrate", null, List.of(), dir).allowed()).isTrue();
    assertThat(guard.check("./bin/missing.sh", null, List.of(), dir).allowed()).isTrue();
  }

  @Test
  void argumentVectorsAreReadExactly() {
    assertThat(
            guard
                .checkArgv(List.of("bundle", "exec", "rake", "db:migrate"), null, null, null)
                .allowed())
        .isTrue();
    GuardResult r =
        guard.checkArgv(List.of("sh", "-c", "rake db:migrate && rake db:drop"), null, null, null);
    assertThat(r.allowed()).isFalse();
    assertThat(r.ruleId()).isEqualTo("DBG001");
    // an argument that merely contains the words is not a command
    assertThat(guard.checkArgv(List.of("echo", "rake db:drop; ok"), null, null, null).allowed())
        .isTrue();
    GuardResult ack =
        guard.checkArgv(
            List.of("rake", "db:seed:replant"), null, List.of("rake db:seed:replant"), null);
    assertThat(ack.allowed()).isTrue();
    assertThat(ack.acknowledged()).isTrue();
  }

  @Test
  void recursiveScriptsTerminate(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("package.json"), "{\"scripts\":{\"a\":\"npm run a\"}}");
    assertThat(guard.check("npm run a", null, List.of(), dir).allowed()).isTrue();
  }
}
