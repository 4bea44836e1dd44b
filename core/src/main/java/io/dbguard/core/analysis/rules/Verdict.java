package io.dbguard.core.analysis.rules;

/**
 * The two verdicts of a finding (docs/design.md §6). {@link #REFUSE}: data loss or a
 * backward-incompatible change; blocks the run unless acknowledged. {@link #WARN}: locks, rewrites
 * or re-run hazards; reported, blocks only with {@code --fail-on warn}.
 */
public enum Verdict {
  REFUSE,
  WARN;

  /** Lower-case name used in JSON/SARIF/text output. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
