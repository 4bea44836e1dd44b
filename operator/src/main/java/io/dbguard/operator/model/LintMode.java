package io.dbguard.operator.model;

/** What the analyze step does with refuse findings. */
public enum LintMode {
  /** Refuse findings block the run (phase Blocked) unless acknowledged. */
  Enforce,
  /** Findings are reported; the run continues. */
  Warn,
  /** No analysis. */
  Off
}
