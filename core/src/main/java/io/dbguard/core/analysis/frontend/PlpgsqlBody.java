package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the body of a PostgreSQL {@code DO $$ … $$} block (PL/pgSQL), or of a function or procedure
 * the file defines ({@link #routine}), down to the plain SQL statements it runs, so that the SQL
 * front end can analyse them as if they stood at the top level of the file.
 *
 * <p>Control structure is stripped, not interpreted: {@code DECLARE} sections, {@code BEGIN} /
 * {@code END}, {@code IF … THEN} / {@code ELSIF} / {@code ELSE}, loops, {@code EXCEPTION WHEN …
 * THEN}, block labels. A statement under an {@code IF} is marked <em>guarded</em> (the front end
 * then treats a plain insert there as idempotent). PL/pgSQL-only statements ({@code RAISE}, {@code
 * RETURN}, assignments, …) are dropped; {@code PERFORM query} is read as {@code SELECT query} (the
 * front end reads SQL passed as a string to a function there). {@code EXECUTE} of one string
 * literal is read as the SQL in the literal; any other {@code EXECUTE} (a {@code format(…)} call,
 * string concatenation) is dynamic SQL whose text is not known, reported as {@link Item#dynamic()}.
 * Source of the grammar: PostgreSQL manual, chapter "PL/pgSQL — SQL Procedural Language" (sections
 * "Structure of PL/pgSQL", "Basic Statements", "Control Structures") and the {@code DO} reference
 * page.
 */
final class PlpgsqlBody {

  /**
   * One statement of the body.
   *
   * @param sql the SQL text (for a dynamic item: the statement's text, for the report)
   * @param line its 1-based line in the file
   * @param guarded it runs only under an {@code IF} condition
   * @param dynamic an {@code EXECUTE} of SQL built at run time: not analysable
   * @param conditions the conditions of the enclosing {@code IF} / {@code ELSIF} branches, as
   *     written, outermost first, all of which hold when the statement runs (an {@code ELSE} branch
   *     adds none)
   */
  record Item(String sql, int line, boolean guarded, boolean dynamic, List<String> conditions) {

    /** A statement under no condition that is known. */
    Item(String sql, int line, boolean guarded, boolean dynamic) {
      this(sql, line, guarded, dynamic, List.of());
    }
  }

  private static final Pattern DO_HEAD =
      Pattern.compile("(?is)^DO\\s+(?:LANGUAGE\\s+(\\w+)\\s+)?(\\$[A-Za-z_0-9]*\\$)");
  private static final Pattern LANGUAGE_TAIL = Pattern.compile("(?is)^\\s*LANGUAGE\\s+(\\w+)\\s*$");
  private static final Pattern ASSIGNMENT =
      Pattern.compile("(?s)^[A-Za-z_][A-Za-z_0-9]*(?:\\.[A-Za-z_][A-Za-z_0-9]*)?\\s*(?::=|=).*");
  private static final Set<String> PROCEDURAL =
      Set.of(
          "RAISE",
          "PERFORM",
          "RETURN",
          "NULL",
          "GET",
          "EXIT",
          "CONTINUE",
          "ASSERT",
          "OPEN",
          "FETCH",
          "CLOSE",
          "MOVE",
          "COMMIT",
          "ROLLBACK",
          "CALL");

  private PlpgsqlBody() {}

  /**
   * The statements of the PL/pgSQL body of {@code doStatement}, a whole {@code DO} statement whose
   * first character is on {@code line}; empty when it is not a dollar-quoted PL/pgSQL block (the
   * caller then reports it as unparsed).
   */
  static java.util.Optional<List<Item>> read(String doStatement, int line) {
    Matcher m = DO_HEAD.matcher(doStatement);
    if (!m.find()) {
      return java.util.Optional.empty();
    }
    String tag = m.group(2);
    int start = m.end();
    int end = doStatement.indexOf(tag, start);
    if (end < 0) {
      return java.util.Optional.empty();
    }
    String language = m.group(1);
    Matcher tail = LANGUAGE_TAIL.matcher(doStatement.substring(end + tag.length()));
    if (tail.matches()) {
      language = tail.group(1);
    } else if (!doStatement.substring(end + tag.length()).isBlank()) {
      return java.util.Optional.empty();
    }
    if (language != null && !language.equalsIgnoreCase("plpgsql")) {
      return java.util.Optional.empty();
    }
    String body = doStatement.substring(start, end);
    return java.util.Optional.of(statements(body, line + newlines(doStatement, 0, start)));
  }

  /** {@code LANGUAGE name} of a routine, the name plain or quoted. */
  private static final Pattern LANGUAGE = Pattern.compile("(?is)\\bLANGUAGE\\s+['\"]?(\\w+)");

  /**
   * The statements of the body of {@code createStatement}, a whole {@code CREATE [OR REPLACE]
   * FUNCTION} or {@code PROCEDURE} statement whose first character is on {@code line}, when its
   * body is a string literal ({@code AS $$ … $$} or {@code AS '…'}) in {@code plpgsql} or {@code
   * sql} (a SQL function's body is a list of plain statements); empty otherwise (another language,
   * a SQL-standard {@code BEGIN ATOMIC} body, no body found). The statements run only when the
   * routine is called: the caller decides when that is.
   */
  static java.util.Optional<List<Item>> routine(String createStatement, int line) {
    int[] span = new int[2];
    int quote = bodyQuote(createStatement);
    String body = quote < 0 ? null : SqlLiterals.read(createStatement, quote, span);
    if (body == null) {
      return java.util.Optional.empty();
    }
    Matcher lang =
        LANGUAGE.matcher(
            createStatement.substring(0, quote) + " " + createStatement.substring(span[1]));
    if (!lang.find()
        || !Set.of("plpgsql", "sql").contains(lang.group(1).toLowerCase(Locale.ROOT))) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(statements(body, line + newlines(createStatement, 0, span[0])));
  }

  /**
   * Index of the quote that opens a routine's body: the string literal right after the first
   * top-level {@code AS}; -1 when none.
   */
  private static int bodyQuote(String s) {
    int j = afterTopLevelWord(s, "AS");
    while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
      j++;
    }
    return j < s.length() && (s.charAt(j) == '\'' || SqlLiterals.dollarTag(s, j) != null) ? j : -1;
  }

  private static List<Item> statements(String body, int firstLine) {
    List<Item> out = new ArrayList<>();
    boolean declaring = false;
    int ifDepth = 0;
    // the condition of each open IF's current branch; null in an ELSE branch
    List<String> branch = new ArrayList<>();
    for (SqlSplitter.Statement st : SqlSplitter.split(body, firstLine).statements()) {
      String s = st.text();
      int line = st.line();
      boolean endIf = false;
      while (!s.isEmpty()) {
        String w = firstWord(s);
        int cut;
        if (s.startsWith("<<")) {
          int close = s.indexOf(">>");
          cut = close < 0 ? s.length() : close + 2;
        } else {
          switch (w) {
            case "DECLARE" -> {
              declaring = true;
              cut = w.length();
            }
            case "BEGIN" -> {
              declaring = false;
              cut = w.length();
            }
            case "IF", "ELSIF", "ELSEIF", "WHEN", "CASE" -> {
              cut = afterTopLevelWord(s, "THEN");
              boolean then = cut >= w.length() + 4 && s.regionMatches(true, cut - 4, "THEN", 0, 4);
              String condition = then ? s.substring(w.length(), cut - 4).strip() : null;
              if (w.equals("IF")) {
                ifDepth++;
                branch.add(condition);
              } else if (!w.equals("WHEN") && !w.equals("CASE") && !branch.isEmpty()) {
                branch.set(branch.size() - 1, condition);
              }
            }
            case "WHILE", "FOR", "FOREACH" -> cut = afterTopLevelWord(s, "LOOP");
            case "ELSE" -> {
              if (!branch.isEmpty()) {
                branch.set(branch.size() - 1, null);
              }
              cut = w.length();
            }
            case "LOOP", "EXCEPTION" -> cut = w.length();
            case "END" -> {
              endIf = firstWord(s.substring(3).strip()).equals("IF");
              cut = s.length();
            }
            default -> cut = -1;
          }
        }
        if (cut < 0) {
          break;
        }
        line += newlines(s, 0, cut);
        String rest = s.substring(cut);
        String stripped = rest.stripLeading();
        line += newlines(rest, 0, rest.length() - stripped.length());
        s = stripped;
      }
      boolean guarded = ifDepth > 0;
      List<String> conditions = branch.stream().filter(java.util.Objects::nonNull).toList();
      if (endIf) {
        ifDepth = Math.max(0, ifDepth - 1);
        if (!branch.isEmpty()) {
          branch.remove(branch.size() - 1);
        }
      }
      if (s.isEmpty() || declaring) {
        continue;
      }
      String w = firstWord(s);
      if (w.equals("PERFORM")) {
        // PERFORM runs a query and discards its result: read it as that SELECT (line breaks kept)
        String query = s.substring("PERFORM".length());
        out.add(new Item("SELECT " + query, line, guarded, false));
        continue;
      }
      if (PROCEDURAL.contains(w) || (ASSIGNMENT.matcher(s).matches() && !w.equals("UPDATE"))) {
        continue;
      }
      if (w.equals("EXECUTE")) {
        String literal = literal(s.substring(w.length()).strip());
        if (literal == null) {
          out.add(new Item(s, line, guarded, true));
        } else {
          for (SqlSplitter.Statement inner : SqlSplitter.split(literal, line).statements()) {
            out.add(new Item(inner.text(), inner.line(), guarded, false, conditions));
          }
        }
        continue;
      }
      out.add(new Item(s, line, guarded, false, conditions));
    }
    return out;
  }

  /**
   * The content of a single string literal ({@code '…'} or {@code $tag$…$tag$}) that makes up all
   * of {@code s} (an optional {@code INTO …} / {@code USING …} clause may follow), or null.
   */
  private static String literal(String s) {
    int[] span = new int[2];
    String content =
        s.startsWith("'") || SqlLiterals.dollarTag(s, 0) != null
            ? SqlLiterals.read(s, 0, span)
            : null;
    if (content == null) {
      return null;
    }
    int after = span[1];
    String rest = s.substring(after).strip();
    String w = firstWord(rest);
    return rest.isEmpty() || w.equals("INTO") || w.equals("USING") ? content : null;
  }

  /**
   * Index just past the first {@code word} outside parentheses, quotes and {@code --} comments; the
   * end if none.
   */
  private static int afterTopLevelWord(String s, String word) {
    int i = topLevelWord(s, word);
    return i < 0 ? s.length() : i + word.length();
  }

  /**
   * Index of the first {@code word} (case-insensitive, a whole word) outside parentheses, quotes
   * and {@code --} comments in {@code s}; -1 if none.
   */
  static int topLevelWord(String s, String word) {
    int depth = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        int j = s.indexOf('\n', i);
        i = j < 0 ? n : j;
      } else if (c == '\'' || c == '"') {
        int j = s.indexOf(c, i + 1);
        i = j < 0 ? n : j;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (depth == 0
          && (i == 0 || !isIdent(s.charAt(i - 1)))
          && s.regionMatches(true, i, word, 0, word.length())
          && (i + word.length() == n || !isIdent(s.charAt(i + word.length())))) {
        return i;
      }
    }
    return -1;
  }

  private static String firstWord(String s) {
    int j = 0;
    while (j < s.length() && isIdent(s.charAt(j))) {
      j++;
    }
    return s.substring(0, j).toUpperCase(Locale.ROOT);
  }

  private static boolean isIdent(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static int newlines(String s, int from, int to) {
    int count = 0;
    for (int i = from; i < to && i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        count++;
      }
    }
    return count;
  }
}
