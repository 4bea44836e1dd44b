package io.dbguard.operator.model;

/** Where the VolumeSnapshot of {@code status.snapshot} is. */
public enum SnapshotState {
  /** The name is recorded; the VolumeSnapshot is created once the writers are fenced. */
  Requested,
  /**
   * The VolumeSnapshot exists and is bound to a VolumeSnapshotContent with a {@code creationTime}:
   * the point in time is fixed, but it is not usable until {@code readyToUse} is true.
   */
  Taken,
  /** {@code readyToUse} is true: the snapshot can be restored from. */
  Ready,
  /** The snapshot reported {@code status.error}; the migration does not run. */
  Failed
}
