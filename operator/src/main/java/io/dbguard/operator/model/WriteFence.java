package io.dbguard.operator.model;

/**
 * How the application's writers are kept out of the database between the backup and the end of the
 * attempt ({@code spec.rollout.writeFence}); docs/migration-window.md has the timelines.
 */
public enum WriteFence {
  /**
   * Scale every workload in {@code spec.rollout.workloads} to 0 replicas (scale subresource) before
   * the backup, wait until its pods are gone, and put the recorded replica counts back after the
   * attempt. The default: it works for every engine and every client, at the price of downtime for
   * the length of the window.
   */
  ScaleToZero,
  /**
   * No fence: the application keeps writing during the window. A restore then discards whatever it
   * wrote after the backup; allowed only when set explicitly.
   */
  None
}
