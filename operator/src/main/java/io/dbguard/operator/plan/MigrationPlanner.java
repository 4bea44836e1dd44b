package io.dbguard.operator.plan;

import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.LintMode;
import io.dbguard.operator.model.OnFailure;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.SeedPolicy;
import io.dbguard.operator.plan.Plan.Await;
import io.dbguard.operator.plan.Plan.Complete;
import io.dbguard.operator.plan.Plan.Fail;
import io.dbguard.operator.plan.Plan.LaunchStep;
import io.dbguard.operator.plan.Plan.Noop;
import io.dbguard.operator.plan.Plan.Stall;
import io.dbguard.operator.plan.Plan.StartRestore;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every decision of the operator, as a pure function of an {@link Observation} (docs/design.md §3,
 * §5).
 *
 * <p>State machine, per attempt (an attempt is identified by its revision: the {@link
 * AttemptDefinition} + image + retry token, see {@link Revisions}):
 *
 * <pre>
 *  idle ─validate─► Rejected | Stalled(Pending) | Pending(WaitingForDatabase)
 *       └─► [Plan ─► AwaitingApproval ({@link ApprovalPlanner})]
 *       └─► [Analyze] ─► Backup ─► Migrate ─► [Verify] ─► [Seed] ─► Succeeded
 *            │ refuse     │ fail      │ fail      │ loss      │ fail
 *            ▼            ▼           └───────────┴───────────┴─► Restore ─► RolledBack
 *          Blocked      Failed                (onFailure Halt ─► Failed)   └ fail ─► Failed
 *                                                                           (RestoreFailed)
 * </pre>
 *
 * <p>A restore requested with {@code dbguard.io/restore} after an attempt has finished runs as a
 * Restore step of that attempt ({@link RestoreRequests}).
 *
 * <p>Rules: a finished attempt (Succeeded, RolledBack, Blocked, Rejected, Failed) is never retried
 * for the same revision; a running Job is never interrupted; a new revision that arrives mid-run is
 * picked up at a safe point: when Analyze or Backup finishes (the database is untouched) the
 * attempt is superseded, otherwise the attempt runs to its end (restore included) first.
 */
public final class MigrationPlanner {

  /**
   * Phases in which a step's Job is (or is about to be) running, and AwaitingApproval: the attempt
   * has started and holds its database (another migration of it waits), nothing touched it yet.
   */
  public static final Set<Phase> RUNNING =
      EnumSet.of(
          Phase.Planning,
          Phase.AwaitingApproval,
          Phase.Analyzing,
          Phase.BackingUp,
          Phase.Migrating,
          Phase.Verifying,
          Phase.Seeding,
          Phase.Restoring);

  /** Phases that end an attempt. */
  public static final Set<Phase> FINISHED =
      EnumSet.of(Phase.Succeeded, Phase.RolledBack, Phase.Blocked, Phase.Rejected, Phase.Failed);

  private MigrationPlanner() {}

  /**
   * Decides the next plan, the write fence ({@link WriteFencePlanner}) included. Never throws for
   * any observation the observer can build.
   */
  public static Plan plan(Observation o) {
    return WriteFencePlanner.apply(o, SnapshotPlanner.apply(o, decide(o)));
  }

  /** The migration state machine's decision, before the write fence. */
  private static Plan decide(Observation o) {
    DatabaseMigrationStatus st = o.status();
    Phase phase = st == null || st.getPhase() == null ? Phase.Pending : st.getPhase();
    if (RUNNING.contains(phase) && st.getCurrent() != null && st.getCurrent().getJob() != null) {
      if (st.getImage() == null && o.job(st.getCurrent().getJob()).isEmpty()) {
        // Every step's Job needs the attempt's image: an attempt recorded without one (by an
        // operator version that started it before its workload existed) never created a Job.
        return startAttempt(
            o, "attempt " + st.getAttempt() + " was recorded without an image and never ran");
      }
      return continueAttempt(o, st);
    }
    Optional<Plan> restore = RestoreRequests.start(o);
    if (restore.isPresent()) {
      return restore.get();
    }
    if (FINISHED.contains(phase) && o.desiredRevision().equals(st.getRevision())) {
      return new Noop(phase);
    }
    return startAttempt(o, null);
  }

  /** Idle (or superseded at a safe point): validate and launch the first step of a new attempt. */
  private static Plan startAttempt(Observation o, String supersededNote) {
    Validation v = o.validation();
    if (v.invalidSpec() != null) {
      return new Stall(Reason.INVALID_SPEC, v.invalidSpec());
    }
    if (v.refused()) {
      return new Fail(
          Phase.Rejected,
          Reason.DANGEROUS_COMMAND,
          "refused in environment "
              + environment(o.spec())
              + " by rule "
              + v.refusedRule()
              + ": "
              + v.refusedMessage()
              + "; no Job was started",
          true);
    }
    if (!v.missing().isEmpty()) {
      return new Stall(
          Reason.MISSING_REFERENCE,
          "waiting for " + String.join(", ", v.missing()) + "; nothing was started");
    }
    if (o.desiredImage() == null) {
      return WorkloadWait.plan(o.spec(), supersededNote);
    }
    if (o.blockingRun().isPresent()) {
      return new Await(
          Phase.Pending,
          Reason.WAITING_FOR_DATABASE,
          "database "
              + o.spec().getDatabase().getName()
              + " is being migrated by "
              + o.blockingRun().get()
              + "; this run starts when it has finished",
          true);
    }
    Step first = ApprovalPlanner.applies(o.spec()) ? Step.PLAN : firstStepAfterPlan(o.spec());
    String msg =
        "attempt for image " + o.desiredImage() + " (revision " + o.desiredRevision() + ")";
    return new LaunchStep(
        first,
        JobNames.of(o.name(), first, o.desiredRevision()),
        true,
        supersededNote == null ? Reason.STEP_STARTED : Reason.SUPERSEDED,
        supersededNote == null ? "started " + msg : supersededNote + "; started " + msg);
  }

  private static Plan continueAttempt(Observation o, DatabaseMigrationStatus st) {
    Step step = Step.of(st.getCurrent().getStep());
    if (step == Step.PLAN) {
      return ApprovalPlanner.continuePlan(o, st);
    }
    if (step == Step.BACKUP && (st.getSnapshot() != null || SnapshotPlanner.applies(o.spec()))) {
      return SnapshotPlanner.continueSnapshot(o, st);
    }
    String jobName = st.getCurrent().getJob();
    Optional<JobObservation> found = o.job(jobName);
    if (found.isEmpty()) {
      if (st.getCurrent().getJobUid() != null) {
        // The Job existed (we saw it) and is gone before we saw it finish: its outcome is unknown.
        if (step == Step.RESTORE && RestoreRequests.isRequested(st)) {
          return RestoreRequests.lost(st, jobName);
        }
        return stepFailed(
            o, st, step, Reason.JOB_LOST, "Job " + jobName + " disappeared before it finished");
      }
      // Intent recorded, Job not created yet (e.g. the operator stopped in between): create it.
      // The recorded reason and message stay: they carry the cause (e.g. the findings that
      // started a restore), which the attempt's final message repeats.
      return new LaunchStep(
          step,
          jobName,
          false,
          st.getReason() == null ? Reason.STEP_STARTED : st.getReason(),
          st.getMessage() == null
              ? "starting " + step.label() + " (" + jobName + ")"
              : st.getMessage());
    }
    JobObservation job = found.get();
    if (job.state() == JobObservation.State.ACTIVE) {
      return new Await(
          step.phase(), Reason.STEP_RUNNING, step.label() + " is running in Job " + jobName, false);
    }
    if (step == Step.RESTORE && RestoreRequests.isRequested(st)) {
      return RestoreRequests.finished(st, job);
    }
    int exit = job.effectiveExitCode();
    boolean supersede = !o.desiredRevision().equals(st.getRevision()) && !step.touchesDatabase();
    String rev = st.getRevision();
    switch (step) {
      case ANALYZE -> {
        if (exit == ExitCode.OK.code() || exit == ExitCode.WARNINGS.code()) {
          return supersede ? superseded(o, st) : launch(o, Step.BACKUP, rev, "analysis passed");
        }
        if (exit == ExitCode.REFUSED.code()) {
          if (lint(o.spec()) == LintMode.Warn) {
            return supersede
                ? superseded(o, st)
                : launch(o, Step.BACKUP, rev, "analysis refused (lint: Warn): " + job.describe());
          }
          return new Fail(Phase.Blocked, Reason.ANALYSIS_REFUSED, job.describe(), false);
        }
        return new Fail(
            Phase.Failed,
            Reason.ANALYSIS_FAILED,
            job.describe() + "; the database was not touched",
            false);
      }
      case BACKUP -> {
        if (exit == ExitCode.OK.code()) {
          String what =
              !hasVerifiedBackup(o, st)
                  ? "new database: nothing to back up"
                  : "true".equals(detail(o, st, Step.BACKUP, "newDatabase"))
                      ? "empty database backed up"
                      : "backup verified";
          return supersede ? superseded(o, st) : launch(o, Step.MIGRATE, rev, what);
        }
        if (!backupRequired(o.spec())) {
          return supersede
              ? superseded(o, st)
              : new LaunchStep(
                  Step.MIGRATE,
                  JobNames.of(o.name(), Step.MIGRATE, rev),
                  false,
                  Reason.BACKUP_NOT_REQUIRED,
                  "backup failed and backup.required is false; migrating without a backup: "
                      + job.describe());
        }
        return new Fail(
            Phase.Failed,
            Reason.BACKUP_FAILED,
            job.describe() + "; the migration did not run and the database was not touched",
            false);
      }
      case SNAPSHOT_CHECK -> {
        return supersede && exit == ExitCode.OK.code()
            ? superseded(o, st)
            : SnapshotPlanner.checked(o, st, job, exit);
      }
      case MIGRATE -> {
        if (exit == ExitCode.OK.code()) {
          return hasVerifiedBackup(o, st)
              ? launch(o, Step.VERIFY, rev, "migrated")
              : seedOrComplete(o, st, "migrated (no backup, no data check)");
        }
        String reason =
            "DeadlineExceeded".equals(job.jobFailureReason())
                ? Reason.MIGRATION_TIMED_OUT
                : Reason.MIGRATION_FAILED;
        return stepFailed(o, st, step, reason, job.describe());
      }
      case VERIFY -> {
        if (exit == ExitCode.OK.code()) {
          return seedOrComplete(o, st, "migrated, no data lost");
        }
        String reason =
            exit == ExitCode.DATA_LOSS_DETECTED.code()
                ? Reason.DATA_LOSS_DETECTED
                : Reason.VERIFICATION_FAILED;
        return stepFailed(o, st, step, reason, job.describe());
      }
      case SEED -> {
        if (exit == ExitCode.OK.code()) {
          return new Complete("migrated, verified and seeded image " + st.getImage());
        }
        return stepFailed(o, st, step, Reason.SEED_FAILED, job.describe());
      }
      case RESTORE -> {
        String cause =
            st.getCurrent().getRestoreCause() == null
                ? Reason.MIGRATION_FAILED
                : st.getCurrent().getRestoreCause();
        if (exit == ExitCode.OK.code()) {
          String kept = detail(o, st, Step.RESTORE, "keptFailedAs");
          String what =
              !hasVerifiedBackup(o, st)
                  ? "set aside the database the failed attempt created"
                      + (kept == null ? "" : " (kept as " + kept + ")")
                  : "restored backup " + backupName(st);
          return new Fail(
              Phase.RolledBack,
              cause,
              what + " after " + cause + (st.getMessage() == null ? "" : ": " + st.getMessage()),
              false);
        }
        return new Fail(
            Phase.Failed,
            Reason.RESTORE_FAILED,
            "restore of backup "
                + backupName(st)
                + " failed after "
                + cause
                + ": "
                + job.describe()
                + "; the database needs a human (see docs/operations.md#runbook-restorefailed)",
            false);
      }
      default -> throw new IllegalStateException("unhandled step " + step);
    }
  }

  /** Migrate, verify or seed failed: restore, or halt, or fail when there is nothing to restore. */
  private static Plan stepFailed(
      Observation o, DatabaseMigrationStatus st, Step step, String reason, String detail) {
    if (step == Step.RESTORE) {
      String cause =
          st.getCurrent().getRestoreCause() == null
              ? Reason.MIGRATION_FAILED
              : st.getCurrent().getRestoreCause();
      return new Fail(
          Phase.Failed,
          Reason.RESTORE_FAILED,
          detail
              + " after "
              + cause
              + (st.getMessage() == null ? "" : ": " + st.getMessage())
              + "; the database needs a human (see docs/operations.md#runbook-restorefailed)",
          false);
    }
    if (!step.touchesDatabase()) {
      // Analyze/backup lost: the database is untouched, so start the step again.
      return new LaunchStep(
          step, st.getCurrent().getJob(), false, reason, detail + "; starting it again");
    }
    if (onFailure(o.spec()) == OnFailure.Halt) {
      return new Fail(
          Phase.Failed, reason, detail + " (onFailure: Halt, nothing was restored)", false);
    }
    if (!hasVerifiedBackup(o, st)) {
      if (createdByThisAttempt(o, st)) {
        return new StartRestore(
            JobNames.of(o.name(), Step.RESTORE, st.getRevision()),
            reason,
            detail
                + "; the database did not exist before this attempt: setting aside what it"
                + " created");
      }
      return new Fail(
          Phase.Failed, reason, detail + " (no verified backup to restore from)", false);
    }
    return new StartRestore(
        JobNames.of(o.name(), Step.RESTORE, st.getRevision()),
        reason,
        detail + "; restoring backup " + backupName(st));
  }

  /**
   * A SQLite file that did not exist before this attempt (the backup step skipped it as new, with
   * no backup): after a failure the restore Job sets it aside ({@code dbguard restore
   * --set-aside-new}) so the next attempt starts from nothing. PostgreSQL is left as it is: a
   * database the application's own tooling created may carry grants and settings dbguard did not
   * see.
   */
  static boolean createdByThisAttempt(Observation o, DatabaseMigrationStatus st) {
    return o.spec().getDatabase().getEngine() == Engine.SQLite
        && "BackupSkipped"
            .equals(stepResult(o, st, Step.BACKUP).map(StepResult::reason).orElse(null))
        && "true".equals(detail(o, st, Step.BACKUP, "newDatabase"));
  }

  /** The result the step's Job of the current revision reported, if any. */
  private static java.util.Optional<StepResult> stepResult(
      Observation o, DatabaseMigrationStatus st, Step step) {
    return o.job(JobNames.of(o.name(), step, st.getRevision())).map(JobObservation::result);
  }

  private static Plan seedOrComplete(Observation o, DatabaseMigrationStatus st, String what) {
    if (seedRuns(o, st)) {
      return launch(o, Step.SEED, st.getRevision(), what);
    }
    return new Complete(what + ": image " + st.getImage());
  }

  static Plan superseded(Observation o, DatabaseMigrationStatus st) {
    return startAttempt(
        o,
        "revision "
            + st.getRevision()
            + " superseded by "
            + o.desiredRevision()
            + " before the database was touched");
  }

  private static LaunchStep launch(Observation o, Step step, String revision, String why) {
    return new LaunchStep(
        step,
        JobNames.of(o.name(), step, revision),
        false,
        Reason.STEP_STARTED,
        why + "; starting " + step.label());
  }

  /** Whether the seed step runs, per {@code spec.seed.policy} and the facts the steps reported. */
  static boolean seedRuns(Observation o, DatabaseMigrationStatus st) {
    DatabaseMigrationSpec spec = o.spec();
    if (spec.getSeed() == null
        || spec.getSeed().getCommand() == null
        || spec.getSeed().getCommand().isEmpty()) {
      return false;
    }
    SeedPolicy policy =
        spec.getSeed().getPolicy() == null ? SeedPolicy.IfIdempotent : spec.getSeed().getPolicy();
    boolean newDatabase = "true".equals(detail(o, st, Step.BACKUP, "newDatabase"));
    return switch (policy) {
      case Never -> false;
      case Always -> true;
      case NewDatabaseOnly -> newDatabase;
      case IfIdempotent ->
          newDatabase || "true".equals(detail(o, st, Step.ANALYZE, "seedIdempotent"));
    };
  }

  private static String detail(Observation o, DatabaseMigrationStatus st, Step step, String key) {
    return stepResult(o, st, step).map(StepResult::details).map(d -> d.get(key)).orElse(null);
  }

  /** A verified backup protects the current attempt (recorded in status or seen in its Job). */
  static boolean hasVerifiedBackup(Observation o, DatabaseMigrationStatus st) {
    if (st.getBackup() != null && st.getBackup().getName() != null) {
      return true;
    }
    return o.job(JobNames.of(o.name(), Step.BACKUP, st.getRevision()))
        .filter(j -> j.state() == JobObservation.State.SUCCEEDED)
        .map(JobObservation::result)
        .map(StepResult::backup)
        .isPresent();
  }

  private static String backupName(DatabaseMigrationStatus st) {
    return st.getBackup() == null || st.getBackup().getName() == null
        ? "(unrecorded)"
        : st.getBackup().getName();
  }

  /** The step after the plan (or the first step without {@code spec.approval}). */
  static Step firstStepAfterPlan(DatabaseMigrationSpec spec) {
    return runsAnalyze(spec) ? Step.ANALYZE : Step.BACKUP;
  }

  static boolean runsAnalyze(DatabaseMigrationSpec spec) {
    return lint(spec) != LintMode.Off
        && spec.getSafety() != null
        && spec.getSafety().getMigrationsPath() != null;
  }

  private static LintMode lint(DatabaseMigrationSpec spec) {
    return spec.getSafety() == null || spec.getSafety().getLint() == null
        ? LintMode.Enforce
        : spec.getSafety().getLint();
  }

  private static boolean backupRequired(DatabaseMigrationSpec spec) {
    return spec.getBackup() == null
        || spec.getBackup().getRequired() == null
        || spec.getBackup().getRequired();
  }

  private static OnFailure onFailure(DatabaseMigrationSpec spec) {
    return spec.getOnFailure() == null ? OnFailure.Restore : spec.getOnFailure();
  }

  /** The spec's environment, {@code production} when unset. */
  public static String environment(DatabaseMigrationSpec spec) {
    return spec.getSafety() == null || spec.getSafety().getEnvironment() == null
        ? "production"
        : spec.getSafety().getEnvironment();
  }
}
