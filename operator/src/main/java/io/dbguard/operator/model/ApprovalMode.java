package io.dbguard.operator.model;

/** Whether a planned attempt waits for a human ({@code spec.approval.mode}). */
public enum ApprovalMode {
  /**
   * Wait in phase AwaitingApproval until {@code dbguard.io/approve} on the DatabaseMigration names
   * the attempt's revision ({@code status.revision}).
   */
  Manual,
  /** Record the plan in {@code status.plan} and go on without waiting. */
  Automatic
}
