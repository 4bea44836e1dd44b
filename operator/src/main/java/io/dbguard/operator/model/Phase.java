package io.dbguard.operator.model;

/** Phase of a DatabaseMigration (docs/design.md §4). */
public enum Phase {
  /**
   * Accepted, waiting to start (validation, another run on the same database, missing references).
   */
  Pending,
  /** {@code spec.approval}: the plan Job runs {@code dbguard plan} (read-only). */
  Planning,
  /**
   * {@code spec.approval.mode: Manual}: the plan is in {@code status.plan}; waiting for {@code
   * dbguard.io/approve=<status.revision>}. Not Ready, not Stalled; nothing touched the database.
   */
  AwaitingApproval,
  /** The analyze Job lints the pending migrations. */
  Analyzing,
  /** The backup Job takes and verifies the backup. */
  BackingUp,
  /** The application's migration command runs. */
  Migrating,
  /** The data-loss check compares the database with the backup manifest. */
  Verifying,
  /** The seed command runs. */
  Seeding,
  /** Migrated and verified; the rollout gate is open for this image. */
  Succeeded,
  /** A failure was detected; the backup is being restored. */
  Restoring,
  /** The migration failed and the database was restored and verified. */
  RolledBack,
  /** The analysis refused the migration; the database was not touched. */
  Blocked,
  /** The spec was refused (dangerous command in production); no Job ran. */
  Rejected,
  /**
   * A failure that was not (or could not be) restored: backup failed, onFailure Halt, restore
   * failed.
   */
  Failed
}
