package io.dbguard.operator.model;

/** Where the approval of a planned attempt stands ({@code status.plan.approval}). */
public enum ApprovalState {
  /** Phase AwaitingApproval: waiting for {@code dbguard.io/approve=<status.revision>}. */
  Waiting,
  /** Approved for this revision; the attempt went on. */
  Approved,
  /** {@code spec.approval.mode: Automatic} (or {@code spec.approval} removed while waiting). */
  Automatic,
  /** {@code spec.approval.maxWaitSeconds} passed without approval; the attempt is Blocked. */
  TimedOut
}
