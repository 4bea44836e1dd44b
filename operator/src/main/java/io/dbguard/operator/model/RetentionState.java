package io.dbguard.operator.model;

/** Progress of retention after one attempt ({@code status.retention.state}). */
public enum RetentionState {
  /** The plan is recorded; the prune Job deletes the planned backups and checks the kept ones. */
  Pruning,
  /** The prune Job finished and the DatabaseBackup records were updated (or nothing was due). */
  Done,
  /** The prune Job failed; no record was changed. Runs again after the next attempt. */
  Failed
}
