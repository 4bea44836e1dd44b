package io.dbguard.operator.plan;

import io.dbguard.operator.model.Phase;

/**
 * The one thing to do next, decided by {@link MigrationPlanner}. {@code StatusRecorder} turns a
 * plan into the status to write (before acting); {@code JobLauncher} creates the Job of a {@link
 * LaunchStep} or {@link StartRestore}.
 */
public sealed interface Plan {

  /** The phase the migration is in once the plan is recorded. */
  Phase phase();

  /** PascalCase reason recorded with the plan. */
  String reason();

  /** Human message recorded with the plan. */
  String message();

  /**
   * Record and start a step's Job.
   *
   * @param step the step
   * @param jobName deterministic Job name ({@link JobNames#of})
   * @param newAttempt true when this starts a new attempt (new revision, attempt counter + 1)
   */
  record LaunchStep(Step step, String jobName, boolean newAttempt, String reason, String message)
      implements Plan {
    @Override
    public Phase phase() {
      return step.phase();
    }
  }

  /**
   * Record the failure and start the restore Job.
   *
   * @param jobName deterministic restore Job name
   * @param reason the failure that caused the restore (e.g. {@code DataLossDetected})
   */
  record StartRestore(String jobName, String reason, String message) implements Plan {
    @Override
    public Phase phase() {
      return Phase.Restoring;
    }
  }

  /**
   * {@code backup.method: VolumeSnapshot}: record the snapshot in {@code status.snapshot}, then
   * (when {@code create}) create the VolumeSnapshot; otherwise wait for it (phase BackingUp, Ready
   * False, not Stalled). Built by {@link SnapshotPlanner}.
   *
   * @param snapshotName the VolumeSnapshot's deterministic name ({@link SnapshotPlanner#name})
   * @param create whether the VolumeSnapshot is to be created now (the writers must be fenced)
   * @param newAttempt true when this starts a new attempt (no analyze step ran)
   */
  record Snapshot(
      String snapshotName, boolean create, boolean newAttempt, String reason, String message)
      implements Plan {
    @Override
    public Phase phase() {
      return Phase.BackingUp;
    }
  }

  /** A Job is running (or the run waits for the database); nothing to do until it changes. */
  record Await(Phase phase, String reason, String message, boolean recheckSoon) implements Plan {}

  /** The attempt succeeded: record it; the rollout gate opens for its image. */
  record Complete(String message) implements Plan {
    @Override
    public Phase phase() {
      return Phase.Succeeded;
    }

    @Override
    public String reason() {
      return Reason.SUCCEEDED;
    }
  }

  /**
   * The attempt ended without success: phase RolledBack, Blocked, Rejected or Failed. No retry
   * follows until the spec or the retry annotation changes.
   *
   * @param newAttempt true when the attempt ends before it started (Rejected at validation)
   */
  record Fail(Phase phase, String reason, String message, boolean newAttempt) implements Plan {}

  /**
   * Nothing can start until a human fixes something outside the spec's control (missing Secret or
   * PVC) or the spec (invalid): phase Pending, condition Stalled.
   */
  record Stall(String reason, String message) implements Plan {
    @Override
    public Phase phase() {
      return Phase.Pending;
    }
  }

  /**
   * The write fence acts around another plan ({@link WriteFencePlanner}): {@code fence} is recorded
   * in {@code status.fence} together with the status of {@code held} (write-ahead), then the scale
   * actions run; {@code held}'s own action (creating a Job) runs only when {@code proceed}.
   *
   * @param held the plan the migration state machine decided
   * @param fence the fence status to record
   * @param actions replica counts to set after the status is written
   * @param proceed whether {@code held} is carried out now (false: wait for the fence)
   * @param reason reason recorded instead of {@code held}'s while waiting, else held's
   * @param message message recorded instead of {@code held}'s while waiting, else held's
   * @param fenceJob {@link Step#FENCE} or {@link Step#UNFENCE}: the Job of the read-only fence to
   *     create (create-if-absent, named {@link JobNames#of} with {@code fence.revision}) after the
   *     status is written; null for none
   */
  record Fence(
      Plan held,
      io.dbguard.operator.model.FenceStatus fence,
      java.util.List<ScaleAction> actions,
      boolean proceed,
      String reason,
      String message,
      Step fenceJob)
      implements Plan {
    public Fence {
      actions = java.util.List.copyOf(actions);
    }

    /** A fence that only scales workloads (no fence Job). */
    public Fence(
        Plan held,
        io.dbguard.operator.model.FenceStatus fence,
        java.util.List<ScaleAction> actions,
        boolean proceed,
        String reason,
        String message) {
      this(held, fence, actions, proceed, reason, message, null);
    }

    @Override
    public Phase phase() {
      return held.phase();
    }
  }

  /** Steady state: nothing to record, nothing to do. */
  record Noop(Phase phase) implements Plan {
    @Override
    public String reason() {
      return null;
    }

    @Override
    public String message() {
      return null;
    }
  }
}
