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
   * PostgreSQL: before the backup a Job runs {@code dbguard fence raise}, which makes the database
   * read-only for every role but the one the DatabaseMigration's URL names ({@code ALTER DATABASE …
   * SET default_transaction_read_only = on}, with that role exempt) and ends the sessions opened
   * before; after the attempt a Job runs {@code dbguard fence lift}. The application keeps serving
   * reads; its writes fail with SQLSTATE 25006. The application must connect as another role.
   */
  ReadOnly,
  /**
   * No fence: the application keeps writing during the window. A restore then discards whatever it
   * wrote after the backup; allowed only when set explicitly.
   */
  None
}
