package io.dbguard.cli;

import io.dbguard.core.backup.BackupDirectory;
import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.ConnectionProbe;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.report.StepResult;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dbguard backup}: take a verified backup and write its manifest. */
@Command(
    name = "backup",
    description =
        "Take a consistent backup, verify it (SHA-256 + full read-back) and write"
            + " <name>.manifest.json beside it (mode 0600).")
final class BackupCommand extends StepCommand {
  @Option(
      names = "--backup-dir",
      required = true,
      paramLabel = "DIR",
      description = "Existing, writable directory for the backup and its manifest.")
  Path backupDir;

  @Option(
      names = "--database-name",
      paramLabel = "NAME",
      description = "Logical name in the backup name (default: database name or file stem).")
  String databaseName;

  @Option(
      names = "--environment",
      paramLabel = "ENV",
      description = "Environment in the backup name (default: production).")
  String environment = "production";

  @Option(names = "--image", paramLabel = "IMAGE", description = "Attempt: application image.")
  String image;

  @Option(names = "--revision", paramLabel = "REV", description = "Attempt: spec revision.")
  String revision;

  @Option(
      names = "--migration",
      paramLabel = "NS/NAME",
      description = "Attempt: the DatabaseMigration this backup protects.")
  String migration;

  @Mixin EngineOptions engineOptions;

  @Mixin ContentChecksumOption contentChecksum;

  @Option(
      names = "--skip-if-new",
      description =
          "Succeed without a backup (reason BackupSkipped, details.newDatabase=true) when the"
              + " database does not exist yet: there is nothing to lose. The operator's backup Job"
              + " uses it; without it such a database is an error. A database that exists but has"
              + " no user tables is backed up (details.newDatabase=true as well).")
  boolean skipIfNew;

  @Override
  String stepName() {
    return "backup";
  }

  @Override
  StepResult execute(Console console) {
    DatabaseTarget target = common.target();
    DatabaseEngine engine = engineOptions.open(target);
    console.heading("dbguard backup — " + target.redacted());
    BackupDirectory.requireWritable(backupDir);
    try {
      ConnectionProbe.check(target);
    } catch (DbguardException e) {
      if (skipIfNew && "DatabaseNotFound".equals(e.reason())) {
        return skipped(console, target.database() + " does not exist yet");
      }
      throw e;
    }
    if (!engine.exists()) {
      if (skipIfNew) {
        return skipped(console, engine.displayName() + " does not exist yet");
      }
      throw new DbguardException(
          "BackupFailed",
          "database " + engine.displayName() + " does not exist: nothing to back up");
    }
    lockDatabase(target, backupDir, console);
    long t0 = System.nanoTime();
    BackupManifest.Attempt attempt =
        image == null && revision == null && migration == null
            ? null
            : new BackupManifest.Attempt(image, revision, migration);
    BackupManifest m =
        engine.backup(
            new BackupRequest(
                backupDir,
                databaseName != null ? databaseName : Cli.defaultDatabaseName(target),
                environment,
                Instant.now(),
                attempt,
                0,
                contentChecksum.enabled),
            console::progress);
    Path file = ManifestStore.backupFile(backupDir, m);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    console.ok(
        "backup",
        file
            + " ("
            + Console.bytes(m.sizeBytes())
            + ", "
            + m.profile().tables().size()
            + " tables, "
            + m.profile().totalRows()
            + " rows)",
        ms);
    console.ok("verify backup", "sha256 " + m.sha256() + ", integrity ok", 0);
    console.line("Manifest: " + ManifestStore.manifestPath(backupDir, m.name()));
    console.line("To restore by hand (application stopped): " + engine.manualRestoreCommand(file));
    StepResult result =
        ok(
                "backup",
                "BackupVerified",
                "backup " + m.name() + " taken and verified",
                Cli.ref(m, file))
            .withDetail("manifest", ManifestStore.manifestPath(backupDir, m.name()).toString())
            .withDetail("manualRestoreCommand", engine.manualRestoreCommand(file));
    // no user tables: a new database for seeding purposes, backed up anyway (it is tiny) so that
    // a failed first migration can be undone instead of leaving a half-built schema
    return m.profile().hasUserTables() ? result : result.withDetail("newDatabase", "true");
  }

  private static StepResult skipped(Console console, String why) {
    console.line("  – backup          skipped: " + why + "; nothing to lose");
    return ok("backup", "BackupSkipped", "no backup needed: " + why, null)
        .withDetail("newDatabase", "true");
  }
}
