package io.dbguard.core.analysis.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a POSIX-shell command line into simple commands (lists of words) the way {@code sh} would
 * for the purposes of the guard: single and double quotes, backslash escapes, comments, and the
 * separators {@code ; && || | & ( )} and newlines. Expansions ({@code $VAR}, {@code $(…)}) are kept
 * as literal text; the guard never executes anything.
 */
public final class ShellTokenizer {

  private ShellTokenizer() {}

  /**
   * Tokenises {@code command}.
   *
   * @return one list of words per simple command, in order; never {@code null}; empty commands are
   *     omitted. An unterminated quote ends at the end of the input (tolerant).
   */
  public static List<List<String>> split(String command) {
    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int n = command.length();
    for (int i = 0; i < n; i++) {
      char c = command.charAt(i);
      if (c == '\'') {
        inWord = true;
        int end = command.indexOf('\'', i + 1);
        if (end < 0) {
          end = n;
        }
        word.append(command, i + 1, end);
        i = end;
      } else if (c == '"') {
        inWord = true;
        int j = i + 1;
        while (j < n && command.charAt(j) != '"') {
          char d = command.charAt(j);
          if (d == '\\' && j + 1 < n && "\"\\$`\n".indexOf(command.charAt(j + 1)) >= 0) {
            if (command.charAt(j + 1) != '\n') {
              word.append(command.charAt(j + 1));
            }
            j += 2;
          } else {
            word.append(d);
            j++;
          }
        }
        i = j;
      } else if (c == '\\') {
        if (i + 1 < n) {
          char next = command.charAt(i + 1);
          if (next != '\n') {
            word.append(next);
            inWord = true;
          }
          i++;
        }
      } else if (c == '#' && !inWord) {
        while (i + 1 < n && command.charAt(i + 1) != '\n') {
          i++;
        }
      } else if (c == ' ' || c == '\t' || c == '\r') {
        inWord = flush(word, inWord, current);
      } else if (c == ';' || c == '&' || c == '|' || c == '\n' || c == '(' || c == ')') {
        inWord = flush(word, inWord, current);
        if (!current.isEmpty()) {
          commands.add(current);
          current = new ArrayList<>();
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    flush(word, inWord, current);
    if (!current.isEmpty()) {
      commands.add(current);
    }
    return commands;
  }

  private static boolean flush(StringBuilder word, boolean inWord, List<String> current) {
    if (inWord) {
      current.add(word.toString());
      word.setLength(0);
    }
    return false;
  }
}
