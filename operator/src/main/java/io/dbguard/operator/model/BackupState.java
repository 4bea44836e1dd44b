package io.dbguard.operator.model;

/** What the operator last observed of one backup ({@code DatabaseBackup.status.state}). */
public enum BackupState {
  /** Taken and verified; its file (or snapshot) was present when last checked. */
  Ready,
  /** Deleted by retention (file and manifest gone); the record is kept as a tombstone. */
  Pruned,
  /** Its file or manifest was not found when checked; it cannot be restored from. */
  Missing,
  /** Present but not usable: its file differs from what was recorded (size), or it failed. */
  Failed
}
