package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.PythonSource.BinOp;
import io.dbguard.core.analysis.frontend.PythonSource.Call;
import io.dbguard.core.analysis.frontend.PythonSource.Dict;
import io.dbguard.core.analysis.frontend.PythonSource.Kind;
import io.dbguard.core.analysis.frontend.PythonSource.Name;
import io.dbguard.core.analysis.frontend.PythonSource.Node;
import io.dbguard.core.analysis.frontend.PythonSource.Other;
import io.dbguard.core.analysis.frontend.PythonSource.Seq;
import io.dbguard.core.analysis.frontend.PythonSource.Str;
import io.dbguard.core.analysis.frontend.PythonSource.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL text a Python expression in a Django migration gives to {@code RunSQL} or {@code
 * cursor.execute}, read as far as it is literal:
 *
 * <ul>
 *   <li>string literals in any quoting, implicitly concatenated or joined with {@code +};
 *   <li>a list or tuple of statements, each a string or a {@code (sql, params)} tuple;
 *   <li>a name assigned earlier in the file ({@code NAME = …} or {@code NAME += …} at the start of
 *       a line, at any indentation: the last such assignment above the use);
 *   <li>{@code %}-formatting ({@code %s}, {@code %d}, {@code %(name)s}, {@code %%}) and {@code
 *       .format(…)} ({@code {}}, {@code {0}}, {@code {name}}) on a literal, {@code
 *       "sep".join([…])}, {@code .strip()} and {@code textwrap.dedent(…)};
 *   <li>f-strings.
 * </ul>
 *
 * <p>Inside a literal, a part that is not literal — an f-string field, a format argument, an
 * operand of {@code +} that is not a known string — reads as the identifier {@value #PARAM} (as the
 * Rails front end reads {@code #{…}}), so the rest of the statement is still judged. An expression
 * with no literal part at all (a function's result, a file read, a parameter) is not read: the
 * caller reports it as unparsed.
 */
final class PythonSqlText {

  /** What a part that is not literal reads as. */
  static final String PARAM = "dbguard_param";

  /** One SQL text and the 1-based line where it starts in the file. */
  record Piece(String sql, int line) {}

  /** What an argument gives: the SQL texts read, and the expressions that are not literal. */
  record Read(List<Piece> pieces, List<Node> unread) {}

  private record Assignment(int line, Node value, boolean augmented) {}

  private static final int MAX_DEPTH = 8;
  private static final Pattern PERCENT =
      Pattern.compile(
          "%(?:\\(([A-Za-z_][A-Za-z0-9_]*)\\))?[-+ #0]*\\d*(?:\\.\\d+)?([sdirfxXeEgGc%])");
  private static final Pattern FIELD = Pattern.compile("\\{\\{|}}|\\{([^{}]*)}");
  private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d_]*(\\.\\d+)?");
  private static final Pattern QUOTED = Pattern.compile("(['\"])[^'\"\\\\]*\\1");
  private static final Set<String> KEEPS_TEXT = Set.of("strip", "lstrip", "rstrip", "dedent");

  private final Map<String, List<Assignment>> assignments = new HashMap<>();

  private PythonSqlText() {}

  /** Collects the assignments of {@code ps} (its parse position is moved). */
  static PythonSqlText of(PythonSource ps) {
    PythonSqlText out = new PythonSqlText();
    List<Token> toks = ps.tokens();
    for (int i = 0; i + 2 < toks.size(); i++) {
      boolean lineStart = i == 0 || toks.get(i - 1).kind() == Kind.NEWLINE;
      Token name = toks.get(i);
      Token op = toks.get(i + 1);
      if (!lineStart || name.kind() != Kind.NAME) {
        continue;
      }
      boolean plain = op.is("=") && !toks.get(i + 2).is("=");
      boolean augmented = op.is("+=");
      if (plain || augmented) {
        Node value = ps.parseAt(i + 2);
        out.assignments
            .computeIfAbsent(name.text(), k -> new ArrayList<>())
            .add(new Assignment(name.line(), value, augmented));
      }
    }
    return out;
  }

  /**
   * The SQL statements {@code sql} gives (a string, or a list or tuple of strings and {@code (sql,
   * params)} tuples, possibly through a name), and what in it is not literal.
   *
   * @param sql the argument, {@code null} when absent (nothing read)
   */
  Read statements(Node sql) {
    List<Piece> pieces = new ArrayList<>();
    List<Node> unread = new ArrayList<>();
    collect(sql, sql == null ? 0 : sql.line(), 0, pieces, unread);
    return new Read(pieces, unread);
  }

  private void collect(Node n, int useLine, int depth, List<Piece> pieces, List<Node> unread) {
    if (n == null) {
      return;
    }
    Node target = depth < MAX_DEPTH ? resolved(n, useLine) : null;
    if (target instanceof Seq seq) {
      for (Node item : seq.items()) {
        Node statement =
            item instanceof Seq pair && !pair.items().isEmpty() ? pair.items().get(0) : item;
        collect(statement, statement.line(), depth + 1, pieces, unread);
      }
      return;
    }
    if (n instanceof Name x && x.dotted().endsWith("RunSQL.noop")) {
      return; // the empty statement
    }
    String text = value(n, useLine, depth);
    if (text == null) {
      unread.add(n);
    } else if (!text.isBlank()) {
      pieces.add(new Piece(text, lineOf(target == null ? n : target)));
    }
  }

  /** A name followed to the node last assigned to it above {@code useLine}; else {@code n}. */
  private Node resolved(Node n, int useLine) {
    Node at = n;
    int line = useLine;
    for (int depth = 0; depth < MAX_DEPTH && at instanceof Name x; depth++) {
      Assignment a = assignment(x.dotted(), line);
      if (a == null || a.augmented()) {
        return at;
      }
      at = a.value();
      line = a.line();
    }
    return at;
  }

  private Assignment assignment(String name, int useLine) {
    List<Assignment> all = assignments.get(name);
    if (all == null) {
      return null;
    }
    Assignment last = null;
    for (Assignment a : all) {
      if (a.line() < useLine) {
        last = a;
      }
    }
    return last;
  }

  private static int lineOf(Node n) {
    if (n instanceof BinOp b) {
      return lineOf(b.left());
    }
    if (n instanceof Call c && c.receiver() != null) {
      return lineOf(c.receiver());
    }
    return n.line();
  }

  /** The string {@code n} gives, placeholders for its non-literal parts; null when none is. */
  private String value(Node n, int useLine, int depth) {
    if (depth > MAX_DEPTH) {
      return null;
    }
    if (n instanceof Str s) {
      return fields(s.value(), useLine, depth);
    }
    if (n instanceof Name x) {
      return nameValue(x.dotted(), useLine, depth);
    }
    if (n instanceof BinOp b) {
      return binary(b, useLine, depth);
    }
    if (n instanceof Seq seq && seq.items().size() == 1) {
      return value(seq.items().get(0), useLine, depth + 1); // ("a" "b")
    }
    if (n instanceof Call c) {
      return call(c, useLine, depth);
    }
    return null;
  }

  private String nameValue(String name, int useLine, int depth) {
    Assignment a = assignment(name, useLine);
    if (a == null) {
      return null;
    }
    String v = value(a.value(), a.line(), depth + 1);
    if (!a.augmented() || v == null) {
      return v;
    }
    String before = nameValue(name, a.line(), depth + 1);
    return before == null ? null : before + v;
  }

  private String binary(BinOp b, int useLine, int depth) {
    if (b.op().equals("+")) {
      String l = value(b.left(), useLine, depth + 1);
      String r = value(b.right(), useLine, depth + 1);
      if (l == null && r == null) {
        return null;
      }
      return (l == null ? PARAM : l) + (r == null ? PARAM : r);
    }
    if (b.op().equals("%")) {
      String template = value(b.left(), useLine, depth + 1);
      return template == null ? null : percent(template, b.right(), useLine, depth);
    }
    return null;
  }

  private String call(Call c, int useLine, int depth) {
    String name = c.simpleName();
    if (c.receiver() != null) {
      String on = value(c.receiver(), useLine, depth + 1);
      if (on == null) {
        return null;
      }
      if (name.equals("format")) {
        return format(on, c, useLine, depth);
      }
      if (KEEPS_TEXT.contains(name) && c.args().isEmpty()) {
        return on; // SQL does not care about the surrounding whitespace
      }
      if (name.equals("join") && c.args().size() == 1) {
        Node items = resolved(c.args().get(0), useLine);
        if (items instanceof Seq seq) {
          List<String> parts = new ArrayList<>();
          for (Node i : seq.items()) {
            parts.add(argument(i, useLine, depth));
          }
          return String.join(on, parts);
        }
      }
      return null;
    }
    if ((name.equals("dedent") || name.equals("cleandoc")) && c.args().size() == 1) {
      return value(c.args().get(0), useLine, depth + 1);
    }
    return null;
  }

  /** A format argument: its literal text (a string or a number), else {@link #PARAM}. */
  private String argument(Node n, int useLine, int depth) {
    Node target = resolved(n, useLine);
    if (target instanceof Other o && NUMBER.matcher(o.text()).matches()) {
      return o.text();
    }
    String v = value(n, useLine, depth + 1);
    return v == null ? PARAM : v;
  }

  /** Replaces f-string fields: a name with a literal value by that value, others by a param. */
  private String fields(String value, int useLine, int depth) {
    if (value.indexOf(PythonSource.HOLE_START) < 0) {
      return value;
    }
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int s = value.indexOf(PythonSource.HOLE_START, i);
      int e = s < 0 ? -1 : value.indexOf(PythonSource.HOLE_END, s);
      if (s < 0 || e < 0) {
        sb.append(value, i, value.length());
        break;
      }
      sb.append(value, i, s);
      String expr = value.substring(s + 1, e);
      String v;
      if (expr.matches("[A-Za-z_]\\w*")) {
        v = argument(new Name(expr, useLine), useLine, depth);
      } else if (QUOTED.matcher(expr).matches() || NUMBER.matcher(expr).matches()) {
        v = QUOTED.matcher(expr).matches() ? expr.substring(1, expr.length() - 1) : expr;
      } else {
        v = null;
      }
      sb.append(v == null ? PARAM : v);
      i = e + 1;
    }
    return sb.toString();
  }

  private String percent(String template, Node args, int useLine, int depth) {
    Node target = resolved(args, useLine);
    List<Node> positional = target instanceof Seq seq ? seq.items() : List.of(args);
    Map<String, Node> named = target instanceof Dict d ? d.entries() : Map.of();
    Matcher m = PERCENT.matcher(template);
    StringBuilder sb = new StringBuilder();
    int next = 0;
    while (m.find()) {
      String replacement;
      if (m.group(2).equals("%")) {
        replacement = "%";
      } else if (m.group(1) != null) {
        Node v = named.get(m.group(1));
        replacement = v == null ? PARAM : argument(v, useLine, depth);
      } else {
        replacement =
            next < positional.size() ? argument(positional.get(next++), useLine, depth) : PARAM;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String format(String template, Call c, int useLine, int depth) {
    Matcher m = FIELD.matcher(template);
    StringBuilder sb = new StringBuilder();
    int next = 0;
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = m.group().substring(1); // {{ or }}
      } else {
        String field = m.group(1).replaceAll("[!:].*$", "").strip();
        Node v;
        if (field.isEmpty()) {
          v = next < c.args().size() ? c.args().get(next++) : null;
        } else if (field.matches("\\d+")) {
          int k = Integer.parseInt(field);
          v = k < c.args().size() ? c.args().get(k) : null;
        } else {
          v = c.kwargs().get(field); // an attribute or index of an argument stays a param
        }
        replacement = v == null ? PARAM : argument(v, useLine, depth);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
