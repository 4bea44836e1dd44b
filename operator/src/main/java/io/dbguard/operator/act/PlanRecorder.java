package io.dbguard.operator.act;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.ApprovalMode;
import io.dbguard.operator.model.ApprovalState;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.PlanStatus;
import io.dbguard.operator.plan.ApprovalPlanner;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Plan;
import io.dbguard.operator.plan.Reason;
import io.dbguard.operator.plan.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Records {@code status.plan}: the bounded summary of the plan Job's {@link StepResult} (its {@code
 * details} keys as docs/cli.md#dbguard-plan lists them) and where the approval stands. Every list
 * and text is capped, so a plan with hundreds of pending migrations keeps the status small.
 */
final class PlanRecorder {
  /** Pending migration names kept in {@code status.plan.pending}. */
  static final int MAX_PENDING = 20;

  /** Characters kept of one pending migration name. */
  static final int MAX_NAME_CHARS = 120;

  /** Role notices kept in {@code status.plan.roleWarnings}. */
  static final int MAX_ROLE_WARNINGS = 5;

  /** Characters kept of one role notice. */
  static final int MAX_WARNING_CHARS = 300;

  /** Characters kept of the plan's summary message. */
  static final int MAX_SUMMARY_CHARS = 1000;

  private PlanRecorder() {}

  /** Records the plan Job's outcome once it has finished (once per attempt). */
  static void observed(Observation o, DatabaseMigrationStatus s) {
    if (s.getPlan() != null && s.getRevision().equals(s.getPlan().getRevision())) {
      return;
    }
    String jobName = JobNames.of(o.name(), Step.PLAN, s.getRevision());
    o.job(jobName)
        .filter(j -> j.state() != JobObservation.State.ACTIVE)
        .ifPresent(j -> s.setPlan(summary(s.getRevision(), j)));
  }

  /** The bounded summary of a finished plan Job. */
  static PlanStatus summary(String revision, JobObservation job) {
    PlanStatus p = new PlanStatus();
    p.setRevision(revision);
    p.setJob(job.name());
    p.setExitCode(job.effectiveExitCode());
    StepResult r = job.result();
    p.setSummary(cap(job.describe(), MAX_SUMMARY_CHARS));
    if (r == null) {
      p.setOutcome(Reason.PLAN_FAILED);
      return p;
    }
    p.setOutcome(r.reason());
    Map<String, String> d = r.details() == null ? Map.of() : r.details();
    p.setPendingSource(d.get("pendingSource"));
    p.setPendingCount(intOrNull(d.get("pendingCount")));
    String pending = d.get("pending");
    if (pending != null && !pending.isBlank()) {
      p.setPending(
          Arrays.stream(pending.split(", "))
              .limit(MAX_PENDING)
              .map(n -> cap(n, MAX_NAME_CHARS))
              .toList());
    }
    p.setFindingsRefused(intOrNull(d.get("findingsRefused")));
    p.setFindingsWarn(intOrNull(d.get("findingsWarn")));
    p.setFindingsNotice(intOrNull(d.get("findingsNotice")));
    p.setFindingsAcknowledged(intOrNull(d.get("findingsAcknowledged")));
    p.setDatabaseSizeBytes(longOrNull(d.get("databaseSizeBytes")));
    p.setEstimatedBackupSeconds(longOrNull(d.get("estimatedBackupSeconds")));
    p.setEstimatedRestoreSeconds(longOrNull(d.get("estimatedRestoreSeconds")));
    String notices = d.get("roleNotices");
    if (notices != null && !notices.isBlank()) {
      List<String> w = new ArrayList<>();
      for (String n : notices.split(" \\| ")) {
        if (w.size() < MAX_ROLE_WARNINGS) {
          w.add(cap(n, MAX_WARNING_CHARS));
        }
      }
      p.setRoleWarnings(w);
    }
    return p;
  }

  /**
   * Updates {@code status.plan.approval} (and its times) for the plan being recorded: Waiting from
   * the first AwaitingApproval, Approved or Automatic when the attempt goes on, TimedOut.
   */
  static void approval(Observation o, DatabaseMigrationStatus s, Plan plan) {
    PlanStatus p = s.getPlan();
    if (p == null || !p.getRevision().equals(s.getRevision())) {
      return;
    }
    String now = o.now().toString();
    if (s.getPhase() == Phase.AwaitingApproval) {
      if (p.getAwaitingSince() == null) {
        p.setAwaitingSince(now);
      }
      p.setApproval(ApprovalState.Waiting);
      p.setIgnoredApproval(ApprovalPlanner.ignoredApproval(o, s));
    } else if (p.getApproval() == ApprovalState.Waiting || p.getApproval() == null) {
      if (plan instanceof Plan.LaunchStep ls && ls.step() != Step.PLAN) {
        if (Reason.APPROVED.equals(ls.reason())) {
          p.setApproval(ApprovalState.Approved);
          p.setApprovedAt(now);
          p.setIgnoredApproval(null);
        } else if (ApprovalPlanner.mode(o.spec()) != ApprovalMode.Manual) {
          p.setApproval(ApprovalState.Automatic);
        }
      } else if (plan instanceof Plan.Fail f && Reason.APPROVAL_TIMED_OUT.equals(f.reason())) {
        p.setApproval(ApprovalState.TimedOut);
      }
    }
  }

  private static String cap(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static Integer intOrNull(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long longOrNull(String s) {
    try {
      return s == null ? null : Long.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
