package io.dbguard.operator.model;

/** Where the write fence of {@code status.fence} is. */
public enum FenceState {
  /** Original replica counts are recorded; workloads are being scaled to 0 (pods may remain). */
  Fencing,
  /** Every fenced workload is at 0 replicas and has no pods: the window may begin. */
  Fenced,
  /** The attempt ended; the recorded replica counts are being put back. */
  Lifting,
  /** Every workload is back at its recorded replica count (or was scaled by someone since). */
  Lifted,
  /**
   * The attempt ended with the database in an unknown state (restore failed, or the migration ran
   * and nothing was restored): the fence stays until a person scales the workloads back.
   */
  Held
}
