package io.dbguard.cli;

import io.dbguard.core.engine.ConnectionProbe;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.migrate.CommandRunner;
import io.dbguard.core.migrate.FlywayRunner;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.report.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dbguard migrate}: run the migration only (no backup, no restore). */
@Command(
    name = "migrate",
    description =
        "Run the migration only: the application's command (DATABASE_URL and PG* variables in its"
            + " environment) or a directory of Flyway V<version>__<name>.sql files. No backup, no"
            + " restore: use `dbguard run` for the whole safety pipeline.")
final class MigrateCommand extends StepCommand {
  /** Where the migration comes from; shared with {@code run}. */
  static final class Source {
    @Option(
        names = {"--migrate-command", "--command"},
        paramLabel = "CMD",
        description = "Shell command, e.g. 'bundle exec rake db:migrate'.")
    String command;

    @Option(
        names = "--sql-dir",
        paramLabel = "DIR",
        description =
            "Directory of Flyway-style V<version>__<name>.sql migrations (repeatable: all are"
                + " scanned together).")
    java.util.List<Path> sqlDir;

    @Option(
        names = "--baseline-version",
        paramLabel = "V",
        description =
            "With --sql-dir: record versions up to V as applied on a database without history.")
    String baselineVersion;

    @Option(
        names = "--workdir",
        paramLabel = "DIR",
        description = "Working directory of the command (default: current).")
    Path workdir;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description = "Stop the command (whole process tree) after SECONDS (default: no limit).")
    long timeoutSeconds;

    MigrationRunner runner() {
      if ((command == null) == (sqlDir == null)) {
        throw new DbguardException("Usage", "give exactly one of --migrate-command or --sql-dir");
      }
      return command != null
          ? new CommandRunner(command, workdir, null, Duration.ofSeconds(timeoutSeconds))
          : new FlywayRunner(sqlDir, baselineVersion);
    }
  }

  @picocli.CommandLine.Mixin Source source;

  @Override
  String stepName() {
    return "migrate";
  }

  @Override
  StepResult execute(Console console) {
    DatabaseTarget target = common.target();
    MigrationRunner runner = source.runner();
    console.heading("dbguard migrate — " + target.redacted());
    ConnectionProbe.check(target);
    lockDatabase(target, console);
    long t0 = System.nanoTime();
    console.started("migrate", runner.describe());
    // SIGTERM: stop the command's process tree, let this thread report, exit with its code
    Thread hook =
        new Thread(
            () -> {
              runner.abort();
              try {
                reported.await(60, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(reported.getCount() == 0 ? lastExitCode : 21);
            },
            "dbguard-migrate-abort");
    Runtime.getRuntime().addShutdownHook(hook);
    String summary;
    try {
      summary = runner.run(target, console::output);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // shutting down
      }
    }
    console.ok("migrate", summary, (System.nanoTime() - t0) / 1_000_000);
    return ok("migrate", "Migrated", summary, null);
  }
}
