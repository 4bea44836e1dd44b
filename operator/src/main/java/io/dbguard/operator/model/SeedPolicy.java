package io.dbguard.operator.model;

/** When the seed step runs. */
public enum SeedPolicy {
  /**
   * On a new database always; on an existing one only when the seed analysis finds it idempotent.
   */
  IfIdempotent,
  /** Only on a database that had no user tables before the migration. */
  NewDatabaseOnly,
  /** Every successful attempt. */
  Always,
  /** Never. */
  Never
}
