package io.dbguard.core.analysis.guard;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds command substitution — {@code $(…)}, {@code `…`} and process substitution {@code <(…)} —
 * outside single quotes (inside double quotes it still runs). Arithmetic {@code $((…))} is not a
 * command. The output of a substituted command becomes part of the command line, so what finally
 * runs cannot be judged before it runs.
 *
 * <p>In the command given to dbguard every substitution counts. In a script the command invokes,
 * only substitutions whose output is run are counted: at the start of a command, or as the argument
 * of {@code eval}, {@code sh -c}, {@code bash -c}, {@code source}/{@code .} (a script's {@code
 * DIR=$(dirname "$0")} is common and harmless).
 */
final class CommandSubstitutions {

  private CommandSubstitutions() {}

  private static final Pattern EXECUTED =
      Pattern.compile(
          "(?m)(^|[;&|(]|\\bthen|\\bdo|\\belse|\\beval|\\b(?:ba|z|da|k)?sh\\s+-\\w*c"
              + "|\\bsource|(?:^|\\s)\\.)\\s*\"?(\\$\\((?!\\()|`|<\\()");

  /**
   * The first substitution in {@code text}, as a short fragment, or empty.
   *
   * @param executedOnly count only substitutions whose output is run (scripts)
   */
  static Optional<String> find(String text, boolean executedOnly) {
    String unquoted = blankSingleQuoted(text);
    if (executedOnly) {
      Matcher m = EXECUTED.matcher(unquoted);
      return m.find() ? Optional.of(fragment(text, m.start(2))) : Optional.empty();
    }
    for (int i = 0; i < unquoted.length(); i++) {
      char c = unquoted.charAt(i);
      char next = i + 1 < unquoted.length() ? unquoted.charAt(i + 1) : '\0';
      char after = i + 2 < unquoted.length() ? unquoted.charAt(i + 2) : '\0';
      boolean escaped = i > 0 && unquoted.charAt(i - 1) == '\\';
      if (escaped) {
        continue;
      }
      if ((c == '$' && next == '(' && after != '(') || c == '`' || (c == '<' && next == '(')) {
        return Optional.of(fragment(text, i));
      }
    }
    return Optional.empty();
  }

  /** Single-quoted text (literal in sh) replaced by spaces, so positions stay the same. */
  private static String blankSingleQuoted(String text) {
    StringBuilder sb = new StringBuilder(text);
    boolean inDouble = false;
    for (int i = 0; i < sb.length(); i++) {
      char c = sb.charAt(i);
      if (c == '\\' && !inDouble) {
        i++;
      } else if (c == '"') {
        inDouble = !inDouble;
      } else if (c == '\'' && !inDouble) {
        int end = text.indexOf('\'', i + 1);
        end = end < 0 ? sb.length() - 1 : end;
        for (int j = i; j <= end; j++) {
          if (sb.charAt(j) != '\n') {
            sb.setCharAt(j, ' ');
          }
        }
        i = end;
      }
    }
    return sb.toString();
  }

  private static String fragment(String text, int at) {
    int end = Math.min(text.length(), at + 60);
    int nl = text.indexOf('\n', at);
    if (nl >= 0 && nl < end) {
      end = nl;
    }
    return text.substring(at, end).strip();
  }
}
