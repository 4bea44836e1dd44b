package io.dbguard.core.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
  static final String SECRET = "s3cr3t-Pa55";
  static final DatabaseTarget PG =
      DatabaseTarget.parse("postgresql://app:" + SECRET + "@db.internal:5432/shop?sslmode=require");

  @TempDir Path tmp;

  @Test
  void databaseReachesTheChildOnlyThroughItsEnvironment() {
    List<String> lines = new CopyOnWriteArrayList<>();
    String cmd =
        "test \"$DATABASE_URL\" = 'postgresql://app:"
            + SECRET
            + "@db.internal:5432/shop?sslmode=require' && echo url-ok;"
            + " test \"$PGPASSWORD\" = '"
            + SECRET
            + "' && echo pgpassword-ok;"
            + " echo \"$PGHOST $PGPORT $PGDATABASE $PGUSER $PGSSLMODE\";"
            + " tr '\\0' ' ' < /proc/$$/cmdline; echo;"
            + " echo \"leak: $DATABASE_URL $PGPASSWORD\"";
    new CommandRunner(cmd, tmp, Map.of(), Duration.ofSeconds(60)).run(PG, lines::add);

    assertThat(lines).contains("url-ok", "pgpassword-ok", "db.internal 5432 shop app require");
    // the shell's own command line (what `ps` shows) has no secret; the test above proved the
    // command text itself did, so look only at the argv of the child
    assertThat(lines).noneMatch(l -> l.contains(SECRET));
    assertThat(lines).anyMatch(l -> l.startsWith("leak: postgresql://app:***@db.internal"));
  }

  @Test
  void streamsOutputLinesInOrder() {
    List<String> lines = new CopyOnWriteArrayList<>();
    String summary =
        new CommandRunner("for i in 1 2 3; do echo line $i; done; echo err >&2", null, null, null)
            .run(PG, lines::add);
    assertThat(lines).containsExactly("line 1", "line 2", "line 3", "err");
    assertThat(summary).contains("exited 0");
  }

  @Test
  void commandNotFoundIsAClearError() {
    assertThatThrownBy(
            () ->
                new CommandRunner("bundle-exec-nonexistent rake db:migrate", null, null, null)
                    .run(PG, l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("not found")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("CommandNotFound");
  }

  @Test
  void failureCarriesExitStatusAndLastLines() {
    assertThatThrownBy(
            () ->
                new CommandRunner("echo 'PG::UndefinedColumn: boom'; exit 3", null, null, null)
                    .run(PG, l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("exited with status 3")
        .hasMessageContaining("PG::UndefinedColumn: boom")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("MigrationFailed");
  }

  @Test
  void tableAlreadyExistsIsASchemaConflictWithBaselineAdvice() {
    String cmd =
        "echo 'django.db.utils.ProgrammingError: relation \"shop_order\" already exists' >&2;"
            + " exit 1 # python manage.py migrate";
    assertThatThrownBy(() -> new CommandRunner(cmd, null, null, null).run(PG, l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("python manage.py migrate --fake-initial")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("SchemaConflict");
  }

  /** Issue 9 item 4: psql's unique-violation DETAIL says "already exists"; not a conflict. */
  @Test
  void aDuplicateKeyInTheOutputIsADataErrorWithoutBaselineAdvice() {
    String cmd =
        "echo 'ERROR:  duplicate key value violates unique constraint \"users_email_key\"' >&2;"
            + " echo 'DETAIL:  Key (email)=(a@x.io) already exists.' >&2;"
            + " exit 3 # python manage.py migrate";
    assertThatThrownBy(() -> new CommandRunner(cmd, null, null, null).run(PG, l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("do NOT mark it as applied")
        .hasMessageNotContaining("--fake-initial")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("MigrationFailed");
    assertThat(SchemaConflicts.classify(null, "DETAIL: Key (name)=(table x) already exists"))
        .isEqualTo(SchemaConflicts.Kind.OTHER);
    assertThat(
            SchemaConflicts.matches("ERROR: column \"phone\" of relation \"users\" already exists"))
        .isTrue();
    assertThat(SchemaConflicts.matches("PG::UniqueViolation: ERROR: duplicate key value"))
        .isFalse();
    assertThat(
            SchemaConflicts.matches(
                "NOTICE:  relation \"users\" already exists, skipping\n"
                    + "ERROR:  syntax error at or near \"SELEC\""))
        .isFalse();
  }

  @Test
  void timeoutKillsTheWholeProcessTree() throws Exception {
    Path pidFile = tmp.resolve("grandchild.pid");
    String cmd = "sleep 600 & echo $! > " + pidFile + "; wait";
    CommandRunner r =
        new CommandRunner(cmd, null, null, Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThatThrownBy(() -> r.run(PG, l -> {}))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("did not finish within 2 s")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("MigrationTimeout");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void abortStopsARunningCommand() throws Exception {
    CommandRunner r =
        new CommandRunner("echo started; sleep 600", null, null, null, Duration.ofSeconds(2));
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try {
                started.await();
              } catch (InterruptedException e) {
                return;
              }
              r.abort();
            });
    t.start();
    assertThatThrownBy(() -> r.run(PG, l -> started.countDown()))
        .isInstanceOf(DbguardException.class)
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("Terminated");
    t.join();
  }

  @Test
  void baselineAdviceNamesEachToolsCommand() {
    assertThat(SchemaConflicts.baselineAdvice("npx prisma migrate deploy"))
        .contains("prisma migrate resolve --applied");
    assertThat(SchemaConflicts.baselineAdvice("flyway migrate")).contains("flyway baseline");
    assertThat(SchemaConflicts.baselineAdvice("bundle exec rake db:migrate"))
        .contains("schema_migrations");
    assertThat(SchemaConflicts.matches("ERROR: relation \"users\" already exists")).isTrue();
    assertThat(SchemaConflicts.matches("duplicate column name: phone")).isTrue();
    assertThat(SchemaConflicts.matches("syntax error at or near")).isFalse();
  }
}
