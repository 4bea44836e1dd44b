package io.dbguard.core.pipeline;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.WriteFence;
import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.pipeline.PipelineEvent.Kind;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.verify.DataLossCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The safety pipeline of docs/design.md §3 in one process: analyze → (detect new database) → backup
 * → verify backup → migrate → verify data → seed, and on any failure after the database may have
 * changed: restore → verify restore → prune old failed copies. Used by {@code dbguard run}; the
 * operator runs the same steps as separate Jobs.
 *
 * <p>Guarantees: nothing touches the database before a verified backup exists (unless the database
 * does not exist yet, or {@code backupRequired=false} and the backup failed, which is reported; a
 * database that did not exist is set aside after a failure instead of restored); a failed run is
 * restored at most once (no loops); older failed copies of the database are deleted only after a
 * restore was verified, and the newest {@code keepFailedCopies} always stay; every result names the
 * exact manual restore command when a backup exists. Not thread-safe; one {@link #run()} per
 * instance.
 */
public final class MigrationPipeline {
  private final DatabaseEngine engine;
  private final DatabaseTarget target;
  private final PipelineOptions options;
  private final PipelineListener listener;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean terminated;
  private volatile PipelineStep currentStep = PipelineStep.ANALYZE;
  private volatile PipelineStep signalStep;
  private volatile MigrationRunner current;
  private volatile PipelineResult result;

  private final List<String> warnings = new ArrayList<>();
  private BackupManifest manifest;
  private Path backupFile;
  private DataLossCheck.Result dataLoss;
  private WritesAfterBackup writesAfterBackup;
  private boolean databaseChanged;
  private boolean fenceRaised;

  /** Whether the database existed when the run began (false: created by this run). */
  private boolean existedBefore = true;

  /**
   * @param engine the engine for {@code target}
   * @param target the database
   * @param options what to run; {@code migration} and {@code backupDirectory} are required
   * @param listener receives events
   */
  public MigrationPipeline(
      DatabaseEngine engine,
      DatabaseTarget target,
      PipelineOptions options,
      PipelineListener listener) {
    this.engine = engine;
    this.target = target;
    this.options = options;
    this.listener = listener == null ? PipelineListener.NONE : listener;
    if (options.migration() == null) {
      throw new IllegalArgumentException("no migration given");
    }
  }

  /**
   * Runs the pipeline once. Never throws for database or migration problems: they are in the
   * result. Calls {@code options.onFinished} with the result before returning.
   */
  public PipelineResult run() {
    Thread hook = null;
    if (options.handleTermination()) {
      hook = new Thread(this::onShutdown, "dbguard-termination");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try {
      result = execute();
    } catch (RuntimeException e) {
      result =
          result(
              databaseChanged ? Outcome.RESTORE_FAILED : Outcome.FAILED,
              databaseChanged ? ExitCode.RESTORE_FAILED : ExitCode.TOOL_ERROR,
              "ToolError",
              "dbguard failed unexpectedly: "
                  + DatabaseTarget.redact(String.valueOf(e.getMessage()))
                  + (databaseChanged ? " (the database may have been changed)" : ""),
              null,
              false,
              null);
    }
    result = finishFence(result);
    try {
      options.onFinished().accept(result);
    } finally {
      finished.countDown();
    }
    if (hook != null && !terminated) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting: the hook sees finished == 0 and returns
      }
    }
    return result;
  }

  /** The shutdown hook: stop the migration, wait for the restore and report, exit with its code. */
  private void onShutdown() {
    if (finished.getCount() == 0) {
      return;
    }
    terminated = true;
    signalStep = currentStep;
    emit(signalStep, Kind.WARNING, TerminationSignal.receivedDuring(signalStep, databaseChanged));
    MigrationRunner r = current;
    if (r != null) {
      r.abort();
    }
    try {
      finished.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    PipelineResult res = result;
    Runtime.getRuntime().halt(res == null ? ExitCode.TOOL_ERROR.code() : res.exitCode().code());
  }

  private PipelineResult execute() {
    // analyze
    PreflightAnalysis.Report analysis;
    if (options.analysis() == PreflightAnalysis.NONE) {
      analysis = PreflightAnalysis.Report.EMPTY;
      emit(PipelineStep.ANALYZE, Kind.SKIPPED, "no migration analysis configured");
    } else {
      long t0 = System.nanoTime();
      emit(PipelineStep.ANALYZE, Kind.STARTED, "analyzing " + options.migration().describe());
      analysis =
          options
              .analysis()
              .analyze(
                  new PreflightAnalysis.Context(
                      target, options.environment(), options.migration(), options.seed()));
      analysis.warnings().forEach(w -> emit(PipelineStep.ANALYZE, Kind.WARNING, w));
      if (analysis.blocked()) {
        String msg =
            analysis.refusals().size()
                + " refused finding(s), the database was not touched: "
                + String.join("; ", analysis.refusals());
        emitDone(PipelineStep.ANALYZE, Kind.FAILED, msg, t0);
        return result(
            Outcome.BLOCKED, ExitCode.REFUSED, "Blocked", msg, PipelineStep.ANALYZE, false, null);
      }
      emitDone(PipelineStep.ANALYZE, Kind.SUCCEEDED, "no refused findings", t0);
    }
    if (terminated) {
      return terminatedBeforeChange();
    }

    // fence
    WriteFence fence = options.writeFence();
    if (fence != WriteFence.NONE) {
      long tf = System.nanoTime();
      emit(PipelineStep.FENCE, Kind.STARTED, "raising the write fence: " + fence.describe());
      try {
        String done = fence.raise();
        fenceRaised = true;
        emitDone(PipelineStep.FENCE, Kind.SUCCEEDED, done, tf);
      } catch (DbguardException e) {
        emitDone(PipelineStep.FENCE, Kind.FAILED, e.getMessage(), tf);
        return result(
            Outcome.FAILED,
            exitFor(e.reason()),
            e.reason(),
            e.getMessage(),
            PipelineStep.FENCE,
            false,
            null);
      }
      if (terminated) {
        return terminatedBeforeChange();
      }
    }

    // detect
    boolean isNew;
    // the data-loss baseline: the backup's profile (taken in the backup's snapshot), an empty one
    // for a new database, or a profile of its own when a non-required backup failed. Never a
    // separate full scan before the backup, which on a large database would double the reads.
    DataProfile baseline = null;
    try {
      existedBefore = engine.exists();
      isNew = !existedBefore || !engine.hasUserTables();
      if (!existedBefore) {
        baseline = engine.profile();
      }
    } catch (DbguardException e) {
      return result(
          Outcome.FAILED,
          exitFor(e.reason()),
          e.reason(),
          e.getMessage() + " (nothing was changed)",
          PipelineStep.BACKUP,
          false,
          null);
    }

    // backup + verify backup. A database that exists but has no tables is still backed up (it is
    // tiny): a failed migration must not leave it half-built.
    if (!existedBefore) {
      emit(
          PipelineStep.BACKUP,
          Kind.SKIPPED,
          "database "
              + engine.displayName()
              + " does not exist yet: nothing to back up (on failure it is set aside)");
    } else {
      long t0 = System.nanoTime();
      emit(PipelineStep.BACKUP, Kind.STARTED, "backing up " + engine.displayName());
      try {
        String dbName = options.databaseName() != null ? options.databaseName() : target.database();
        manifest =
            engine.backup(
                new BackupRequest(
                    options.backupDirectory(),
                    dbName,
                    options.environment(),
                    Instant.now(),
                    options.attempt(),
                    0,
                    options.contentChecksums()),
                progress(PipelineStep.BACKUP));
        backupFile = ManifestStore.backupFile(options.backupDirectory(), manifest);
        emitDone(
            PipelineStep.BACKUP,
            Kind.SUCCEEDED,
            backupFile
                + " ("
                + manifest.sizeBytes()
                + " bytes, "
                + manifest.profile().tables().size()
                + " tables, "
                + manifest.profile().totalRows()
                + " rows)",
            t0);
        long t1 = System.nanoTime();
        emit(PipelineStep.VERIFY_BACKUP, Kind.STARTED, "reading back " + backupFile);
        engine.verify(backupFile, manifest, progress(PipelineStep.VERIFY_BACKUP));
        emitDone(
            PipelineStep.VERIFY_BACKUP,
            Kind.SUCCEEDED,
            "sha256 " + manifest.sha256().substring(0, 12) + "…, whole file read back, intact",
            t1);
        baseline = manifest.profile();
      } catch (DbguardException e) {
        PipelineStep step = manifest == null ? PipelineStep.BACKUP : PipelineStep.VERIFY_BACKUP;
        emitDone(step, Kind.FAILED, e.getMessage(), t0);
        if (options.backupRequired()) {
          manifest = null;
          backupFile = null;
          return result(
              Outcome.FAILED,
              "BackupCorrupt".equals(e.reason())
                  ? ExitCode.BACKUP_CORRUPT
                  : e.reason().equals("ConnectionFailed")
                      ? ExitCode.CONNECTION_FAILED
                      : ExitCode.BACKUP_FAILED,
              e.reason(),
              e.getMessage() + " The database was not touched.",
              step,
              false,
              null);
        }
        manifest = null;
        backupFile = null;
        try {
          baseline = engine.profile(options.contentChecksums());
        } catch (DbguardException pe) {
          return result(
              Outcome.FAILED,
              exitFor(pe.reason()),
              pe.reason(),
              "the backup failed and the database cannot be profiled for the data-loss check: "
                  + pe.getMessage()
                  + " (nothing was changed)",
              PipelineStep.BACKUP,
              false,
              null);
        }
        String w =
            "continuing WITHOUT a backup because backup is not required (backupRequired=false):"
                + " a failure cannot be restored";
        warnings.add(w);
        emit(step, Kind.WARNING, w);
      }
    }
    if (terminated) {
      return terminatedBeforeChange();
    }

    // migrate
    long tm = System.nanoTime();
    emit(PipelineStep.MIGRATE, Kind.STARTED, options.migration().describe());
    databaseChanged = true;
    try {
      current = options.migration();
      String summary =
          options.migration().run(target, line -> emit(PipelineStep.MIGRATE, Kind.OUTPUT, line));
      current = null;
      if (terminated) {
        return failure(
            PipelineStep.MIGRATE,
            "Terminated",
            TerminationSignal.name()
                + " arrived while migrating (the migration finished, but the run was cancelled)",
            tm);
      }
      emitDone(PipelineStep.MIGRATE, Kind.SUCCEEDED, summary, tm);
    } catch (DbguardException e) {
      current = null;
      return failure(
          PipelineStep.MIGRATE,
          terminated ? "Terminated" : e.reason(),
          terminated
              ? TerminationSignal.name() + " stopped the migration: " + e.getMessage()
              : e.getMessage(),
          tm);
    }

    // verify data
    DataLossResultOrFailure check = verifyData(baseline, "after the migration");
    if (check.failure != null) {
      return check.failure;
    }

    // seed
    MigrationRunner seed = options.seed();
    String skip = seedSkipReason(seed, isNew, analysis);
    if (skip != null) {
      emit(PipelineStep.SEED, Kind.SKIPPED, skip);
    } else {
      long ts = System.nanoTime();
      emit(PipelineStep.SEED, Kind.STARTED, seed.describe());
      try {
        current = seed;
        String summary = seed.run(target, line -> emit(PipelineStep.SEED, Kind.OUTPUT, line));
        current = null;
        if (terminated) {
          return failure(
              PipelineStep.SEED,
              "Terminated",
              TerminationSignal.name() + " arrived while seeding",
              ts);
        }
        emitDone(PipelineStep.SEED, Kind.SUCCEEDED, summary, ts);
      } catch (DbguardException e) {
        current = null;
        return failure(
            PipelineStep.SEED,
            terminated ? "Terminated" : "SeedFailed",
            "seed failed: " + e.getMessage(),
            ts);
      }
      if (!isNew) {
        DataLossResultOrFailure again = verifyData(baseline, "after the seed");
        if (again.failure != null) {
          return again.failure;
        }
      }
    }
    String msg =
        "migrated "
            + engine.displayName()
            + (manifest == null ? "" : "; verified backup kept at " + backupFile);
    return result(Outcome.SUCCEEDED, ExitCode.OK, "Succeeded", msg, null, false, null);
  }

  private record DataLossResultOrFailure(PipelineResult failure) {}

  private DataLossResultOrFailure verifyData(DataProfile baseline, String when) {
    long t0 = System.nanoTime();
    emit(PipelineStep.VERIFY_DATA, Kind.STARTED, "comparing row and value counts " + when);
    DataProfile after;
    try {
      after = engine.profile(baseline.hasContentChecksums());
    } catch (DbguardException e) {
      return new DataLossResultOrFailure(
          failure(
              PipelineStep.VERIFY_DATA,
              e.reason(),
              "cannot profile the database " + when + ": " + e.getMessage(),
              t0));
    }
    dataLoss = DataLossCheck.check(baseline, after, options.acknowledgements());
    for (DataLossCheck.Finding f : dataLoss.acknowledged()) {
      emit(PipelineStep.VERIFY_DATA, Kind.WARNING, f.describe());
    }
    if (!dataLoss.passed()) {
      String lost =
          String.join("; ", dataLoss.unacknowledged().stream().map(f -> f.describe()).toList());
      return new DataLossResultOrFailure(
          failure(
              PipelineStep.VERIFY_DATA,
              "DataLossDetected",
              "data lost "
                  + when
                  + ": "
                  + lost
                  + " (acknowledge with --acknowledge-data-loss TABLE[.COLUMN] if intended)",
              t0));
    }
    emitDone(
        PipelineStep.VERIFY_DATA,
        Kind.SUCCEEDED,
        after.tables().size()
            + " tables, "
            + after.totalRows()
            + " rows; no table, row or column value lost"
            + (dataLoss.acknowledged().isEmpty()
                ? ""
                : " (" + dataLoss.acknowledged().size() + " acknowledged)"),
        t0);
    return new DataLossResultOrFailure(null);
  }

  private String seedSkipReason(
      MigrationRunner seed, boolean isNew, PreflightAnalysis.Report analysis) {
    if (seed == null) {
      return "no seed configured";
    }
    SeedPolicy p = options.seedPolicy();
    if (p == SeedPolicy.NEVER) {
      return "seed policy Never";
    }
    if (isNew || p == SeedPolicy.ALWAYS) {
      return null;
    }
    if (p == SeedPolicy.NEW_DATABASE_ONLY) {
      return "existing database and seed policy NewDatabaseOnly";
    }
    if (Boolean.TRUE.equals(analysis.seedIdempotent())) {
      return null;
    }
    String w =
        "seed skipped on an existing database: no seed analysis confirmed it is idempotent"
            + " (seed policy IfIdempotent; use --seed-policy Always to force)";
    warnings.add(w);
    return w;
  }

  /**
   * The database did not exist before this run and the run failed: set the partial database aside
   * so the next attempt starts from nothing. Returns null when the engine kept nothing (then the
   * caller reports "not restored").
   */
  private PipelineResult setAsideNew(PipelineStep step, String reason, String message) {
    long t0 = System.nanoTime();
    emit(
        PipelineStep.RESTORE,
        Kind.STARTED,
        "the database did not exist before this run: setting the partial one aside");
    String kept;
    try {
      kept = engine.setAsideNew();
    } catch (DbguardException e) {
      emitDone(PipelineStep.RESTORE, Kind.FAILED, e.getMessage(), t0);
      return result(
          Outcome.RESTORE_FAILED,
          ExitCode.RESTORE_FAILED,
          e.reason(),
          message + ". " + e.getMessage(),
          step,
          false,
          null);
    }
    if (kept == null) {
      emitDone(PipelineStep.RESTORE, Kind.SKIPPED, "nothing to set aside", t0);
      return null;
    }
    emitDone(
        PipelineStep.RESTORE,
        Kind.SUCCEEDED,
        "kept the partial database as " + kept + "; " + engine.displayName() + " is absent again",
        t0);
    FailedCopyPruning pruned = pruneFailedCopies();
    return result(
        Outcome.ROLLED_BACK,
        ExitCode.ROLLED_BACK,
        reason,
        message
            + ". The database did not exist before this run; what the failed run created was"
            + " moved to "
            + kept
            + ", so the next attempt starts from an empty database.",
        step,
        true,
        kept,
        pruned);
  }

  /** The migration/data check/seed failed: restore (or halt) and build the result. */
  private PipelineResult failure(PipelineStep step, String reason, String message, long t0) {
    emitDone(step, Kind.FAILED, message, t0);
    ExitCode notRestored =
        "DataLossDetected".equals(reason) ? ExitCode.DATA_LOSS_DETECTED : ExitCode.MIGRATION_FAILED;
    Outcome notRestoredOutcome =
        "DataLossDetected".equals(reason) ? Outcome.DATA_LOSS_DETECTED : Outcome.MIGRATION_FAILED;
    if (manifest == null
        && !existedBefore
        && options.onFailure() != PipelineOptions.OnFailure.HALT) {
      PipelineResult setAside = setAsideNew(step, reason, message);
      if (setAside != null) {
        return setAside;
      }
    }
    if (manifest == null) {
      String why =
          warnings.stream().anyMatch(w -> w.contains("WITHOUT a backup"))
              ? "no backup exists (backupRequired=false and the backup failed)"
              : "the database did not exist before the run, so no backup was taken";
      emit(PipelineStep.RESTORE, Kind.SKIPPED, why);
      return result(
          notRestoredOutcome,
          notRestored,
          reason,
          message + ". Not restored: " + why + "; the database may be partially migrated.",
          step,
          false,
          null);
    }
    if (options.onFailure() == PipelineOptions.OnFailure.HALT) {
      emit(PipelineStep.RESTORE, Kind.SKIPPED, "on-failure Halt: the database is left as it is");
      return result(
          notRestoredOutcome,
          notRestored,
          reason,
          message + ". Not restored (on-failure Halt).",
          step,
          false,
          null);
    }
    return restoreFromBackup(step, reason, message);
  }

  /**
   * Restores the backup after {@code step} failed (or halts when the database received writes after
   * the backup and {@link OnDiscardedWrites#HALT} is set) and builds the result.
   */
  private PipelineResult restoreFromBackup(PipelineStep step, String reason, String message) {
    // what the restore would discard: counted before it (to decide), and again on the failed copy
    // after it (final figures: nobody writes the failed copy)
    WritesAfterBackup writes = countWritesAfterBackup(null);
    writesAfterBackup = writes;
    if (writes.mayDiscard() && options.onDiscardedWrites() == OnDiscardedWrites.HALT) {
      return haltForWrites(step, reason, message, writes);
    }
    long tr = System.nanoTime();
    emit(PipelineStep.RESTORE, Kind.STARTED, "restoring from " + backupFile);
    try {
      RestoreResult rr = engine.restore(backupFile, manifest, progress(PipelineStep.RESTORE));
      return restored(step, reason, message, writes, rr, tr);
    } catch (DbguardException e) {
      emitDone(PipelineStep.RESTORE, Kind.FAILED, e.getMessage(), tr);
      return result(
          Outcome.RESTORE_FAILED,
          ExitCode.RESTORE_FAILED,
          e.reason(),
          "RESTORE FAILED after "
              + step.label()
              + " failed ("
              + reason
              + ": "
              + message
              + "): "
              + e.getMessage(),
          PipelineStep.RESTORE,
          false,
          null);
    } catch (RuntimeException e) {
      emitDone(PipelineStep.RESTORE, Kind.FAILED, String.valueOf(e.getMessage()), tr);
      return result(
          Outcome.RESTORE_FAILED,
          ExitCode.RESTORE_FAILED,
          "RestoreFailed",
          "RESTORE FAILED after " + step.label() + " failed: " + e,
          PipelineStep.RESTORE,
          false,
          null);
    }
  }

  /** The restore was verified: reports it, with the writes after the backup, and prunes. */
  private PipelineResult restored(
      PipelineStep step,
      String reason,
      String message,
      WritesAfterBackup writes,
      RestoreResult rr,
      long tr) {
    writesAfterBackup = WritesAfterBackupAdvice.afterRestore(engine, manifest, writes, rr);
    String lost = WritesAfterBackupAdvice.lostWarning(writesAfterBackup, rr);
    if (lost != null) {
      warnings.add(lost);
      emit(PipelineStep.RESTORE, Kind.WARNING, lost);
    }
    emitDone(
        PipelineStep.RESTORE,
        Kind.SUCCEEDED,
        "restored from "
            + manifest.name()
            + (rr.keptFailedAs() == null ? "" : "; failed state kept in " + rr.keptFailedAs()),
        tr);
    emit(
        PipelineStep.VERIFY_RESTORE,
        Kind.SUCCEEDED,
        rr.profileAfter().tables().size()
            + " tables, "
            + rr.profileAfter().totalRows()
            + " rows, schema fingerprint and migration history ("
            + rr.profileAfter().historyVersion()
            + ") equal the backup; integrity ok");
    FailedCopyPruning pruned = pruneFailedCopies();
    return result(
        Outcome.ROLLED_BACK,
        ExitCode.ROLLED_BACK,
        reason,
        message
            + ". The database was restored from "
            + manifest.name()
            + " and verified. "
            + writesAfterBackup.sentence(),
        step,
        true,
        rr.keptFailedAs(),
        pruned);
  }

  /** {@link OnDiscardedWrites#HALT} and writes after the backup: not restored, exit 23. */
  private PipelineResult haltForWrites(
      PipelineStep step, String reason, String message, WritesAfterBackup writes) {
    emit(
        PipelineStep.RESTORE,
        Kind.SKIPPED,
        "on-discarded-writes Halt: not restored, the database is left as the migration left it");
    return result(
        Outcome.HALTED_WRITES_AFTER_BACKUP,
        ExitCode.WRITES_AFTER_BACKUP,
        "WritesAfterBackup",
        message
            + " ("
            + reason
            + "). Not restored (on-discarded-writes Halt): "
            + writes.sentence()
            + " The database is left as the migration left it. "
            + WritesAfterBackupAdvice.toProceed(
                ManifestStore.manifestPath(options.backupDirectory(), manifest.name())),
        step,
        false,
        null);
  }

  /** Counts the writes after the backup (on the live database) and reports them as an event. */
  private WritesAfterBackup countWritesAfterBackup(String failedCopy) {
    long t0 = System.nanoTime();
    WritesAfterBackup w = engine.writesAfterBackup(manifest, failedCopy);
    emitDone(
        PipelineStep.RESTORE,
        w.status() == WritesAfterBackup.Status.NONE ? Kind.SUCCEEDED : Kind.WARNING,
        w.sentence(),
        t0);
    return w;
  }

  /**
   * Only after a verified restore (before it, every failed copy may be needed): deletes failed
   * copies beyond {@code keepFailedCopies}. Never fails the run: what cannot be removed, or a
   * listing that fails, becomes a warning.
   *
   * @return what was done, or null when the copies could not be listed
   */
  private FailedCopyPruning pruneFailedCopies() {
    FailedCopyPruning pruned;
    try {
      pruned = engine.pruneFailedCopies(options.keepFailedCopies());
    } catch (RuntimeException e) {
      String w =
          "old failed copies were not pruned (all are kept and take space): "
              + DatabaseTarget.redact(String.valueOf(e.getMessage()));
      warnings.add(w);
      emit(PipelineStep.RESTORE, Kind.WARNING, w);
      return null;
    }
    String summary = pruned.summary();
    if (summary != null) {
      emit(
          PipelineStep.RESTORE,
          pruned.problems().isEmpty() ? Kind.SUCCEEDED : Kind.WARNING,
          "failed copies: " + summary);
    }
    if (!pruned.problems().isEmpty()) {
      warnings.add(
          "old failed copies could not be removed and still take space: "
              + String.join("; ", pruned.problems()));
    }
    return pruned;
  }

  private PipelineResult terminatedBeforeChange() {
    // nothing changed and no migration ran: the backup step's "nothing changed" code, not 21
    return result(
        Outcome.FAILED,
        ExitCode.BACKUP_FAILED,
        "Terminated",
        TerminationSignal.stoppedBeforeChange(signalStep == null ? currentStep : signalStep),
        signalStep == null ? currentStep : signalStep,
        false,
        null);
  }

  private static ExitCode exitFor(String reason) {
    return io.dbguard.core.report.Reasons.exitCode(reason);
  }

  private PipelineResult result(
      Outcome outcome,
      ExitCode code,
      String reason,
      String message,
      PipelineStep failedStep,
      boolean restored,
      String keptFailedAs) {
    return result(outcome, code, reason, message, failedStep, restored, keptFailedAs, null);
  }

  private PipelineResult result(
      Outcome outcome,
      ExitCode code,
      String reason,
      String message,
      PipelineStep failedStep,
      boolean restored,
      String keptFailedAs,
      FailedCopyPruning failedCopies) {
    return new PipelineResult(
        outcome,
        code,
        reason,
        message,
        failedStep,
        manifest,
        backupFile,
        dataLoss,
        restored,
        keptFailedAs,
        failedCopies,
        backupFile == null ? null : engine.manualRestoreCommand(backupFile),
        List.copyOf(warnings),
        writesAfterBackup);
  }

  /**
   * Lifts a raised write fence when the database is known to be good (succeeded, restored, never
   * changed); holds it when nobody has checked the database (restore failed, or changed and not
   * restored), with the command that lifts it in the result.
   */
  private PipelineResult finishFence(PipelineResult r) {
    if (!fenceRaised) {
      return r;
    }
    WriteFence fence = options.writeFence();
    // known good: migrated and verified, restored and verified, or never changed
    boolean unchecked =
        r.outcome() != Outcome.SUCCEEDED
            && r.outcome() != Outcome.ROLLED_BACK
            && (databaseChanged || r.outcome() == Outcome.RESTORE_FAILED);
    if (unchecked) {
      String note =
          "The write fence stays up ("
              + fence.describe()
              + "): the database is in a state nobody has checked, so the application must not"
              + " write to it. After repairing it, lift the fence: "
              + fence.liftCommand();
      emit(PipelineStep.FENCE, Kind.WARNING, note);
      return r.withNote(note);
    }
    long t = System.nanoTime();
    emit(PipelineStep.FENCE, Kind.STARTED, "lifting the write fence: " + fence.describe());
    try {
      emitDone(PipelineStep.FENCE, Kind.SUCCEEDED, fence.lift(), t);
      return r;
    } catch (DbguardException e) {
      emitDone(PipelineStep.FENCE, Kind.FAILED, e.getMessage(), t);
      return r.withNote("The write fence could not be lifted: " + e.getMessage());
    }
  }

  private ProgressListener progress(PipelineStep step) {
    return (phase, done, total) ->
        listener.on(new PipelineEvent(step, Kind.PROGRESS, phase, 0, done, total));
  }

  private void emit(PipelineStep step, Kind kind, String message) {
    if (kind == Kind.STARTED) {
      currentStep = step;
    }
    try {
      listener.on(PipelineEvent.of(step, kind, message));
    } catch (RuntimeException ignored) {
      // a broken front end must not break the safety pipeline
    }
  }

  private void emitDone(PipelineStep step, Kind kind, String message, long startNanos) {
    try {
      listener.on(
          new PipelineEvent(
              step, kind, message, (System.nanoTime() - startNanos) / 1_000_000, 0, 0));
    } catch (RuntimeException ignored) {
      // see emit
    }
  }
}
