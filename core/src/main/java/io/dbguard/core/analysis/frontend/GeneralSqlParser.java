package io.dbguard.core.analysis.frontend;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * The one door to JSqlParser, the general SQL parser dbguard uses for DML and for statements its
 * own grammar does not read. It refuses statements longer than {@value #MAX_CHARS} characters: the
 * parser's time grows faster than linearly with one statement's length (a 700 kB multi-row {@code
 * INSERT} took about 19 s), so such a statement is reported as not analysed instead (the common
 * large form, a plain {@code INSERT … VALUES}, never reaches this class: see {@link
 * InsertValuesReader}).
 */
final class GeneralSqlParser {

  /** Longest statement, in characters, given to the general parser. */
  static final int MAX_CHARS = 64 * 1024;

  private GeneralSqlParser() {}

  /**
   * Parses one statement.
   *
   * @throws JSQLParserException when the parser rejects it or it is longer than {@link #MAX_CHARS}
   */
  static Statement parse(String sql) throws JSQLParserException {
    if (sql.length() > MAX_CHARS) {
      throw new JSQLParserException(
          "statement of "
              + sql.length()
              + " characters is longer than the "
              + MAX_CHARS
              + " the SQL parser is given; review it by hand");
    }
    try {
      return CCJSqlParserUtil.parse(sql);
    } catch (JSQLParserException e) {
      String quoted = pathDeleteAsMinus(quoteIntervalColumns(sql));
      if (quoted.equals(sql)) {
        throw e;
      }
      try {
        return CCJSqlParserUtil.parse(quoted);
      } catch (JSQLParserException again) {
        throw e;
      }
    }
  }

  /**
   * {@code sql} with each bare {@code interval} that names a column double-quoted, or {@code sql}
   * itself when there is none. PostgreSQL's {@code INTERVAL} is a non-reserved keyword, so a column
   * may be named {@code interval} unquoted ("SQL Key Words" appendix of the PostgreSQL manual), but
   * the general parser reads it as the start of an interval literal and rejects {@code SET interval
   * = interval * 60}. Only a word followed by something that cannot continue a literal or a type
   * ({@code '1 day'}, {@code (6)}, {@code DAY TO SECOND} …: a string, a parenthesis, a word) is
   * quoted; strings, quoted identifiers and comments are left as they are. Used only to retry a
   * statement the parser refused.
   */
  static String quoteIntervalColumns(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int skip = skipQuotedOrComment(sql, i);
      if (skip > i) {
        out.append(sql, i, skip);
        i = skip;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
          j++;
        }
        String word = sql.substring(i, j);
        boolean qualified = i > 0 && sql.charAt(i - 1) == '.';
        if (word.equalsIgnoreCase("interval")
            && (qualified || (endsColumnName(sql, j) && !namesType(out)))) {
          out.append('"').append(word.toLowerCase(java.util.Locale.ROOT)).append('"');
        } else {
          out.append(word);
        }
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * {@code sql} with each PostgreSQL {@code #-} operator (delete the element at a path of a {@code
   * jsonb} value, manual "JSON Functions and Operators") written {@code -} (delete a key), which
   * the general parser reads: both remove from their left operand, and the statement is judged the
   * same way. Strings, quoted identifiers and comments are left as they are. Used only to retry a
   * statement the parser refused.
   */
  static String pathDeleteAsMinus(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      int skip = skipQuotedOrComment(sql, i);
      if (skip > i) {
        out.append(sql, i, skip);
        i = skip;
      } else if (sql.startsWith("#-", i)) {
        out.append(" - ");
        i += 2;
      } else {
        out.append(sql.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  /** Whether the text before a word puts a type there: {@code x::interval}, {@code AS interval}. */
  private static boolean namesType(CharSequence before) {
    String b = before.toString().stripTrailing();
    return b.endsWith("::") || b.regionMatches(true, Math.max(0, b.length() - 3), " as", 0, 3);
  }

  /** Whether the next non-blank character after {@code from} ends an operand (or the text). */
  private static boolean endsColumnName(String sql, int from) {
    int k = from;
    while (k < sql.length() && Character.isWhitespace(sql.charAt(k))) {
      k++;
    }
    return k >= sql.length() || "=*/+-,);<>!|%^".indexOf(sql.charAt(k)) >= 0;
  }

  /**
   * The index after a string constant ({@link SqlLiterals}: standard or dollar-quoted), quoted
   * identifier or comment starting at {@code i}, else {@code i}; the end when it is not closed.
   */
  private static int skipQuotedOrComment(String sql, int i) {
    int n = sql.length();
    char c = sql.charAt(i);
    if (c == '\'' || SqlLiterals.dollarTag(sql, i) != null) {
      int[] span = new int[2];
      return SqlLiterals.read(sql, i, span) == null ? n : span[1];
    }
    if (c == '"') {
      int j = i + 1;
      while (j < n) {
        if (sql.charAt(j) == c) {
          if (j + 1 < n && sql.charAt(j + 1) == c) {
            j += 2; // a doubled quote inside
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return n;
    }
    if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
      int j = sql.indexOf('\n', i);
      return j < 0 ? n : j;
    }
    if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
      int j = sql.indexOf("*/", i + 2);
      return j < 0 ? n : j + 2;
    }
    return i;
  }
}
