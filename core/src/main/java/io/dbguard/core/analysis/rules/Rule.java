package io.dbguard.core.analysis.rules;

import java.util.List;

/**
 * One lint rule. Ids are stable and never reused: {@code DBG1nn} refuse rules on schema and data
 * changes, {@code DBG2nn} warn rules on locks/rewrites/re-run safety, {@code DBG3nn} seed rules,
 * {@code DBG9nn} meta rules (unparsed input, unused suppressions). A rule whose level changes keeps
 * its id, so suppressions and acknowledgements stay valid: some {@code DBG2nn} rules are notices,
 * and {@code DBG220} is a refuse rule. {@code DBG0nn} are the production-guard command rules
 * ({@link io.dbguard.core.analysis.guard.DangerousCommands}).
 *
 * @param id stable id, e.g. {@code DBG101}
 * @param name kebab-case name, e.g. {@code drop-table}
 * @param verdict refuse or warn
 * @param summary one line
 * @param explanation why it is dangerous and the safe alternative (Markdown, a few sentences)
 * @param sources where the knowledge comes from, as {@code tool:check} pairs, e.g. {@code
 *     squawk:ban-drop-table}, {@code strong_migrations:remove_column}, {@code atlas:DS102}, {@code
 *     dml:DROP_TABLE} (django-migration-linter), or {@code postgresql:<doc page>}
 */
public record Rule(
    String id,
    String name,
    Verdict verdict,
    String summary,
    String explanation,
    List<String> sources) {

  /** The squawk rule names among {@link #sources()} (for {@code -- squawk-ignore}). */
  public List<String> squawkNames() {
    return sources.stream()
        .filter(s -> s.startsWith("squawk:"))
        .map(s -> s.substring("squawk:".length()))
        .toList();
  }

  /**
   * Whether {@code selector} designates this rule: its id, its name, or the check name of one of
   * its sources (a squawk rule, an Atlas code, a strong_migrations check, a dml code).
   */
  public boolean isSelectedBy(String selector) {
    String s = selector.trim();
    return s.equalsIgnoreCase(id)
        || s.equalsIgnoreCase(name)
        || sources.stream()
            .anyMatch(src -> src.substring(src.indexOf(':') + 1).equalsIgnoreCase(s));
  }
}
