package io.dbguard.cli;

import io.dbguard.core.backup.BackupCatalog;
import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.backup.RetentionPolicy;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dbguard backups list|prune}. */
@Command(
    name = "backups",
    description = "List backups or apply retention.",
    subcommands = {BackupsCommand.ListCommand.class, BackupsCommand.PruneCommand.class})
final class BackupsCommand {

  /** {@code dbguard backups list}. */
  @Command(
      name = "list",
      description = "List the backups in a directory, newest first (by recorded completion time).")
  static final class ListCommand extends StepCommand {
    @Option(names = "--backup-dir", required = true, paramLabel = "DIR", description = "Directory.")
    Path backupDir;

    @Override
    String stepName() {
      return "backups-list";
    }

    @Override
    StepResult execute(Console console) throws Exception {
      List<BackupCatalog.Entry> entries = new BackupCatalog(backupDir).list();
      if (console.json()) {
        console.suppressResult();
        System.out.println(
            ManifestStore.JSON.writeValueAsString(
                entries.stream()
                    .map(
                        e ->
                            java.util.Map.of(
                                "manifest", e.manifest(),
                                "file", e.file().toString(),
                                "fileState", e.fileState()))
                    .toList()));
      } else {
        console.line(
            String.format(
                Locale.ROOT,
                "%-44s %-20s %10s %-8s %-6s %s",
                "NAME",
                "COMPLETED (UTC)",
                "SIZE",
                "VERIFIED",
                "PINNED",
                "FILE"));
        for (BackupCatalog.Entry e : entries) {
          BackupManifest m = e.manifest();
          console.line(
              String.format(
                  Locale.ROOT,
                  "%-44s %-20s %10s %-8s %-6s %s",
                  m.name(),
                  m.completedAt() == null
                      ? "-"
                      : m.completedAt()
                          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                          .toString()
                          .replace("T", " "),
                  Console.bytes(m.sizeBytes()),
                  m.verified() ? "yes" : "no",
                  m.pinned() ? "yes" : "no",
                  e.fileState()));
        }
        if (entries.isEmpty()) {
          console.line("no backups in " + backupDir);
        }
      }
      return new StepResult(
          "backups-list", 0, "Listed", entries.size() + " backup(s) in " + backupDir, null, null);
    }
  }

  /** {@code dbguard backups prune}. */
  @Command(
      name = "prune",
      description =
          "Delete backups retention no longer needs. Never deletes the newest verified backup or"
              + " a pinned one; orders by recorded completion time, never by file name.")
  static final class PruneCommand extends StepCommand {
    @Option(names = "--backup-dir", required = true, paramLabel = "DIR", description = "Directory.")
    Path backupDir;

    @Option(
        names = "--keep-last",
        paramLabel = "N",
        description = "Keep the newest N verified backups (default: 10).")
    int keepLast = RetentionPolicy.DEFAULT_KEEP_LAST;

    @Option(
        names = "--max-age",
        paramLabel = "AGE",
        description = "Also keep backups younger than AGE (30d, 12h, PT90M).")
    String maxAge;

    @Option(names = "--dry-run", description = "Show what would be deleted; delete nothing.")
    boolean dryRun;

    @Override
    String stepName() {
      return "backups-prune";
    }

    @Override
    StepResult execute(Console console) {
      if (!Files.isDirectory(backupDir)) {
        throw new io.dbguard.core.engine.DbguardException(
            "Usage", "backup directory " + backupDir + " does not exist");
      }
      RetentionPolicy policy =
          new RetentionPolicy(keepLast, maxAge == null ? null : Cli.duration(maxAge));
      BackupCatalog catalog = new BackupCatalog(backupDir);
      RetentionPolicy.Plan plan = catalog.plan(policy, Instant.now());
      for (RetentionPolicy.Decision d : plan.decisions()) {
        if (d.keep()) {
          console.ok("keep", d.backup().name() + " — " + d.why(), 0);
        } else {
          console.fail(dryRun ? "would delete" : "delete", d.backup().name() + " — " + d.why(), 0);
        }
      }
      int n = plan.toDelete().size();
      if (!dryRun) {
        catalog.apply(plan);
      }
      String msg =
          (dryRun ? "dry run: would delete " : "deleted ")
              + n
              + " backup(s), kept "
              + plan.toKeep().size();
      console.line(msg);
      return new StepResult("backups-prune", 0, dryRun ? "PruneDryRun" : "Pruned", msg, null, null)
          .withDetail("deleted", Integer.toString(n))
          .withDetail("kept", Integer.toString(plan.toKeep().size()));
    }
  }
}
