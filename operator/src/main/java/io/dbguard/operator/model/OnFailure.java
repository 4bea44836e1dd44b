package io.dbguard.operator.model;

/** What happens after a failed migrate, verify or seed step. */
public enum OnFailure {
  /** Restore the verified backup automatically (phase RolledBack). */
  Restore,
  /** Keep the failed state for a human (phase Failed); nothing is restored. */
  Halt
}
