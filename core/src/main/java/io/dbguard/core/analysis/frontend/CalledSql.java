package io.dbguard.core.analysis.frontend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds SQL run through a string in a {@code SELECT} (or a PL/pgSQL {@code PERFORM}): a string
 * literal ({@code '…'} or {@code $tag$…$tag$}) that is a whole argument of a function call, such as
 * {@code SELECT execute($$ CREATE INDEX … $$)} or {@code SELECT run_ddl('ALTER TABLE …')}, whose
 * text starts with a statement that changes schema or rows. The caller analyses such a text as a
 * statement of the file and keeps the result only when every statement in it parses.
 *
 * <p>Conservative by construction: a literal joined to anything ({@code 'DROP TABLE ' || t}), a
 * literal outside a call ({@code SELECT 'DROP …' AS hint}), an escape string ({@code E'…'}) and the
 * arguments of functions that only build or schedule text ({@link #NOT_RUN}: {@code format}, {@code
 * replace}, {@code cron.schedule}, …) are not read.
 */
final class CalledSql {

  /**
   * One string whose text is to be analysed.
   *
   * @param sql the literal's content, quotes removed and {@code ''} unescaped
   * @param line the 1-based line of the file on which the content starts
   */
  record Found(String sql, int line) {}

  /** First words of the statements read from a string: those that change schema or rows. */
  private static final Set<String> CHANGES =
      Set.of(
          "CREATE",
          "DROP",
          "ALTER",
          "TRUNCATE",
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "REINDEX",
          "VACUUM",
          "CLUSTER");

  /**
   * Functions (lower case, as written) whose string arguments are not run when they are called:
   * text builders and quoting (their result is dynamic SQL), schedulers (pg_cron runs the text
   * later), notifications and settings.
   */
  private static final Set<String> NOT_RUN =
      Set.of(
          "format",
          "concat",
          "concat_ws",
          "replace",
          "regexp_replace",
          "quote_literal",
          "quote_ident",
          "quote_nullable",
          "lower",
          "upper",
          "trim",
          "pg_notify",
          "set_config",
          "current_setting",
          "cron.schedule",
          "cron.schedule_in_database",
          "cron.alter_job",
          "schedule",
          "raise_notice",
          "obj_description",
          "col_description");

  private CalledSql() {}

  /**
   * The function-call string arguments of {@code statement} (one whole statement, first character
   * on {@code line}) whose text starts with a schema- or row-changing statement, in text order.
   */
  static List<Found> find(String statement, int line) {
    List<Found> out = new ArrayList<>();
    if (statement.indexOf('\'') < 0 && statement.indexOf('$') < 0) {
      return out;
    }
    Deque<String> calls = new ArrayDeque<>();
    int n = statement.length();
    int i = 0;
    while (i < n) {
      char c = statement.charAt(i);
      if (c == '-' && i + 1 < n && statement.charAt(i + 1) == '-') {
        int e = statement.indexOf('\n', i);
        i = e < 0 ? n : e;
      } else if (c == '/' && i + 1 < n && statement.charAt(i + 1) == '*') {
        int e = statement.indexOf("*/", i + 2);
        i = e < 0 ? n : e + 2;
      } else if (c == '"') {
        int e = statement.indexOf('"', i + 1);
        i = e < 0 ? n : e + 1;
      } else if (c == '(') {
        calls.push(nameBefore(statement, i));
        i++;
      } else if (c == ')') {
        if (!calls.isEmpty()) {
          calls.pop();
        }
        i++;
      } else if (c == '\'' || (c == '$' && dollarTag(statement, i) != null)) {
        int[] span = new int[2];
        String content = SqlLiterals.read(statement, i, span);
        if (content == null) {
          return out;
        }
        boolean escape =
            i > 0 && (statement.charAt(i - 1) == 'E' || statement.charAt(i - 1) == 'e');
        String fn = calls.isEmpty() ? "" : calls.peek();
        if (!escape
            && !fn.isEmpty()
            && !NOT_RUN.contains(fn)
            && Set.of('(', ',').contains(significantBefore(statement, i))
            && Set.of(')', ',', ':').contains(significantAfter(statement, span[1]))
            && CHANGES.contains(firstWord(content))) {
          out.add(new Found(content, line + newlines(statement, span[0])));
        }
        i = span[1];
      } else {
        i++;
      }
    }
    return out;
  }

  /**
   * The dollar-quote tag at {@code i} ({@link SqlLiterals#dollarTag}), or null, also when the
   * {@code $} ends an identifier.
   */
  private static String dollarTag(String s, int i) {
    if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
      return null; // part of an identifier or a $1 parameter
    }
    return SqlLiterals.dollarTag(s, i);
  }

  /** The (possibly schema-qualified) name right before the parenthesis at {@code paren}, or "". */
  private static String nameBefore(String s, int paren) {
    int j = paren - 1;
    while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
      j--;
    }
    int end = j + 1;
    while (j >= 0 && (Character.isLetterOrDigit(s.charAt(j)) || "_.\"".indexOf(s.charAt(j)) >= 0)) {
      j--;
    }
    String name = s.substring(j + 1, end).replace("\"", "").toLowerCase(Locale.ROOT);
    return name.startsWith("public.") ? name.substring("public.".length()) : name;
  }

  private static char significantBefore(String s, int i) {
    int j = i - 1;
    while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
      j--;
    }
    return j < 0 ? ' ' : s.charAt(j);
  }

  private static char significantAfter(String s, int i) {
    int j = i;
    while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
      j++;
    }
    return j >= s.length() ? ' ' : s.charAt(j);
  }

  private static String firstWord(String s) {
    String t = s.strip();
    int j = 0;
    while (j < t.length() && Character.isLetter(t.charAt(j))) {
      j++;
    }
    return t.substring(0, j).toUpperCase(Locale.ROOT);
  }

  private static int newlines(String s, int to) {
    int count = 0;
    for (int i = 0; i < to; i++) {
      if (s.charAt(i) == '\n') {
        count++;
      }
    }
    return count;
  }
}
