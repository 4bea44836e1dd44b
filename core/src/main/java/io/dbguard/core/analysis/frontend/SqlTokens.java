package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cursor over the tokens of one SQL statement: words (identifiers and keywords, {@code "quoted"}
 * identifiers kept with quotes), strings, numbers and single-character symbols. Used for the
 * statement forms dbguard reads with its own grammar (see {@link SqlFrontEnd}).
 */
final class SqlTokens {

  record Token(String text, boolean word, boolean string) {
    String upper() {
      return text.toUpperCase(Locale.ROOT);
    }
  }

  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  SqlTokens(String sql) {
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        continue;
      }
      if (c == '\'') {
        int j = i + 1;
        while (j < n && !(sql.charAt(j) == '\'' && (j + 1 >= n || sql.charAt(j + 1) != '\''))) {
          j += sql.charAt(j) == '\'' ? 2 : 1;
        }
        tokens.add(new Token(sql.substring(i, Math.min(j + 1, n)), false, true));
        i = j;
      } else if (c == '"' || c == '`') {
        int j = sql.indexOf(c, i + 1);
        if (j < 0) {
          j = n - 1;
        }
        tokens.add(new Token(sql.substring(i, j + 1), true, false));
        i = j;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int j = i;
        while (j < n
            && (Character.isLetterOrDigit(sql.charAt(j))
                || sql.charAt(j) == '_'
                || sql.charAt(j) == '$'
                || (sql.charAt(j) == '.' && j + 1 < n && sql.charAt(j + 1) != '.'))) {
          j++;
        }
        tokens.add(new Token(sql.substring(i, j), true, false));
        i = j - 1;
      } else {
        tokens.add(new Token(String.valueOf(c), false, false));
      }
    }
  }

  boolean atEnd() {
    return pos >= tokens.size();
  }

  Token peek() {
    return atEnd() ? null : tokens.get(pos);
  }

  Token peek(int ahead) {
    return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : null;
  }

  Token next() {
    return atEnd() ? null : tokens.get(pos++);
  }

  /** Consumes the keyword sequence if the next tokens are exactly it (case-insensitive). */
  boolean accept(String... words) {
    for (int i = 0; i < words.length; i++) {
      Token t = peek(i);
      if (t == null || !t.upper().equals(words[i])) {
        return false;
      }
    }
    pos += words.length;
    return true;
  }

  /** The next token's upper-case text, or "" at the end. */
  String peekUpper() {
    return atEnd() ? "" : peek().upper();
  }

  /** A qualified name: {@code a}, {@code "A"}, {@code s.a}, {@code s."a"}, {@code "s".a}. */
  String name() {
    Token t = next();
    if (t == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(t.text());
    while (!atEnd()) {
      if (sb.charAt(sb.length() - 1) == '.') {
        sb.append(next().text()); // s."a": the word token "s." swallowed the dot
      } else if (peek().text().equals(".") && peek(1) != null) {
        next();
        sb.append('.').append(next().text());
      } else {
        break;
      }
    }
    return sb.toString();
  }

  /**
   * Text up to (not including) the next top-level {@code ,} or the end, consuming it; the comma is
   * consumed too.
   */
  List<Token> untilTopLevelComma() {
    List<Token> out = new ArrayList<>();
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (t.text().equals("(")) {
        depth++;
      } else if (t.text().equals(")")) {
        depth--;
      } else if (t.text().equals(",") && depth == 0) {
        next();
        break;
      }
      out.add(next());
    }
    return out;
  }

  /** Whether any remaining token is the keyword sequence (at any depth). */
  boolean containsSequence(String... words) {
    for (int i = pos; i + words.length <= tokens.size(); i++) {
      boolean ok = true;
      for (int k = 0; k < words.length; k++) {
        if (!tokens.get(i + k).upper().equals(words[k])) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  static String join(List<Token> ts) {
    StringBuilder sb = new StringBuilder();
    for (Token t : ts) {
      if (sb.length() > 0 && t.word() && (sb.charAt(sb.length() - 1) != '(')) {
        sb.append(' ');
      }
      sb.append(t.text());
    }
    return sb.toString().trim();
  }
}
