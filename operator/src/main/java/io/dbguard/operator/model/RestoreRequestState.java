package io.dbguard.operator.model;

/** Where a restore requested with {@code dbguard.io/restore} is ({@code status.restoreRequest}). */
public enum RestoreRequestState {
  /** Accepted and recorded; the writers are being fenced, the restore Job is not running yet. */
  Pending,
  /** The restore Job exists and has not finished. */
  Running,
  /** The restore Job restored and verified the backup. */
  Succeeded,
  /** The restore Job failed: the database is in an unknown state (reason RestoreFailed). */
  Failed,
  /** Not carried out (backup missing, unverified, of another database, a run in progress, …). */
  Refused
}
