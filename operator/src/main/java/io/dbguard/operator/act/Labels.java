package io.dbguard.operator.act;

/** Label and annotation keys dbguard puts on what it creates. */
public final class Labels {
  private Labels() {}

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "dbguard";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String STEP = "dbguard.io/step";

  /**
   * On Jobs that are not a step of the attempt (value {@code prune}): they carry no {@link #STEP}
   * label, so the attempt's state machine never sees them.
   */
  public static final String TASK = "dbguard.io/task";

  public static final String TASK_PRUNE = "prune";
  public static final String DATABASE = "dbguard.io/database";
  public static final String REVISION_ANNOTATION = "dbguard.io/revision";
}
