package io.dbguard.core.analysis;

import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Verdict;

/**
 * One result of the analysis.
 *
 * @param rule the rule that fired
 * @param file the file as given (relative paths stay relative)
 * @param line 1-based line of the statement/call, {@code 0} when the finding is about the whole
 *     file or an option
 * @param message what was found, naming the table/column/call
 * @param acknowledged {@code true} when an in-file suppression or an option acknowledgement covers
 *     it; acknowledged findings are reported, never dropped, and never block
 * @param acknowledgedBy how it was acknowledged ({@code "dbguard:ignore: reason"}, {@code
 *     "safety_assured"}, {@code "option DBG102:file:sha"} …), or {@code null}
 */
public record Finding(
    Rule rule, String file, int line, String message, boolean acknowledged, String acknowledgedBy) {

  /** The rule's verdict. */
  public Verdict verdict() {
    return rule.verdict();
  }

  /** The rule id. */
  public String ruleId() {
    return rule.id();
  }

  /** Whether this finding blocks a run: an unacknowledged refuse. */
  public boolean blocking() {
    return !acknowledged && rule.verdict() == Verdict.REFUSE;
  }

  Finding acknowledge(String by) {
    return new Finding(rule, file, line, message, true, by);
  }
}
