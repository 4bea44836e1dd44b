package io.dbguard.operator.plan;

import io.dbguard.core.report.ExitCode;
import io.dbguard.operator.model.ApprovalMode;
import io.dbguard.operator.model.ApprovalSpec;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.LintMode;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.PlanStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The plan step and the approval of {@code spec.approval} (pure; called by {@link MigrationPlanner}
 * while the attempt's current step is {@link Step#PLAN}).
 *
 * <pre>
 *  Plan Job ─► exit 0/1 (2 with lint Warn or Off) ─► Automatic ─────────────────► [Analyze] ─► Backup …
 *           │                                       └► Manual: AwaitingApproval ─approve=rev─┘
 *           │                                                   └ maxWaitSeconds ─► Blocked (ApprovalTimedOut)
 *           ├► exit 2 (lint Enforce) ─► Blocked (AnalysisRefused)
 *           └► exit ≥ 3 or unknown ─► Failed (PlanFailed)
 * </pre>
 *
 * <p>Only {@code dbguard.io/approve=<status.revision>} approves: the revision is the hash of the
 * attempt definition, the image and the retry token ({@link Revisions}), so an approval can never
 * start another image or spec. A spec change while waiting supersedes the attempt (nothing touched
 * the database): a new attempt plans again and needs its own approval. The wait is recorded in
 * status ({@code status.plan.awaitingSince}), so an operator restart resumes it.
 */
public final class ApprovalPlanner {
  /** Longest annotation value repeated in status and messages. */
  static final int SHOWN_VALUE_CHARS = 63;

  private ApprovalPlanner() {}

  /** Whether attempts of {@code spec} start with the plan step ({@code spec.approval} is set). */
  public static boolean applies(DatabaseMigrationSpec spec) {
    return spec != null && spec.getApproval() != null;
  }

  /** The mode in force: Manual when {@code spec.approval} is set without one; null when unset. */
  public static ApprovalMode mode(DatabaseMigrationSpec spec) {
    ApprovalSpec a = spec == null ? null : spec.getApproval();
    if (a == null) {
      return null;
    }
    return a.getMode() == null ? ApprovalMode.Manual : a.getMode();
  }

  /** The current step is {@link Step#PLAN}: wait for its Job, then for the approval. */
  static Plan continuePlan(Observation o, DatabaseMigrationStatus st) {
    String jobName = st.getCurrent().getJob();
    PlanStatus recorded = recorded(st);
    if (recorded != null) {
      return planned(o, st, recorded.getExitCode(), recorded.getSummary());
    }
    Optional<JobObservation> found = o.job(jobName);
    if (found.isEmpty()) {
      boolean lost = st.getCurrent().getJobUid() != null;
      // reading the database changes nothing: create (or re-create) the plan Job
      return new Plan.LaunchStep(
          Step.PLAN,
          jobName,
          false,
          lost ? Reason.JOB_LOST : st.getReason() == null ? Reason.STEP_STARTED : st.getReason(),
          lost
              ? "Job " + jobName + " disappeared before it finished; planning again"
              : st.getMessage() == null ? "starting Plan (" + jobName + ")" : st.getMessage());
    }
    JobObservation job = found.get();
    if (job.state() == JobObservation.State.ACTIVE) {
      return new Plan.Await(
          Phase.Planning, Reason.STEP_RUNNING, "Plan is running in Job " + jobName, false);
    }
    return planned(o, st, job.effectiveExitCode(), job.describe());
  }

  /**
   * The plan recorded in status for the attempt's revision (with its exit code), or null; the plan
   * step then decides from it, not from its Job.
   *
   * @param st a status with {@code revision} set
   */
  public static PlanStatus recorded(DatabaseMigrationStatus st) {
    PlanStatus p = st.getPlan();
    return p != null && p.getExitCode() != null && st.getRevision().equals(p.getRevision())
        ? p
        : null;
  }

  /** The plan Job ended with {@code exit}: fail, or go on (after the approval when Manual). */
  private static Plan planned(
      Observation o, DatabaseMigrationStatus st, int exit, String planMessage) {
    String rev = st.getRevision();
    if (!o.desiredRevision().equals(rev)) {
      return MigrationPlanner.superseded(o, st);
    }
    String summary = planMessage == null ? "plan of revision " + rev : planMessage;
    if (exit != ExitCode.OK.code()
        && exit != ExitCode.WARNINGS.code()
        && exit != ExitCode.REFUSED.code()) {
      return new Plan.Fail(
          Phase.Failed,
          Reason.PLAN_FAILED,
          "dbguard plan failed (exit " + exit + "): " + summary + "; the database was not touched",
          false);
    }
    if (exit == ExitCode.REFUSED.code() && lint(o.spec()) == LintMode.Enforce) {
      return new Plan.Fail(
          Phase.Blocked,
          Reason.ANALYSIS_REFUSED,
          "the plan refuses revision " + rev + ": " + summary + "; the database was not touched",
          false);
    }
    Step next = MigrationPlanner.firstStepAfterPlan(o.spec());
    String jobName = JobNames.of(o.name(), next, rev);
    ApprovalMode mode = mode(o.spec());
    if (mode != ApprovalMode.Manual) {
      return new Plan.LaunchStep(
          next,
          jobName,
          false,
          Reason.STEP_STARTED,
          "plan of revision "
              + rev
              + " recorded in status.plan (approval "
              + (mode == null ? "no longer required" : "Automatic")
              + "); starting "
              + next.label());
    }
    if (rev.equals(o.approval())) {
      return new Plan.LaunchStep(
          next,
          jobName,
          false,
          Reason.APPROVED,
          "plan of revision "
              + rev
              + " approved ("
              + DatabaseMigration.APPROVE_ANNOTATION
              + "="
              + rev
              + "); starting "
              + next.label());
    }
    Instant since = awaitingSince(st, o.now());
    Long maxWait = o.spec().getApproval().getMaxWaitSeconds();
    if (maxWait != null && !o.now().isBefore(since.plusSeconds(maxWait))) {
      return new Plan.Fail(
          Phase.Blocked,
          Reason.APPROVAL_TIMED_OUT,
          "the plan of revision "
              + rev
              + " was not approved within maxWaitSeconds "
              + maxWait
              + " (waiting since "
              + since
              + "); nothing touched the database. To start again, set a new value of "
              + DatabaseMigration.RETRY_ANNOTATION
              + " and approve the new revision",
          false);
    }
    StringBuilder msg =
        new StringBuilder("plan of revision ")
            .append(rev)
            .append(" is in status.plan; approve it with `kubectl annotate dbmig ")
            .append(o.name())
            .append(' ')
            .append(DatabaseMigration.APPROVE_ANNOTATION)
            .append('=')
            .append(rev)
            .append(" --overwrite`");
    if (maxWait != null) {
      msg.append("; without approval it ends as Blocked at ").append(since.plusSeconds(maxWait));
    }
    String ignored = ignoredApproval(o, st);
    if (ignored != null) {
      msg.append("; ")
          .append(DatabaseMigration.APPROVE_ANNOTATION)
          .append('=')
          .append(ignored)
          .append(" was ignored: it does not name this revision");
    }
    return new Plan.Await(Phase.AwaitingApproval, Reason.AWAITING_APPROVAL, msg.toString(), false);
  }

  /**
   * The {@code dbguard.io/approve} value that is present but does not approve the attempt
   * (shortened to {@value #SHOWN_VALUE_CHARS} characters), or null.
   */
  public static String ignoredApproval(Observation o, DatabaseMigrationStatus st) {
    String v = o.approval();
    if (v == null || st == null || v.equals(st.getRevision())) {
      return null;
    }
    return v.length() > SHOWN_VALUE_CHARS ? v.substring(0, SHOWN_VALUE_CHARS) : v;
  }

  /** When the attempt started waiting: {@code status.plan.awaitingSince}, else {@code now}. */
  static Instant awaitingSince(DatabaseMigrationStatus st, Instant now) {
    String since = st.getPlan() == null ? null : st.getPlan().getAwaitingSince();
    if (since == null) {
      return now;
    }
    try {
      return Instant.parse(since);
    } catch (DateTimeParseException e) {
      return now;
    }
  }

  /**
   * Time left until a Manual wait recorded in {@code status} times out, for re-queueing; empty when
   * the status is not waiting or no {@code maxWaitSeconds} is set.
   */
  public static Optional<Duration> untilTimeout(
      DatabaseMigrationSpec spec, DatabaseMigrationStatus status, Instant now) {
    if (status == null
        || status.getPhase() != Phase.AwaitingApproval
        || spec == null
        || spec.getApproval() == null
        || spec.getApproval().getMaxWaitSeconds() == null) {
      return Optional.empty();
    }
    Instant end = awaitingSince(status, now).plusSeconds(spec.getApproval().getMaxWaitSeconds());
    Duration left = Duration.between(now, end);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  private static LintMode lint(DatabaseMigrationSpec spec) {
    return spec.getSafety() == null || spec.getSafety().getLint() == null
        ? LintMode.Enforce
        : spec.getSafety().getLint();
  }
}
