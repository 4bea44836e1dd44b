package io.dbguard.cli;

import io.dbguard.core.backup.BackupCatalog;
import io.dbguard.core.backup.BackupDirectory;
import io.dbguard.core.backup.BackupLeftovers;
import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.backup.RetentionPolicy;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.Engines;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.report.StepResult;
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
      BackupDirectory.requireReadable(backupDir);
      List<BackupCatalog.Entry> entries = new BackupCatalog(backupDir).list();
      List<BackupLeftovers.Leftover> leftovers = BackupLeftovers.list(backupDir);
      if (console.json()) {
        console.suppressResult();
        List<Object> rows = new java.util.ArrayList<>();
        entries.forEach(
            e ->
                rows.add(
                    java.util.Map.of(
                        "manifest", e.manifest(),
                        "file", e.file().toString(),
                        "fileState", e.fileState())));
        leftovers.forEach(
            l -> {
              java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
              row.put("file", l.file().toString());
              row.put("fileState", "leftover");
              row.put("sizeBytes", l.bytes());
              row.put("owner", l.owner());
              rows.add(row);
            });
        System.out.println(ManifestStore.JSON.writeValueAsString(rows));
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
        printLeftovers(console, leftovers);
      }
      return new StepResult(
          "backups-list",
          0,
          "Listed",
          entries.size()
              + " backup(s) in "
              + backupDir
              + (leftovers.isEmpty()
                  ? ""
                  : "; " + leftovers.size() + " leftover file(s) of interrupted backups"),
          null,
          null);
    }

    private static void printLeftovers(Console console, List<BackupLeftovers.Leftover> leftovers) {
      if (leftovers.isEmpty()) {
        return;
      }
      console.line("");
      console.line(
          "Leftovers of interrupted backups (removed by the next run, backup or restore of their"
              + " database; files without an owner are never removed automatically: delete them by"
              + " hand once no backup is running):");
      for (BackupLeftovers.Leftover l : leftovers) {
        console.line(
            String.format(
                Locale.ROOT,
                "  %10s  %-12s  %s",
                Console.bytes(l.bytes()),
                l.owner() == null ? "no owner" : l.owner(),
                l.file()));
      }
    }
  }

  /** {@code dbguard backups prune}. */
  @Command(
      name = "prune",
      description =
          "Delete backups retention no longer needs. Never deletes the newest verified backup or"
              + " a pinned one; orders by recorded completion time, never by file name. With"
              + " --keep-failed-copies, also delete old failed (pre-restore) copies of the database"
              + " given by --database-url or DATABASE_URL. With --delete, delete exactly the"
              + " named backups of that database instead (no retention rules).")
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

    @Option(
        names = "--keep-failed-copies",
        paramLabel = "N",
        converter = KeepFailedCopies.Count.class,
        description =
            "Also keep only the newest N failed (pre-restore) copies of the database given by"
                + " --database-url or DATABASE_URL (SQLite <db>.failed-<stamp> files, PostgreSQL"
                + " <db>_failed_<stamp> databases) and delete older ones. N >= 1. Default: failed"
                + " copies are not touched.")
    Integer keepFailedCopies;

    @Option(names = "--dry-run", description = "Show what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(
        names = "--delete",
        paramLabel = "NAME",
        description =
            "Delete exactly this backup (name, file or manifest file name; repeatable) of the"
                + " database given by --database-url or DATABASE_URL, and apply no retention rule."
                + " Refused, deleting nothing, for a backup of another database, a pinned one or"
                + " the newest verified one. A name not found is reported as already absent.")
    List<String> delete = new java.util.ArrayList<>();

    @Option(
        names = "--expect",
        paramLabel = "NAME",
        description =
            "A backup that must stay (repeatable; with or without --delete): never deleted,"
                + " reported as missing or damaged when its manifest or file is not as recorded."
                + " Applies no retention rule either.")
    List<String> expect = new java.util.ArrayList<>();

    @Override
    String stepName() {
      return "backups-prune";
    }

    @Override
    StepResult execute(Console console) {
      BackupDirectory.requireReadable(backupDir);
      if (!delete.isEmpty() || !expect.isEmpty()) {
        return exact(console);
      }
      // resolve the database first: a bad URL must not leave the backups half pruned
      DatabaseEngine engine =
          keepFailedCopies == null && !common.hasDatabase()
              ? null
              : Engines.open(
                  common.target(), io.dbguard.core.engine.postgres.PostgresOptions.defaults());
      // with a database, only its own backups are planned; without, each database's separately
      java.util.Map<String, String> live = engine == null ? null : engine.identity();
      RetentionPolicy policy =
          new RetentionPolicy(keepLast, maxAge == null ? null : Cli.duration(maxAge));
      BackupCatalog catalog = new BackupCatalog(backupDir);
      RetentionPolicy.Plan plan =
          catalog.plan(
              policy,
              Instant.now(),
              live == null
                  ? m -> true
                  : m -> io.dbguard.core.backup.DatabaseIdentity.sameDatabase(m, live));
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
      FailedCopyPruning copies = null;
      if (keepFailedCopies != null) {
        copies = pruneFailedCopies(console, engine);
        msg +=
            (dryRun ? "; would remove " : "; removed ")
                + copies.removed().size()
                + " failed cop"
                + (copies.removed().size() == 1 ? "y" : "ies")
                + " of "
                + engine.displayName()
                + ", kept "
                + copies.kept().size();
      }
      console.line(msg);
      StepResult r =
          new StepResult("backups-prune", 0, dryRun ? "PruneDryRun" : "Pruned", msg, null, null)
              .withDetail("deleted", Integer.toString(n))
              .withDetail("kept", Integer.toString(plan.toKeep().size()));
      return copies == null ? r : r.withDetails(copies.details());
    }

    /** {@code --delete}/{@code --expect}: the named backups only, see {@link ExactPrune}. */
    private StepResult exact(Console console) {
      if (maxAge != null || keepFailedCopies != null) {
        throw new io.dbguard.core.engine.DbguardException(
            "Usage",
            "--delete/--expect apply no retention rule: drop --max-age and --keep-failed-copies");
      }
      if (!common.hasDatabase()) {
        throw new io.dbguard.core.engine.DbguardException(
            "Usage",
            "--delete/--expect need the database (--database-url or DATABASE_URL): only its own"
                + " backups are deleted or checked");
      }
      DatabaseEngine engine =
          Engines.open(common.target(), io.dbguard.core.engine.postgres.PostgresOptions.defaults());
      return new ExactPrune(backupDir, engine.identity(), console).run(delete, expect, dryRun);
    }

    /** Failed copies beyond the newest N: deleted, or (dry run) only listed. */
    private FailedCopyPruning pruneFailedCopies(Console console, DatabaseEngine engine) {
      FailedCopyPruning copies;
      if (dryRun) {
        List<String> all = engine.failedCopies();
        int keep = Math.min(keepFailedCopies, all.size());
        copies =
            new FailedCopyPruning(all.subList(keep, all.size()), all.subList(0, keep), List.of());
      } else {
        copies = engine.pruneFailedCopies(keepFailedCopies);
      }
      String why = "one of the newest " + keepFailedCopies + " failed copies";
      copies.kept().forEach(k -> console.ok("keep", k + " — " + why, 0));
      copies
          .removed()
          .forEach(
              d ->
                  console.fail(
                      dryRun ? "would delete" : "delete",
                      d + " — failed copy older than the newest " + keepFailedCopies,
                      0));
      copies.problems().forEach(p -> console.warn("not deleted", p));
      return copies;
    }
  }
}
