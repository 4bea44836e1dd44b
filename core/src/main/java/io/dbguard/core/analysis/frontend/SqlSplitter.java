package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into statements with their 1-based start lines, and collects comments (for
 * suppressions). Understands {@code --} and nested {@code /* *\/} comments, {@code '…'} strings
 * (with {@code ''}), {@code E'…'} escapes, {@code "…"} identifiers, PostgreSQL dollar quotes
 * ({@code $$…$$}, {@code $tag$…$tag$}) and SQLite {@code CREATE TRIGGER … BEGIN … END} bodies.
 *
 * <p>A line whose first character other than blanks is a backslash, outside a string, comment or
 * dollar quote, is a psql meta-command ({@code \echo}, {@code \set}, {@code \connect}, {@code \i}):
 * psql reads it to the end of the line and does not send it to the server (PostgreSQL manual,
 * "psql", section "Meta-Commands"). It is kept out of the statements and listed in {@link
 * Result#metaCommands()}; {@code \g}, {@code \gx}, {@code \gset} and {@code \gexec} send the query
 * buffer, so they also end the statement before them.
 */
public final class SqlSplitter {

  /** One statement: text without comments, trimmed; {@code line} of its first token. */
  public record Statement(String text, int line) {}

  /** One comment: its text without the markers; the line it starts on. */
  public record Comment(String text, int line) {}

  /** One psql meta-command: its text from the backslash to the end of its line; its line. */
  public record MetaCommand(String text, int line) {}

  /** Statements, comments and psql meta-commands of a text. */
  public record Result(
      List<Statement> statements, List<Comment> comments, List<MetaCommand> metaCommands) {}

  private final String sql;
  private final int n;
  private final List<Statement> out = new ArrayList<>();
  private final List<Comment> comments = new ArrayList<>();
  private final List<MetaCommand> metas = new ArrayList<>();
  private final StringBuilder cur = new StringBuilder();
  private int line;
  private int startLine = -1;
  private int beginDepth;
  // whether the current statement starts with CREATE and has named TRIGGER so far: kept as
  // state so that each word costs O(1) (re-reading the statement per word was quadratic)
  private boolean startsWithCreate;
  private boolean sawTrigger;
  private boolean sawWord;

  private SqlSplitter(String sql, int firstLine) {
    this.sql = sql;
    this.n = sql.length();
    this.line = firstLine;
  }

  /**
   * Splits {@code sql}; lines are numbered from {@code firstLine} (1 for a whole file, the string's
   * line for SQL embedded in Ruby/Python).
   */
  public static Result split(String sql, int firstLine) {
    SqlSplitter s = new SqlSplitter(sql, firstLine);
    s.run();
    return new Result(s.out, s.comments, s.metas);
  }

  /** Reads the text; each step returns the index of the last character it consumed. */
  private void run() {
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
      if (c == '-' && next == '-') {
        i = lineComment(i);
      } else if (c == '/' && next == '*') {
        i = blockComment(i);
      } else if (c == '\\' && beginDepth == 0 && atLineStart(i)) {
        i = metaCommand(i);
      } else {
        if (startLine < 0 && !Character.isWhitespace(c) && c != ';') {
          startLine = line;
        }
        i = token(i, c);
      }
    }
    endStatement();
  }

  /** A string, dollar quote, word, statement end or other character at {@code i}. */
  private int token(int i, char c) {
    if (c == '\'' || c == '"') {
      return quoted(i, c);
    }
    if (c == '$') {
      String tag = SqlLiterals.dollarTag(sql, i);
      if (tag != null) {
        int end = sql.indexOf(tag, i + tag.length());
        int stop = end < 0 ? n : end + tag.length();
        String body = sql.substring(i, stop);
        line += body.chars().filter(ch -> ch == '\n').count();
        cur.append(body);
        return stop - 1;
      }
    }
    if (c == '\n') {
      line++;
    }
    if (Character.isLetter(c) && (i == 0 || !isIdent(sql.charAt(i - 1)))) {
      return word(i);
    }
    if (c == ';' && beginDepth == 0) {
      endStatement();
      return i;
    }
    cur.append(c);
    return i;
  }

  private int lineComment(int i) {
    int end = sql.indexOf('\n', i);
    if (end < 0) {
      end = n;
    }
    comments.add(new Comment(sql.substring(i + 2, end).trim(), line));
    cur.append(' ');
    return end - 1;
  }

  private int blockComment(int i) {
    int depth = 1;
    int j = i + 2;
    int cl = line;
    StringBuilder ct = new StringBuilder();
    while (j < n && depth > 0) {
      char d = sql.charAt(j);
      if (d == '/' && j + 1 < n && sql.charAt(j + 1) == '*') {
        depth++;
        j += 2;
        continue;
      }
      if (d == '*' && j + 1 < n && sql.charAt(j + 1) == '/') {
        depth--;
        j += 2;
        continue;
      }
      if (d == '\n') {
        line++;
      }
      ct.append(d);
      j++;
    }
    comments.add(new Comment(ct.toString().trim(), cl));
    cur.append(' ');
    return j - 1;
  }

  /** A psql meta-command from {@code i} to the end of its line. */
  private int metaCommand(int i) {
    int end = sql.indexOf('\n', i);
    if (end < 0) {
      end = n;
    }
    String meta = sql.substring(i, end).trim();
    metas.add(new MetaCommand(meta, line));
    if (meta.matches("\\\\g(x|set|exec)?\\b.*")) {
      endStatement();
    } else {
      cur.append(' ');
    }
    return end - 1;
  }

  /** A {@code '…'} string ({@code E'…'} with backslash escapes) or {@code "…"} identifier. */
  private int quoted(int i, char c) {
    boolean escapes = c == '\'' && i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
    int j = i + 1;
    while (j < n) {
      char d = sql.charAt(j);
      if (d == '\n') {
        line++;
      }
      if (escapes && d == '\\') {
        j += 2;
        continue;
      }
      if (d == c) {
        if (j + 1 < n && sql.charAt(j + 1) == c) {
          j += 2;
          continue;
        }
        break;
      }
      j++;
    }
    cur.append(sql, i, Math.min(j + 1, n));
    return j;
  }

  /** A word: tracks SQLite {@code CREATE TRIGGER … BEGIN … END} bodies. */
  private int word(int i) {
    int j = i;
    while (j < n && isIdent(sql.charAt(j))) {
      j++;
    }
    String word = j - i > 8 ? "" : sql.substring(i, j).toUpperCase(Locale.ROOT);
    if (!sawWord) {
      sawWord = true;
      startsWithCreate = word.equals("CREATE") && cur.toString().isBlank();
    }
    if (word.equals("TRIGGER")) {
      sawTrigger = true;
    }
    if (word.equals("BEGIN") && startsWithCreate && sawTrigger) {
      beginDepth++;
    } else if (word.equals("CASE") && beginDepth > 0) {
      beginDepth++;
    } else if (word.equals("END") && beginDepth > 0) {
      beginDepth--;
    }
    cur.append(sql, i, j);
    return j - 1;
  }

  private void endStatement() {
    String st = cur.toString().trim();
    if (!st.isEmpty()) {
      out.add(new Statement(st, startLine));
    }
    cur.setLength(0);
    startLine = -1;
    sawWord = false;
    startsWithCreate = false;
    sawTrigger = false;
  }

  /** Whether only blanks precede position {@code i} on its line. */
  private boolean atLineStart(int i) {
    for (int k = i - 1; k >= 0; k--) {
      char d = sql.charAt(k);
      if (d == '\n') {
        return true;
      }
      if (d != ' ' && d != '\t' && d != '\r') {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdent(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
