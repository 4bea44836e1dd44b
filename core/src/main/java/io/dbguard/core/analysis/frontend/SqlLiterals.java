package io.dbguard.core.analysis.frontend;

/**
 * PostgreSQL string constants inside SQL text: standard strings ({@code '…'}, a quote doubled as
 * {@code ''}) and dollar-quoted strings ({@code $tag$…$tag$}, the tag empty or following the rules
 * of an unquoted identifier without {@code $}: PostgreSQL manual, "Lexical Structure", section
 * "Dollar-Quoted String Constants"). Shared by the statement splitter, the {@code DO}-body reader
 * and the reader of SQL passed to a function.
 */
final class SqlLiterals {
  private SqlLiterals() {}

  /**
   * The dollar-quote tag ({@code $$}, {@code $sql1$}) that starts at {@code i}, or null when {@code
   * s} has none there (a {@code $1} parameter, a tag starting with a digit, no closing {@code $}).
   */
  static String dollarTag(String s, int i) {
    if (i >= s.length() || s.charAt(i) != '$') {
      return null;
    }
    int j = i + 1;
    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
      j++;
    }
    if (j >= s.length()
        || s.charAt(j) != '$'
        || (j > i + 1 && Character.isDigit(s.charAt(i + 1)))) {
      return null;
    }
    return s.substring(i, j + 1);
  }

  /**
   * The content of the literal starting at {@code start} (a {@code '} or a dollar-quote tag), with
   * {@code span[0]} set to the index where the content starts and {@code span[1]} to the index
   * after the closing quote; null when none starts there or it is not closed.
   *
   * @param span an array of two, written only when the content is returned
   */
  static String read(String s, int start, int[] span) {
    if (start < s.length() && s.charAt(start) == '\'') {
      StringBuilder b = new StringBuilder();
      int j = start + 1;
      while (j < s.length()) {
        char d = s.charAt(j);
        if (d == '\'') {
          if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
            b.append('\'');
            j += 2;
            continue;
          }
          span[0] = start + 1;
          span[1] = j + 1;
          return b.toString();
        }
        b.append(d);
        j++;
      }
      return null;
    }
    String tag = dollarTag(s, start);
    if (tag == null) {
      return null;
    }
    int end = s.indexOf(tag, start + tag.length());
    if (end < 0) {
      return null;
    }
    span[0] = start + tag.length();
    span[1] = end + tag.length();
    return s.substring(span[0], end);
  }
}
