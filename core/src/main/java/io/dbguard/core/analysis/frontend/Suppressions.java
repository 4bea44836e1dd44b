package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Suppression;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads suppression comments (comment text without its {@code --}/{@code #} marker):
 *
 * <ul>
 *   <li>{@code dbguard:ignore DBG102[,DBG105] reason…} — this line and the next statement
 *   <li>{@code dbguard:ignore-file [rules] [reason]} — the whole file
 *   <li>{@code squawk-ignore rule-a, rule-b} and {@code squawk-ignore-file [rules]} (squawk's
 *       syntax; squawk names map to dbguard rules through each rule's sources)
 *   <li>{@code atlas:nolint [codes]} (Atlas; before a statement)
 * </ul>
 */
public final class Suppressions {

  private static final Pattern SQUAWK = Pattern.compile("^squawk-ignore(-file)?\\b\\s*(.*)$");
  private static final Pattern ATLAS = Pattern.compile("^atlas:nolint\\b\\s*(.*)$");
  private static final Pattern RULE =
      Pattern.compile("DBG\\d{3}|[a-z][a-z0-9]*(-[a-z0-9]+)+|[A-Z]{2}\\d{3}");

  private Suppressions() {}

  /** The suppression a comment expresses, if any. */
  public static Optional<Suppression> fromComment(String text, int line) {
    String t = text.strip();
    if (t.startsWith("dbguard:ignore")) {
      boolean file = t.startsWith("dbguard:ignore-file");
      String rest =
          t.substring(file ? "dbguard:ignore-file".length() : "dbguard:ignore".length()).strip();
      List<String> rules = new java.util.ArrayList<>();
      String reason = "";
      String[] words = rest.split("\\s+");
      int i = 0;
      for (; i < words.length; i++) {
        String w = words[i].replaceAll(",$", "");
        boolean allRules =
            !w.isEmpty() && Arrays.stream(w.split(",")).allMatch(x -> RULE.matcher(x).matches());
        if (!allRules) {
          break;
        }
        rules.addAll(Arrays.asList(w.split(",")));
      }
      reason = String.join(" ", Arrays.copyOfRange(words, i, words.length)).strip();
      return Optional.of(
          new Suppression(
              line,
              file ? Integer.MAX_VALUE : line,
              List.copyOf(rules),
              file ? "dbguard:ignore-file" : "dbguard:ignore",
              reason));
    }
    Matcher m = SQUAWK.matcher(t);
    if (m.matches()) {
      boolean file = m.group(1) != null;
      List<String> rules =
          Arrays.stream(m.group(2).split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
      return Optional.of(
          new Suppression(
              line,
              file ? Integer.MAX_VALUE : line,
              rules,
              file ? "squawk-ignore-file" : "squawk-ignore",
              ""));
    }
    m = ATLAS.matcher(t);
    if (m.matches()) {
      List<String> rules =
          Arrays.stream(m.group(1).split("\\s+")).filter(s -> !s.isBlank()).toList();
      return Optional.of(new Suppression(line, line, rules, "atlas:nolint", ""));
    }
    return Optional.empty();
  }
}
