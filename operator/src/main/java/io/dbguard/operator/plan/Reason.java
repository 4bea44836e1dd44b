package io.dbguard.operator.plan;

/**
 * PascalCase reasons shown in {@code status.reason}, conditions and Events. Step failures mirror
 * the {@code reason} a dbguard Job writes in its {@code StepResult}; the planner decides from the
 * exit code, never from this text.
 */
public final class Reason {
  private Reason() {}

  public static final String STEP_RUNNING = "StepRunning";
  public static final String STEP_STARTED = "StepStarted";
  public static final String WAITING_FOR_DATABASE = "WaitingForDatabase";
  public static final String WAITING_FOR_WORKLOAD = "WaitingForWorkload";
  public static final String FORBIDDEN = "Forbidden";
  public static final String RECONCILE_ERROR = "ReconcileError";
  public static final String MISSING_REFERENCE = "MissingReference";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String DANGEROUS_COMMAND = "DangerousCommand";
  public static final String ANALYSIS_REFUSED = "AnalysisRefused";
  public static final String ANALYSIS_FAILED = "AnalysisFailed";
  public static final String BACKUP_VERIFIED = "BackupVerified";
  public static final String BACKUP_FAILED = "BackupFailed";
  public static final String BACKUP_NOT_REQUIRED = "BackupNotRequired";
  public static final String MIGRATION_FAILED = "MigrationFailed";
  public static final String MIGRATION_TIMED_OUT = "MigrationTimedOut";
  public static final String DATA_LOSS_DETECTED = "DataLossDetected";
  public static final String VERIFICATION_FAILED = "VerificationFailed";
  public static final String SEED_FAILED = "SeedFailed";
  public static final String SUCCEEDED = "MigrationSucceeded";
  public static final String RESTORE_FAILED = "RestoreFailed";
  public static final String JOB_LOST = "JobLost";
  public static final String SUPERSEDED = "Superseded";
  public static final String PLAN_FAILED = "PlanFailed";
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
  public static final String APPROVED = "Approved";
  public static final String APPROVAL_TIMED_OUT = "ApprovalTimedOut";
  public static final String SNAPSHOT_REQUESTED = "SnapshotRequested";
  public static final String SNAPSHOT_PENDING = "SnapshotPending";
  public static final String SNAPSHOT_NOT_READY = "SnapshotNotReady";
  public static final String SNAPSHOT_READY = "SnapshotReady";
  public static final String SNAPSHOT_FAILED = "SnapshotFailed";
}
