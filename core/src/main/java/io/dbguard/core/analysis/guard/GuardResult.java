package io.dbguard.core.analysis.guard;

/**
 * The verdict of {@link ProductionGuard} on one command.
 *
 * @param allowed {@code true} when the command may run
 * @param ruleId the matched dangerous-command rule id (e.g. {@code DBG001}), or {@code null} when
 *     no rule matched
 * @param ruleName the rule's short name (e.g. {@code rails-db-drop}), or {@code null}
 * @param fragment the simple command (tokens joined by one space) that matched, or {@code null}
 * @param source where the fragment was found: {@code "command"}, a script path, or {@code
 *     package.json#scripts.<name>}
 * @param reason a human sentence explaining the decision
 * @param acknowledged {@code true} when a matched command was allowed only because the exact
 *     command was acknowledged
 */
public record GuardResult(
    boolean allowed,
    String ruleId,
    String ruleName,
    String fragment,
    String source,
    String reason,
    boolean acknowledged) {

  /** A command that matched no rule. */
  public static GuardResult safe(String command) {
    return new GuardResult(
        true, null, null, null, null, "no dangerous command found in: " + command, false);
  }

  /** {@code true} when a dangerous-command rule matched (whether or not it was allowed). */
  public boolean matched() {
    return ruleId != null;
  }
}
