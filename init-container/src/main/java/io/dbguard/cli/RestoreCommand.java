package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.Engines;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.pipeline.OnDiscardedWrites;
import io.dbguard.core.pipeline.WritesAfterBackupAdvice;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dbguard restore}: restore a backup and verify the result. */
@Command(
    name = "restore",
    description =
        "Restore the database from a backup: re-check SHA-256 and integrity first, keep the"
            + " failed state for forensics, restore, then verify row counts, schema fingerprint and"
            + " migration history against the manifest, then delete failed copies older than the"
            + " newest --keep-failed-copies. Stop the application first.")
final class RestoreCommand extends StepCommand {
  @Mixin BackupSelection selection;
  @Mixin KeepFailedCopies failedCopies;
  @Mixin WritesReport writes;
  @Mixin RestoreJobs restoreJobs;

  @Option(
      names = "--set-aside-new",
      description =
          "There is no backup because the database did not exist before the failed attempt: move"
              + " what the attempt created aside as a failed copy (SQLite: <db>.failed-<stamp> with"
              + " its -wal/-shm), so the next attempt starts from nothing. Exit 0 with reason"
              + " SetAside (details.keptFailedAs), or NothingToSetAside when the database does not"
              + " exist (or is PostgreSQL, which is never set aside). Not with a backup selection.")
  boolean setAsideNew;

  @Option(
      names = "--from-copy",
      paramLabel = "PATH",
      description =
          "Restore from a copy of the database volume (a claim the operator provisioned from its"
              + " VolumeSnapshot) instead of a dump. SQLite: PATH is the database file on the copy;"
              + " it is checkpointed, integrity-checked, profiled and hashed, then restored with"
              + " SQLite's backup API exactly as a backup is. PostgreSQL: PATH is the data"
              + " directory on the copy; a private server is started on it, the database is dumped"
              + " from it (pg_dump -Fc, verified) into the copy and restored as a backup is (swap:"
              + " failed state kept as <db>_failed_...). Either way the result is compared with the"
              + " copy's row counts, schema fingerprint and history. Not with a backup selection.")
  java.nio.file.Path fromCopy;

  @Override
  String stepName() {
    return "restore";
  }

  @Override
  StepResult execute(Console console) {
    if (setAsideNew) {
      return setAside(console);
    }
    if (fromCopy != null) {
      return restoreFromCopy(console);
    }
    OnDiscardedWrites policy = writes.policy();
    BackupSelection.Chosen chosen = selection.choose(common, "restore", restoreJobs.jobs);
    Cli.Located l = chosen.located();
    Cli.requireFile(l);
    DatabaseEngine engine = chosen.engine();
    DatabaseTarget target = Cli.targetFor(common, l.manifest());
    console.heading("dbguard restore — " + engine.displayName() + " from " + l.manifest().name());
    lockDatabase(target, l.file().toAbsolutePath().getParent(), console);
    // the whole archive is read back first (PostgreSQL: through pg_restore): a backup that cannot
    // be read is BackupCorrupt (11) with the database untouched, even when its manifest's SHA-256
    // was rewritten to match, never a RestoreFailed (40) half-way through
    // (PostgreSQL swap restore: the restore itself hashes the archive beside pg_restore and swaps
    // only after both succeeded; SQLite: the restore hashes and integrity-checks the backup beside
    // copying the failed state and writes the live file only after both succeeded; a separate
    // read here would only repeat it)
    long tv = System.nanoTime();
    boolean checkedByRestore = engine.restoreChecksArchive();
    if (!checkedByRestore) {
      engine.verify(l.file(), l.manifest(), console::progress);
      console.ok(
          "verify backup",
          "sha256 " + l.manifest().sha256().substring(0, 12) + "…, whole archive read back",
          (System.nanoTime() - tv) / 1_000_000);
    }
    // what the restore would discard: counted before it (to decide), then on the failed copy.
    // A swap restore keeps the replaced database as the failed copy and counts there (the final
    // figures); with --on-discarded-writes Restore nothing depends on the count before it, so
    // counting the same rows twice is skipped
    WritesAfterBackup before;
    if (policy == OnDiscardedWrites.HALT || !checkedByRestore) {
      long tw = System.nanoTime();
      before = engine.writesAfterBackup(l.manifest(), null);
      if (before.status() == WritesAfterBackup.Status.NONE) {
        console.ok("writes after backup", before.sentence(), (System.nanoTime() - tw) / 1_000_000);
      } else {
        console.warn("writes after backup", before.sentence());
      }
    } else {
      before =
          WritesAfterBackup.unknown(
              target.database(), "counted on the failed copy the restore keeps");
    }
    if (before.mayDiscard() && policy == OnDiscardedWrites.HALT) {
      WritesReport.print(console, before);
      return new StepResult(
              "restore",
              ExitCode.WRITES_AFTER_BACKUP.code(),
              "WritesAfterBackup",
              "Not restored (--on-discarded-writes Halt): "
                  + before.sentence()
                  + " The database was not touched. "
                  + WritesAfterBackupAdvice.toProceed(l.manifestFile()),
              Cli.ref(l.manifest(), l.file()),
              null,
              before)
          .withDetails(details(before));
    }
    RestoreResult r = engine.restore(l.file(), l.manifest(), console::progress);
    WritesAfterBackup discarded =
        WritesAfterBackupAdvice.afterRestore(engine, l.manifest(), before, r);
    if (checkedByRestore) {
      console.ok(
          "verify backup",
          "sha256 "
              + l.manifest().sha256().substring(0, 12)
              + "…, whole archive read back by the restore before it replaced the database",
          0);
    }
    console.ok("restore", "restored from " + l.file(), r.durationMillis());
    console.ok(
        "verify restore",
        r.profileAfter().tables().size()
            + " tables, "
            + r.profileAfter().totalRows()
            + " rows, schema and history ("
            + r.profileAfter().historyVersion()
            + ") equal the backup",
        0);
    if (r.keptFailedAs() != null) {
      console.line("The previous (failed) state is kept in " + r.keptFailedAs());
    }
    WritesReport.print(console, discarded);
    String lost = WritesAfterBackupAdvice.lostWarning(discarded, r);
    if (lost != null) {
      console.warn("writes after backup", lost);
    }
    StepResult res =
        ok(
                "restore",
                "Restored",
                "restored from "
                    + l.manifest().name()
                    + " and verified. "
                    + discarded.sentence()
                    + (lost == null ? "" : " Warning: " + lost),
                Cli.ref(l.manifest(), l.file()))
            .withWritesAfterBackup(discarded)
            .withDetails(details(discarded));
    if (r.keptFailedAs() != null) {
      res = res.withDetail("keptFailedAs", r.keptFailedAs());
    }
    return failedCopies.pruneAfterRestore(console, engine, res);
  }

  /** {@code writesAfterBackup} (status) and {@code writesAfterBackupTables} (when found). */
  private static java.util.Map<String, String> details(WritesAfterBackup w) {
    java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
    d.put("writesAfterBackup", w.status().name().toLowerCase(java.util.Locale.ROOT));
    if (w.found()) {
      d.put("writesAfterBackupTables", String.join(", ", w.applicationTables()));
    }
    return d;
  }

  private StepResult setAside(Console console) {
    if (selection.manifest != null || selection.backupDir != null || selection.backup != null) {
      throw new DbguardException(
          "Usage", "--set-aside-new restores to 'no database' and takes no backup selection");
    }
    DatabaseTarget target = common.target();
    console.heading("dbguard restore — " + target.redacted() + " (new database: set aside)");
    DatabaseEngine engine = Engines.open(target, selection.toolDir);
    lockDatabase(target, console);
    long t0 = System.nanoTime();
    String kept = engine.setAsideNew();
    if (kept == null) {
      console.line("  – restore         nothing to set aside: " + engine.displayName());
      return ok(
          "restore",
          "NothingToSetAside",
          engine.displayName() + " was not set aside (absent, or not a SQLite file)",
          null);
    }
    console.ok(
        "restore",
        "kept the partial database as " + kept + "; " + engine.displayName() + " is absent again",
        (System.nanoTime() - t0) / 1_000_000);
    StepResult res =
        ok(
                "restore",
                "SetAside",
                "the new database " + engine.displayName() + " was set aside as " + kept,
                null)
            .withDetail("keptFailedAs", kept);
    return failedCopies.pruneAfterRestore(console, engine, res);
  }

  private StepResult restoreFromCopy(Console console) {
    DatabaseEngine engine = SnapshotCopy.live(common, selection, fromCopy);
    console.heading("dbguard restore — " + engine.displayName() + " from the copy " + fromCopy);
    lockDatabase(common.target(), console);
    RestoreResult r =
        engine instanceof io.dbguard.core.engine.postgres.PostgresEngine pg
            ? pg.restoreFromCopy(fromCopy, console::progress)
            : ((io.dbguard.core.engine.sqlite.SqliteEngine) engine)
                .restoreFromCopy(fromCopy, console::progress);
    console.ok("restore", "restored from " + fromCopy, r.durationMillis());
    console.ok(
        "verify restore",
        r.profileAfter().tables().size()
            + " tables, "
            + r.profileAfter().totalRows()
            + " rows, schema and history ("
            + r.profileAfter().historyVersion()
            + ") equal the copy",
        0);
    if (r.keptFailedAs() != null) {
      console.line("The previous (failed) state is kept in " + r.keptFailedAs());
    }
    StepResult res =
        ok(
                "restore",
                "Restored",
                "restored from the snapshot copy " + fromCopy + " and verified",
                null)
            .withDetail("fromCopy", fromCopy.toString())
            .withDetail("rows", Long.toString(r.profileAfter().totalRows()));
    if (r.keptFailedAs() != null) {
      res = res.withDetail("keptFailedAs", r.keptFailedAs());
    }
    return failedCopies.pruneAfterRestore(console, engine, res);
  }
}
