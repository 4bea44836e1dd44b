package io.dbguard.core.pipeline;

/** The steps of the safety pipeline (docs/design.md §3), in order. */
public enum PipelineStep {
  ANALYZE("analyze"),
  FENCE("fence"),
  BACKUP("backup"),
  VERIFY_BACKUP("verify backup"),
  MIGRATE("migrate"),
  VERIFY_DATA("verify data"),
  SEED("seed"),
  RESTORE("restore"),
  VERIFY_RESTORE("verify restore");

  private final String label;

  PipelineStep(String label) {
    this.label = label;
  }

  /** Lower-case label for output, e.g. {@code verify backup}. */
  public String label() {
    return label;
  }
}
