package io.dbguard.core.analysis;

import io.dbguard.core.analysis.rules.Rules;
import java.util.Collection;
import java.util.Locale;

/**
 * The three file-level classes of the held-out measure. A file's level is the highest level of its
 * findings: a rule whose verdict label is {@code refuse} or {@code warn} counts as that level, any
 * other verdict (for example {@code notice}) and no finding count as {@link #SAFE}. Mapping by the
 * verdict's label keeps the measure valid when the verdict enum gains or renames levels.
 */
enum HeldOutLevel {
  REFUSE,
  WARN,
  SAFE;

  /** The label as written in {@code labels.tsv}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a label of {@code labels.tsv}.
   *
   * @throws IllegalArgumentException for anything but refuse, warn or safe
   */
  static HeldOutLevel parse(String label) {
    return switch (label) {
      case "refuse" -> REFUSE;
      case "warn" -> WARN;
      case "safe" -> SAFE;
      default -> throw new IllegalArgumentException("not a level: " + label);
    };
  }

  /** The level of one rule id (a trailing {@code !} for acknowledged findings is ignored). */
  static HeldOutLevel ofRule(String ruleId) {
    String verdict =
        Rules.find(ruleId.replace("!", ""))
            .orElseThrow(() -> new IllegalArgumentException("unknown rule " + ruleId))
            .verdict()
            .label();
    return switch (verdict) {
      case "refuse" -> REFUSE;
      case "warn" -> WARN;
      default -> SAFE;
    };
  }

  /** The highest level among rule ids; {@link #SAFE} when there are none. */
  static HeldOutLevel ofRules(Collection<String> ruleIds) {
    HeldOutLevel worst = SAFE;
    for (String id : ruleIds) {
      HeldOutLevel l = ofRule(id);
      if (l.ordinal() < worst.ordinal()) {
        worst = l;
      }
    }
    return worst;
  }
}
