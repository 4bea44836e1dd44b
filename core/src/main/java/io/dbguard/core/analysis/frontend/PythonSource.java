package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lexer and a small expression parser for the Python found in Django migrations and seed scripts:
 * strings (all prefixes, triple quotes, implicit concatenation), comments, names, numbers,
 * operators; expressions as {@link Node} trees (calls with positional and keyword arguments,
 * lists/tuples/dicts, dotted names, literals, binary operators, subscripts). Anything else is an
 * {@link Other} node carrying its text, never an error.
 *
 * <p>In an f-string each replacement field {@code {expr}} (with any {@code !conversion} or {@code
 * :format}) is kept in the string's value as {@link #HOLE_START} {@code expr} {@link #HOLE_END};
 * {@code {{}} and {@code }}} become braces. {@link #text} shows the fields as {@code {expr}}.
 */
public final class PythonSource {

  /** Marks the start of an f-string replacement field in a {@link Str} value. */
  public static final char HOLE_START = '\u0001';

  /** Marks the end of an f-string replacement field in a {@link Str} value. */
  public static final char HOLE_END = '\u0002';

  /** Token kinds. */
  public enum Kind {
    NAME,
    STRING,
    NUMBER,
    OP,
    NEWLINE
  }

  /** A token with its 1-based line. */
  public record Token(Kind kind, String text, int line) {
    boolean is(String s) {
      return kind != Kind.STRING && text.equals(s);
    }
  }

  /** A comment and its line. */
  public record Comment(String text, int line) {}

  /** An expression node. */
  public sealed interface Node {
    int line();
  }

  /** {@code a.b.c} */
  public record Name(String dotted, int line) implements Node {}

  /**
   * A string literal (implicitly concatenated); f-string replacement fields are marked with {@link
   * #HOLE_START} and {@link #HOLE_END}.
   */
  public record Str(String value, int line) implements Node {}

  /**
   * {@code left op right} for an arithmetic or bitwise operator ({@code + - * / % | &}), read left
   * to right without precedence; two string literals joined by {@code +} are one {@link Str}.
   */
  public record BinOp(Node left, String op, Node right, int line) implements Node {}

  /**
   * {@code f(args, k=v)}; {@code callee} is the dotted callee text (e.g. {@code
   * migrations.AddField}); {@code receiver} is the expression a method is called on when it is not
   * a plain dotted name ({@code "…".format(…)}: the string literal), else {@code null}.
   */
  public record Call(
      String callee, List<Node> args, Map<String, Node> kwargs, int line, Node receiver)
      implements Node {
    /** The last part of the callee: {@code AddField}. */
    public String simpleName() {
      return callee.substring(callee.lastIndexOf('.') + 1);
    }

    /** Keyword argument, else positional {@code index}, else null. */
    public Node arg(String key, int index) {
      if (kwargs.containsKey(key)) {
        return kwargs.get(key);
      }
      return index >= 0 && index < args.size() ? args.get(index) : null;
    }
  }

  /** {@code [..]} or {@code (..)}. */
  public record Seq(List<Node> items, int line) implements Node {}

  /** {@code {k: v}}. */
  public record Dict(Map<String, Node> entries, int line) implements Node {}

  /**
   * {@code value[...]}, a subscript or slice ({@code qs.delete()[0]}, {@code rows[1:]}): {@code
   * text} is its source-like text, {@code value} the expression subscripted, whose calls still run.
   */
  public record Subscript(Node value, String text, int line) implements Node {}

  /** Anything else (numbers, True/False/None are {@link Name}s). */
  public record Other(String text, int line) implements Node {}

  private final List<Token> tokens = new ArrayList<>();
  private final List<Comment> comments = new ArrayList<>();
  private int pos;

  private PythonSource(String src) {
    lex(src);
  }

  /** Lexes {@code src}. */
  public static PythonSource of(String src) {
    return new PythonSource(src);
  }

  public List<Token> tokens() {
    return tokens;
  }

  public List<Comment> comments() {
    return comments;
  }

  private void lex(String s) {
    int n = s.length();
    int line = 1;
    int depth = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        if (depth == 0) {
          tokens.add(new Token(Kind.NEWLINE, "\n", line));
        }
        line++;
        continue;
      }
      if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '\n') {
        i++;
        line++;
        continue;
      }
      if (Character.isWhitespace(c)) {
        continue;
      }
      if (c == '#') {
        int e = s.indexOf('\n', i);
        if (e < 0) {
          e = n;
        }
        comments.add(new Comment(s.substring(i + 1, e).trim(), line));
        i = e - 1;
        continue;
      }
      int q = i;
      while (q < n && q - i < 3 && "rRbBuUfF".indexOf(s.charAt(q)) >= 0) {
        q++;
      }
      if (q < n
          && (s.charAt(q) == '"' || s.charAt(q) == '\'')
          && (q == i || !Character.isLetterOrDigit(i > 0 ? s.charAt(i - 1) : ' '))) {
        boolean raw = s.substring(i, q).toLowerCase().contains("r");
        boolean formatted = s.substring(i, q).toLowerCase().contains("f");
        char quote = s.charAt(q);
        boolean triple = s.startsWith(String.valueOf(quote).repeat(3), q);
        String end = triple ? String.valueOf(quote).repeat(3) : String.valueOf(quote);
        int j = q + end.length();
        StringBuilder sb = new StringBuilder();
        int start = line;
        while (j < n && !s.startsWith(end, j)) {
          char d = s.charAt(j);
          if (d == '\\' && j + 1 < n) {
            char e2 = s.charAt(j + 1);
            if (raw) {
              sb.append(d).append(e2);
            } else {
              sb.append(e2 == 'n' ? '\n' : e2 == 't' ? '\t' : e2 == '\n' ? "" : e2);
            }
            if (e2 == '\n') {
              line++;
            }
            j += 2;
            continue;
          }
          if (formatted && (d == '{' || d == '}')) {
            if (j + 1 < n && s.charAt(j + 1) == d) {
              sb.append(d); // {{ or }}
              j += 2;
              continue;
            }
            if (d == '{') {
              int close = fieldEnd(s, j + 1, end);
              if (close > 0) {
                String field = s.substring(j + 1, close);
                line += (int) field.chars().filter(x -> x == '\n').count();
                sb.append(HOLE_START).append(fieldExpression(field).strip()).append(HOLE_END);
                j = close + 1;
                continue;
              }
            }
          }
          if (d == '\n') {
            line++;
            if (!triple) {
              break;
            }
          }
          sb.append(d);
          j++;
        }
        tokens.add(new Token(Kind.STRING, sb.toString(), start));
        i = Math.min(j + end.length(), n) - 1;
        continue;
      }
      if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        tokens.add(new Token(Kind.NAME, s.substring(i, j), line));
        i = j - 1;
        continue;
      }
      if (Character.isDigit(c)) {
        int j = i;
        while (j < n
            && (Character.isLetterOrDigit(s.charAt(j))
                || s.charAt(j) == '.'
                || s.charAt(j) == '_')) {
          j++;
        }
        tokens.add(new Token(Kind.NUMBER, s.substring(i, j), line));
        i = j - 1;
        continue;
      }
      if ("([{".indexOf(c) >= 0) {
        depth++;
      } else if (")]}".indexOf(c) >= 0) {
        depth = Math.max(0, depth - 1);
      }
      String op = String.valueOf(c);
      for (String two : List.of("==", "!=", "<=", ">=", "**", "->", ":=", "+=", "-=")) {
        if (s.startsWith(two, i)) {
          op = two;
          break;
        }
      }
      tokens.add(new Token(Kind.OP, op, line));
      i += op.length() - 1;
    }
    tokens.add(new Token(Kind.NEWLINE, "\n", line));
  }

  /**
   * Index of the {@code }} that closes an f-string replacement field whose expression starts at
   * {@code from}, or {@code -1} when the string ({@code end} is its closing quote) ends first.
   */
  private static int fieldEnd(String s, int from, String end) {
    int depth = 0;
    for (int k = from; k < s.length(); k++) {
      char c = s.charAt(k);
      if (s.startsWith(end, k) || (c == '\n' && end.length() == 1)) {
        return -1;
      }
      if ("([{".indexOf(c) >= 0) {
        depth++;
      } else if (")]".indexOf(c) >= 0) {
        depth--;
      } else if (c == '}') {
        if (depth == 0) {
          return k;
        }
        depth--;
      }
    }
    return -1;
  }

  /** A replacement field without its {@code =}, {@code !conversion} and {@code :format}. */
  private static String fieldExpression(String field) {
    int depth = 0;
    for (int k = 0; k < field.length(); k++) {
      char c = field.charAt(k);
      if ("([{".indexOf(c) >= 0) {
        depth++;
      } else if (")]}".indexOf(c) >= 0) {
        depth--;
      } else if (depth == 0
          && (c == ':' || (c == '!' && (k + 1 >= field.length() || field.charAt(k + 1) != '=')))) {
        return field.substring(0, k).replaceAll("=\\s*$", "");
      }
    }
    return field.replaceAll("=\\s*$", "");
  }

  // ---- expression parser ----

  /** Parses the expression starting at token {@code index}. */
  public Node parseAt(int index) {
    pos = index;
    return expr();
  }

  /** Index just after the last parsed expression. */
  public int position() {
    return pos;
  }

  private Token peek() {
    return pos < tokens.size() ? tokens.get(pos) : new Token(Kind.NEWLINE, "\n", 0);
  }

  private Node expr() {
    Node n = primary();
    // binary operators / conditional expressions: keep text, stop at , ) ] } : =
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.OP && "+-*/%|&".contains(t.text()) && t.text().length() == 1) {
        pos++;
        Node rhs = primary();
        if (t.text().equals("+") && n instanceof Str a && rhs instanceof Str b) {
          n = new Str(a.value() + b.value(), a.line());
        } else {
          n = new BinOp(n, t.text(), rhs, n.line());
        }
      } else if (t.kind() == Kind.NAME
          && (t.text().equals("if")
              || t.text().equals("else")
              || t.text().equals("and")
              || t.text().equals("or")
              || t.text().equals("for")
              || t.text().equals("in")
              || t.text().equals("not")
              || t.text().equals("is"))) {
        pos++;
        Node rhs = primary();
        n = new Other(text(n) + " " + t.text() + " " + text(rhs), n.line());
      } else {
        return n;
      }
    }
  }

  private Node primary() {
    Token t = peek();
    Node n;
    if (t.kind() == Kind.STRING) {
      StringBuilder sb = new StringBuilder();
      int line = t.line();
      while (peek().kind() == Kind.STRING) {
        sb.append(peek().text());
        pos++;
      }
      n = new Str(sb.toString(), line);
    } else if (t.kind() == Kind.NAME) {
      if (t.text().equals("lambda")) {
        pos++;
        while (!peek().is(":") && peek().kind() != Kind.NEWLINE) {
          pos++;
        }
        pos++;
        Node body = expr();
        return new Other("lambda: " + text(body), t.line());
      }
      if (t.text().equals("not")) {
        pos++;
        return new Other("not " + text(primary()), t.line());
      }
      StringBuilder sb = new StringBuilder(t.text());
      pos++;
      while (peek().is(".") && pos + 1 < tokens.size() && tokens.get(pos + 1).kind() == Kind.NAME) {
        sb.append('.').append(tokens.get(pos + 1).text());
        pos += 2;
      }
      n = new Name(sb.toString(), t.line());
    } else if (t.is("[") || t.is("(")) {
      pos++;
      String close = t.is("[") ? "]" : ")";
      List<Node> items = new ArrayList<>();
      while (!peek().is(close) && pos < tokens.size()) {
        items.add(expr());
        if (peek().is(",")) {
          pos++;
        } else if (!peek().is(close)) {
          pos++;
        }
      }
      pos++;
      n = new Seq(items, t.line());
    } else if (t.is("{")) {
      pos++;
      Map<String, Node> entries = new LinkedHashMap<>();
      List<Node> setItems = new ArrayList<>();
      while (!peek().is("}") && pos < tokens.size()) {
        Node k = expr();
        if (peek().is(":")) {
          pos++;
          entries.put(k instanceof Str s ? s.value() : text(k), expr());
        } else {
          setItems.add(k); // a set literal: {("user", "team")}
        }
        if (peek().is(",")) {
          pos++;
        } else if (!peek().is("}")) {
          pos++;
        }
      }
      pos++;
      if (!setItems.isEmpty() && entries.isEmpty()) {
        n = new Seq(setItems, t.line());
      } else {
        n = new Dict(entries, t.line());
      }
    } else {
      pos++;
      n = new Other(t.text(), t.line());
    }
    // trailers: calls, attribute access after calls, subscripts
    Node receiver = null; // what the attribute just read belongs to, for a method call
    while (true) {
      if (peek().is("(")) {
        int line = n.line();
        pos++;
        List<Node> args = new ArrayList<>();
        Map<String, Node> kw = new LinkedHashMap<>();
        while (!peek().is(")") && pos < tokens.size()) {
          if (peek().kind() == Kind.NAME
              && pos + 1 < tokens.size()
              && tokens.get(pos + 1).is("=")) {
            String key = peek().text();
            pos += 2;
            kw.put(key, expr());
          } else if (peek().is("*") || peek().is("**")) {
            pos++;
            args.add(expr());
          } else {
            args.add(expr());
          }
          if (peek().is(",")) {
            pos++;
          } else if (!peek().is(")")) {
            pos++;
          }
        }
        pos++;
        n = new Call(text(n), args, kw, line, receiver);
        receiver = null;
      } else if (peek().is(".")
          && pos + 1 < tokens.size()
          && tokens.get(pos + 1).kind() == Kind.NAME) {
        String attr = tokens.get(pos + 1).text();
        pos += 2;
        receiver = n;
        n = new Name(text(n) + "." + attr, n.line());
      } else if (peek().is("[")) {
        int depth = 0;
        StringBuilder sb = new StringBuilder(text(n));
        do {
          Token x = tokens.get(pos++);
          depth += x.is("[") ? 1 : x.is("]") ? -1 : 0;
          sb.append(x.text());
        } while (depth > 0 && pos < tokens.size());
        n = new Subscript(n, sb.toString(), n.line());
        receiver = null;
      } else {
        return n;
      }
    }
  }

  /** Source-like text of a node. */
  public static String text(Node n) {
    if (n instanceof Name x) {
      return x.dotted();
    }
    if (n instanceof Str s) {
      return "'" + s.value().replace(HOLE_START, '{').replace(HOLE_END, '}') + "'";
    }
    if (n instanceof BinOp b) {
      return text(b.left()) + b.op() + text(b.right());
    }
    if (n instanceof Call c) {
      List<String> parts = new ArrayList<>();
      c.args().forEach(a -> parts.add(text(a)));
      c.kwargs().forEach((k, v) -> parts.add(k + "=" + text(v)));
      return c.callee() + "(" + String.join(", ", parts) + ")";
    }
    if (n instanceof Seq s) {
      List<String> parts = new ArrayList<>();
      s.items().forEach(a -> parts.add(text(a)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (n instanceof Dict d) {
      return "{…}";
    }
    if (n instanceof Subscript s) {
      return s.text();
    }
    return ((Other) n).text();
  }

  /**
   * The indentation (spaces and tabs, each counting one) of 1-based line {@code line} of {@code
   * lines}; 0 for a line outside the file.
   */
  static int indent(String[] lines, int line) {
    if (line < 1 || line > lines.length) {
      return 0;
    }
    String l = lines[line - 1];
    int k = 0;
    while (k < l.length() && (l.charAt(k) == ' ' || l.charAt(k) == '\t')) {
      k++;
    }
    return k;
  }
}
