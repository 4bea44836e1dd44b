package io.dbguard.cli;

import io.dbguard.core.analysis.Acknowledgement;
import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.PreflightAnalyzer;
import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.ConnectionProbe;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.WriteFence;
import io.dbguard.core.engine.postgres.PgReadOnlyFence;
import io.dbguard.core.migrate.CommandRunner;
import io.dbguard.core.migrate.FlywayRunner;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.migrate.SqlScriptRunner;
import io.dbguard.core.pipeline.MigrationPipeline;
import io.dbguard.core.pipeline.OnDiscardedWrites;
import io.dbguard.core.pipeline.PipelineOptions;
import io.dbguard.core.pipeline.PipelineResult;
import io.dbguard.core.pipeline.PreflightAnalysis;
import io.dbguard.core.pipeline.SeedPolicy;
import io.dbguard.core.report.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dbguard run}: the whole safety pipeline in one process. */
@Command(
    name = "run",
    description =
        "Backup → verify backup → migrate → verify data → seed; on any failure restore and verify"
            + " the restore. Ends with the exact command to restore by hand.")
final class RunCommand extends StepCommand {
  @Mixin MigrateCommand.Source source;
  @Mixin KeepFailedCopies failedCopies;
  @Mixin WritesReport writes;
  @Mixin RestoreJobs restoreJobs;
  @Mixin ContentChecksumOption contentChecksum;

  @Option(
      names = "--backup-dir",
      required = true,
      paramLabel = "DIR",
      description = "Existing, writable directory for backups and manifests.")
  Path backupDir;

  @Option(
      names = "--database-name",
      paramLabel = "NAME",
      description = "Logical name in backup names (default: database name or file stem).")
  String databaseName;

  @Option(
      names = "--environment",
      paramLabel = "ENV",
      description = "Environment (backup names, analysis); default production.")
  String environment = "production";

  @Option(
      names = "--seed-command",
      paramLabel = "CMD",
      description = "Seed shell command (same environment as the migration).")
  String seedCommand;

  @Option(
      names = "--seed-sql",
      paramLabel = "FILE",
      description = "Seed SQL file, run in one transaction.")
  Path seedSql;

  @Option(
      names = "--seed-policy",
      paramLabel = "POLICY",
      description =
          "IfIdempotent (default), NewDatabaseOnly, Always or Never. A new database is always"
              + " seeded unless Never.")
  String seedPolicy = "IfIdempotent";

  @Option(
      names = "--acknowledge-data-loss",
      paramLabel = "TABLE[.COLUMN]",
      split = ",",
      description = "Accept the loss of this table or column (repeatable).")
  List<String> acknowledge;

  @Option(
      names = "--backup-required",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "--no-backup-required: continue without a backup when it fails (reported; nothing can"
              + " be restored then). Default: required.")
  boolean backupRequired;

  @Option(
      names = "--on-failure",
      paramLabel = "Restore|Halt",
      description = "Restore (default) or Halt: leave the database as the migration left it.")
  String onFailure = "Restore";

  @Option(
      names = "--write-fence",
      paramLabel = "None|ReadOnly",
      description =
          "Keep the application's writes out from the backup to the end of the run. None"
              + " (default): nothing is fenced. ReadOnly (PostgreSQL): the database refuses writes"
              + " from every role but dbguard's; the application keeps reading"
              + " (docs/migration-window.md).")
  String writeFence = "None";

  @Option(names = "--image", paramLabel = "IMAGE", description = "Attempt: application image.")
  String image;

  @Option(names = "--revision", paramLabel = "REV", description = "Attempt: spec revision.")
  String revision;

  @Mixin EngineOptions engineOptions;

  @Option(
      names = "--lint-path",
      paramLabel = "PATH",
      description =
          "Pending migration files or directories to analyze before anything runs (repeatable;"
              + " default: the --sql-dir directories).")
  List<Path> lintPaths;

  @Option(
      names = "--lint",
      paramLabel = "Enforce|Warn|Off",
      description =
          "Enforce (default): refused findings block the run; Warn: report them only; Off: no"
              + " lint. The dangerous-command guard always applies.")
  String lintMode = "Enforce";

  @Option(
      names = "--acknowledge",
      paramLabel = "RULE:FILE[:SHA256]",
      description = "Accept one reviewed analysis finding (repeatable); reported as acknowledged.")
  List<String> acknowledgeFindings;

  @Option(
      names = "--acknowledge-command",
      paramLabel = "CMD",
      description =
          "Accept this exact dangerous migrate/seed command in a protected environment"
              + " (repeatable).")
  List<String> acknowledgeCommands;

  @Option(
      names = "--plan-only",
      description =
          "Print what this run would do, as `dbguard plan` with the same options, and stop:"
              + " read-only, no lock, no backup (exit codes as plan).")
  boolean planOnly;

  @Mixin PlanCommand.Options planOptions;

  @Override
  String stepName() {
    return planOnly ? "plan" : "run";
  }

  @Override
  StepResult execute(Console console) {
    DatabaseTarget target = common.target();
    if (planOnly) {
      return PlanCommand.run(
          console,
          target,
          source,
          planOptions,
          environment,
          acknowledgeFindings,
          acknowledgeCommands);
    }
    if (planOptions.given()) {
      throw new DbguardException("Usage", "--plan-command and --fail-on go with --plan-only");
    }
    MigrationRunner migration = source.runner();
    MigrationRunner seed = seedRunner();
    SeedPolicy policy;
    PipelineOptions.OnFailure failureMode;
    OnDiscardedWrites discardedWrites = writes.policy();
    try {
      policy = SeedPolicy.parse(seedPolicy);
      failureMode = PipelineOptions.OnFailure.valueOf(onFailure.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new DbguardException("Usage", e.getMessage());
    }
    DatabaseEngine engine = engineOptions.open(target, restoreJobs.jobs);
    WriteFence fence = FenceCommand.forRun(writeFence, target, engineOptions.postgresOptions());
    console.heading("dbguard run — " + target.redacted() + " (environment " + environment + ")");
    if (backupRequired) {
      io.dbguard.core.backup.BackupDirectory.requireWritable(backupDir);
    }
    ConnectionProbe.check(target);
    lockDatabase(target, backupDir, console);
    requireNoLeftoverFence(target, fence);
    StepResult[] out = new StepResult[1];
    PipelineOptions options =
        new PipelineOptions()
            .backupDirectory(backupDir)
            .databaseName(databaseName != null ? databaseName : Cli.defaultDatabaseName(target))
            .environment(environment)
            .backupRequired(backupRequired)
            .contentChecksums(contentChecksum.enabled)
            .migration(migration)
            .seed(seed)
            .seedPolicy(policy)
            .acknowledgements(Cli.acknowledgements(acknowledge))
            .onFailure(failureMode)
            .onDiscardedWrites(discardedWrites)
            .keepFailedCopies(failedCopies.keep)
            .attempt(
                image == null && revision == null
                    ? null
                    : new BackupManifest.Attempt(image, revision, null))
            .analysis(analysis(target, migration))
            .writeFence(fence)
            .handleTermination(true)
            .onFinished(
                r -> {
                  out[0] = r.toStepResult();
                  lastExitCode = r.exitCode().code();
                  summary(console, r);
                  // printed and written here, before a termination handler may halt the JVM
                  console.result(out[0]);
                  writeTerminationLog(console, out[0]);
                });
    new MigrationPipeline(engine, target, options, console::event).run();
    return null;
  }

  /**
   * A read-only fence still up from an earlier run (held after a failure, or the run was killed)
   * means nobody has said the database is good: a run without the fence would silently reopen it.
   */
  private void requireNoLeftoverFence(DatabaseTarget target, WriteFence fence) {
    if (fence == WriteFence.NONE
        && target.kind() == EngineKind.POSTGRESQL
        && FenceCommand.readOnly(target, engineOptions.postgresOptions()).isRaised()) {
      throw new DbguardException(
          PgReadOnlyFence.FENCE_FAILED,
          "database \""
              + target.database()
              + "\" is still read-only for the application: an earlier run left dbguard's write"
              + " fence up (held after a failure, or the run was stopped). Check the database, then"
              + " `dbguard fence lift`, or run with --write-fence ReadOnly to keep it up for this"
              + " run. Nothing was changed.");
    }
  }

  @Override
  void writeTerminationLog(Console console, StepResult r) {
    if (r != null) {
      super.writeTerminationLog(console, r);
    }
  }

  private PreflightAnalysis analysis(DatabaseTarget target, MigrationRunner migration) {
    String mode = lintMode.toLowerCase(Locale.ROOT);
    if (!List.of("enforce", "warn", "off").contains(mode)) {
      throw new DbguardException("Usage", "--lint must be Enforce, Warn or Off, not " + lintMode);
    }
    List<Path> lint = new ArrayList<>();
    if (!"off".equals(mode)) {
      if (lintPaths != null) {
        lint.addAll(lintPaths);
      } else if (migration instanceof FlywayRunner flyway) {
        // only the pending files form the batch: tables of applied migrations are not "new"
        lint.addAll(flyway.pendingFiles(target));
      }
    }
    List<Acknowledgement> acks = new ArrayList<>();
    if (acknowledgeFindings != null) {
      for (String a : acknowledgeFindings) {
        try {
          acks.add(Acknowledgement.parse(a));
        } catch (IllegalArgumentException e) {
          throw new DbguardException("Usage", "--acknowledge " + a + ": " + e.getMessage());
        }
      }
    }
    List<String> commands = new ArrayList<>();
    commands.add(source.command);
    commands.add(seedCommand);
    return new PreflightAnalyzer(
        commands,
        lint,
        seedSql == null ? List.of() : List.of(seedSql),
        new AnalysisOptions(environment, null, acks),
        acknowledgeCommands,
        // the guard reads the scripts a command names from where the command runs
        source.workdir != null ? source.workdir : Path.of("").toAbsolutePath(),
        "enforce".equals(mode));
  }

  private MigrationRunner seedRunner() {
    if (seedCommand != null && seedSql != null) {
      throw new DbguardException("Usage", "give at most one of --seed-command or --seed-sql");
    }
    if (seedCommand != null) {
      return new CommandRunner(
          seedCommand, source.workdir, null, Duration.ofSeconds(source.timeoutSeconds));
    }
    return seedSql == null ? null : new SqlScriptRunner(seedSql);
  }

  private static void summary(Console c, PipelineResult r) {
    c.line("");
    switch (r.outcome()) {
      case SUCCEEDED -> c.line(c.green(c.bold("SUCCEEDED")) + "  " + r.message());
      case ROLLED_BACK ->
          c.line(
              c.red(c.bold("ROLLED BACK"))
                  + "  "
                  + r.reason()
                  + ": "
                  + r.message()
                  + (r.keptFailedAs() == null
                      ? ""
                      : " The failed state is kept in " + r.keptFailedAs() + "."));
      case RESTORE_FAILED ->
          c.line(
              c.red(c.bold("RESTORE FAILED — act now")) + "  " + r.reason() + ": " + r.message());
      default ->
          c.line(
              c.red(c.bold(r.outcome().name().replace('_', ' ')))
                  + "  "
                  + r.reason()
                  + ": "
                  + r.message());
    }
    WritesReport.print(c, r.writesAfterBackup());
    for (String w : r.warnings()) {
      c.line("Warning: " + w);
    }
    if (r.backup() != null) {
      c.line(
          "Backup: "
              + r.backupFile()
              + " ("
              + Console.bytes(r.backup().sizeBytes())
              + ", sha256 "
              + r.backup().sha256()
              + ")");
    }
    if (r.manualRestoreCommand() != null) {
      c.line("To restore this backup by hand (stop the application first):");
      c.line("  " + r.manualRestoreCommand());
    }
    c.line("Exit code " + r.exitCode().code() + " (" + r.exitCode().name() + ")");
  }
}
