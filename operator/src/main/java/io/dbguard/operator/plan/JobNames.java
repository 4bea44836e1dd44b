package io.dbguard.operator.plan;

import java.util.Locale;

/**
 * Deterministic Job names: {@code <cr>-<step>-<revision8>} (and {@code <cr>-prune-<revision8>}), at
 * most 63 characters.
 */
public final class JobNames {
  /** Longest Job name whose pods' {@code job-name} label value stays valid. */
  public static final int MAX = 63;

  private JobNames() {}

  /**
   * The Job name for a step of an attempt. The CR name is shortened (trailing {@code -} removed)
   * when the whole name would exceed {@link #MAX}.
   */
  public static String of(String crName, Step step, String revision) {
    return of(crName, step.id(), revision);
  }

  /**
   * The retention Job after a succeeded attempt: {@code <cr>-prune-<revision8>}, shortened as
   * {@link #of(String, Step, String)}.
   */
  public static String prune(String crName, String revision) {
    return of(crName, "prune", revision);
  }

  /**
   * {@code <cr>-<kind>-<revision8>} for another object of an attempt (e.g. kind {@code snapshot}),
   * shortened as {@link #of(String, Step, String)} is.
   */
  public static String of(String crName, String kind, String revision) {
    String suffix = "-" + kind + "-" + revision.toLowerCase(Locale.ROOT);
    String prefix = crName;
    if (prefix.length() + suffix.length() > MAX) {
      prefix = prefix.substring(0, MAX - suffix.length());
      while (prefix.endsWith("-") || prefix.endsWith(".")) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
    }
    return prefix + suffix;
  }
}
