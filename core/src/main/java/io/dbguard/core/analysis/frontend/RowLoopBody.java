package io.dbguard.core.analysis.frontend;

import static io.dbguard.core.analysis.frontend.RowLoops.args;
import static io.dbguard.core.analysis.frontend.RowLoops.filterArgs;
import static io.dbguard.core.analysis.frontend.RowLoops.join;
import static io.dbguard.core.analysis.frontend.RowLoops.model;

import io.dbguard.core.analysis.frontend.PythonSource.Kind;
import io.dbguard.core.analysis.frontend.PythonSource.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the body of one row loop of {@link RowLoops} does: the attributes of the row it assigns,
 * whether it saves or deletes the row, whether it tests each row, and the other rows it writes with
 * values read from the row ({@link Write}). Part of {@link RowLoops}.
 */
final class RowLoopBody {

  private RowLoopBody() {}

  /**
   * A write of other rows from the loop's row, its values all read from the row: {@code
   * row.actions.update(org=row.org)} ({@code model} {@code null}, {@code receiver} the related
   * manager {@code row.actions}) or {@code Action.objects.filter(case=row).update(…)} ({@code
   * model} {@code Action}).
   */
  record Write(int line, String model, String receiver, String text, List<String> columns) {}

  /** What the body of one loop does. */
  static final class Body {
    final List<String> assigned = new ArrayList<>();

    /** Other rows written with values read from the row ({@link Write}). */
    final List<Write> writes = new ArrayList<>();

    int end;
    boolean saved;
    boolean tested;
    boolean derived = true;

    /** An attribute was assigned under an {@code if} of the body. */
    boolean guarded;

    /** The row is deleted ({@code r.delete()}). */
    boolean deleted;

    /** The row is deleted only under an {@code if}, {@code continue} or {@code break}. */
    boolean deletedUnderIf;
  }

  /**
   * Reads the body of the loop over {@code var} from logical line {@code from}: the attributes it
   * assigns, whether it saves the row, and whether it tests each row. An {@code if} that only
   * guards assignments, the row saved after it unconditionally ({@code if p.name: p.slug = …} then
   * {@code p.save()}), chooses no rows: every row is written, with values that depend on the row. A
   * save, {@code continue} or {@code break} under an {@code if} is a test of the row.
   */
  static Body body(
      List<List<Token>> all,
      String[] lines,
      int from,
      int indent,
      String var,
      String model,
      Set<String> outer) {
    Body out = new Body();
    java.util.ArrayDeque<Integer> ifs = new java.util.ArrayDeque<>();
    // per open if: the attribute it only tests for a value to lose (if r.code:), else ""
    java.util.ArrayDeque<String> clearing = new java.util.ArrayDeque<>();
    Set<String> setToConstant = new java.util.HashSet<>();
    // locals computed from the row (latest = r.visits.latest("at")), so values read through them
    // depend on the row too
    Set<String> fromRow = new java.util.HashSet<>();
    fromRow.add(var);
    fromRow.addAll(outer); // the rows of the enclosing loops: for r in p.items.all(): r.x = p.x
    int j = from;
    for (; j < all.size(); j++) {
      List<Token> line = all.get(j);
      int at = PythonSource.indent(lines, line.get(0).line());
      if (at <= indent) {
        break;
      }
      while (!ifs.isEmpty() && ifs.peek() >= at) {
        ifs.pop();
        clearing.pop();
      }
      boolean underIf = !ifs.isEmpty();
      Token h = line.get(0);
      if (h.is("continue") || h.is("break")) {
        out.tested = true;
      } else if ((h.is("if") || h.is("elif") || h.is("else")) && !batchFlush(line, var)) {
        ifs.push(at);
        clearing.push(h.is("if") ? valueTest(line, var) : "");
      }
      if (line.size() > 2
          && h.kind() == Kind.NAME
          && !h.is(var)
          && line.get(1).is("=")
          && line.subList(2, line.size()).stream().anyMatch(t -> fromRow.contains(t.text()))) {
        fromRow.add(h.text());
      }
      if (line.size() > 3 && h.is(var) && line.get(1).is(".") && line.get(3).is("=")) {
        String attr = line.get(2).text();
        List<Token> value = line.subList(4, line.size());
        if (value.size() == 1 && (value.get(0).kind() != Kind.NAME || isLiteral(value.get(0)))) {
          setToConstant.add(attr);
        }
        out.assigned.add(attr);
        // if r.code: r.code = "" guards nothing: the row had nothing to lose
        boolean clearsOnly =
            setToConstant.contains(attr)
                && clearing.stream().allMatch(a -> !a.isEmpty())
                && clearing.contains(attr);
        out.derived &=
            value.stream().anyMatch(t -> t.kind() == Kind.NAME && fromRow.contains(t.text()))
                && !inPlaceCall(value, var, attr);
        out.guarded |= underIf && !clearsOnly;
      }
      for (int t = 0; t + 3 < line.size(); t++) {
        if (line.get(t).is(var)
            && line.get(t + 1).is(".")
            && line.get(t + 2).is("delete")
            && line.get(t + 3).is("(")) {
          out.deleted = true;
          out.deletedUnderIf |= underIf || out.tested;
        }
      }
      // objs.append(Model(id=var, field=value, …)) for a later bulk_update: the same update
      for (Map.Entry<String, List<Token>> e : constructed(line, model, var).entrySet()) {
        out.assigned.add(e.getKey());
        out.derived &= e.getValue().stream().anyMatch(t -> t.is(var));
        out.tested |= underIf;
      }
      for (int t = 0; t + 2 < line.size(); t++) {
        boolean helper = // save_quietly(r), disable_auto_now_and_save(r)
            line.get(t).kind() == Kind.NAME
                && line.get(t).text().toLowerCase(java.util.Locale.ROOT).contains("save")
                && line.get(t + 1).is("(")
                && line.get(t + 2).is(var)
                && (t == 0 || !line.get(t - 1).is("."));
        if (helper
            || line.get(t).is(var) && line.get(t + 1).is(".") && line.get(t + 2).is("save")) {
          out.saved = true;
          // if r.code: r.code = "" — the test only skips rows with nothing to lose
          boolean clearsOnly =
              clearing.stream().allMatch(a -> !a.isEmpty() && setToConstant.contains(a));
          out.tested |= underIf && !clearsOnly;
        }
      }
      if (!out.saved && underIf && line.stream().anyMatch(t -> t.is("append"))) {
        out.tested = true; // objects collected under a test for a later bulk_update
      }
      Write w = write(line, var, fromRow);
      if (w != null && !underIf) {
        out.writes.add(w);
      }
    }
    if (out.saved) {
      // r.data.update(k=r.x) then r.save(): a dict of the row changed, not a related manager
      out.writes.removeIf(w -> w.model() == null);
    }
    out.end = j;
    return out;
  }

  /**
   * The write of other rows from the row {@code var} that {@code line} makes, or {@code null}: an
   * {@code update(…)} whose keyword values all read the row ({@code fromRow}) on a related manager
   * of the row ({@code var.actions.update(…)}, {@code var.actions.all().update(…)}) or on a model's
   * queryset filtered only by the row ({@code Action.objects.filter(case=var).update(…)}, {@code
   * Case.objects.filter(pk=var.pk).update(…)}).
   */
  private static Write write(List<Token> line, String var, Set<String> fromRow) {
    int s = line.size() > 2 && line.get(0).kind() == Kind.NAME && line.get(1).is("=") ? 2 : 0;
    int u = s + 1;
    while (u + 1 < line.size()
        && !(line.get(u).is("update") && line.get(u - 1).is(".") && line.get(u + 1).is("("))) {
      u++;
    }
    if (u + 1 >= line.size()) {
      return null;
    }
    List<String> args = args(join(line.subList(u + 1, line.size())));
    if (args == null || args.isEmpty()) {
      return null;
    }
    List<String> columns = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0
          || !a.substring(0, eq).matches("\\w+")
          || !readsRow(a.substring(eq + 1), fromRow)) {
        return null;
      }
      columns.add(a.substring(0, eq).toLowerCase(java.util.Locale.ROOT));
    }
    String receiver = join(line.subList(s, u - 1));
    String text = join(line.subList(s, line.size()));
    java.util.regex.Matcher rel =
        java.util.regex.Pattern.compile("(\\w+)\\.(\\w+)(?:\\.all\\(\\))?").matcher(receiver);
    if (rel.matches() && rel.group(1).equals(var) && !rel.group(2).equals("objects")) {
      return new Write(line.get(s).line(), null, rel.group(1) + "." + rel.group(2), text, columns);
    }
    String other = model(receiver);
    List<String> keys = filterArgs(receiver);
    if (other == null || keys == null || keys.isEmpty()) {
      return null;
    }
    for (String k : keys) {
      int eq = k.indexOf('=');
      if (eq <= 0 || !readsRow(k.substring(eq + 1), fromRow)) {
        return null;
      }
    }
    return new Write(line.get(s).line(), other, receiver, text, columns);
  }

  /**
   * Whether a value's text starts with a name of {@code fromRow} ({@code case.org}, {@code case}).
   */
  static boolean readsRow(String value, Set<String> fromRow) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\w+)").matcher(value);
    return m.find() && fromRow.contains(m.group(1));
  }

  /**
   * The attribute an {@code if} line only tests for a value ({@code if r.code:}, {@code if r.code
   * is not None:}, {@code if r.code != "":}), else {@code ""}.
   */
  private static String valueTest(List<Token> line, String var) {
    if (line.size() < 5 || !line.get(1).is(var) || !line.get(2).is(".")) {
      return "";
    }
    String attr = line.get(3).text();
    List<Token> rest = line.subList(4, line.size());
    String tail = join(rest);
    return tail.equals(":") || tail.equals("isnotNone:") || tail.equals("!=\"\":") ? attr : "";
  }

  private static boolean isLiteral(Token t) {
    return t.is("None") || t.is("True") || t.is("False");
  }

  /**
   * Whether {@code value} applies a function or method to the very attribute it replaces ({@code
   * r.code = make_hash(r.code)}, {@code r.code = r.code.upper()}) or scales, divides or masks it
   * ({@code r.interval = r.interval * 60}): an in-place transformation, which, as {@code SET c =
   * f(c)} or {@code SET c = c * 60} in SQL ({@link UpdateValues}), counts as an overwrite; {@code
   * r.n = r.n + 1} does not.
   */
  private static boolean inPlaceCall(List<Token> value, String var, String attr) {
    boolean reads = false;
    for (int t = 0; t + 2 < value.size(); t++) {
      if (value.get(t).is(var) && value.get(t + 1).is(".") && value.get(t + 2).is(attr)) {
        reads = true;
      }
    }
    return reads
        && value.stream()
            .anyMatch(
                t -> t.is("(") || t.is("*") || t.is("/") || t.is("%") || t.is("&") || t.is("|"));
  }

  /**
   * The keyword arguments other than the key of {@code Model(id=var, f=value, …)} (or {@code pk=})
   * in {@code line}, when it builds an instance of the loop's model for the row {@code var} names;
   * empty otherwise.
   */
  private static Map<String, List<Token>> constructed(List<Token> line, String model, String var) {
    Map<String, List<Token>> out = new java.util.LinkedHashMap<>();
    if (model == null) {
      return out;
    }
    for (int i = 0; i + 1 < line.size(); i++) {
      if (!line.get(i).is(model)
          || !line.get(i + 1).is("(")
          || (i > 0 && line.get(i - 1).is("."))) {
        continue;
      }
      boolean keyed = false;
      int depth = 0;
      int start = i + 2;
      for (int t = i + 1; t < line.size(); t++) {
        Token tk = line.get(t);
        if (tk.is("(") || tk.is("[") || tk.is("{")) {
          depth++;
        } else if (tk.is(")") || tk.is("]") || tk.is("}")) {
          depth--;
        }
        boolean end = depth == 0 || (depth == 1 && tk.is(","));
        if (end && t > start) {
          List<Token> arg = line.subList(start, t);
          if (arg.size() > 2 && arg.get(0).kind() == Kind.NAME && arg.get(1).is("=")) {
            String key = arg.get(0).text();
            List<Token> value = arg.subList(2, arg.size());
            if ((key.equals("id") || key.equals("pk"))
                && value.size() == 1
                && value.get(0).is(var)) {
              keyed = true;
            } else {
              out.put(key, value);
            }
          }
          start = t + 1;
        }
        if (depth == 0) {
          break;
        }
      }
      return keyed ? out : new java.util.LinkedHashMap<>();
    }
    return out;
  }

  /**
   * {@code if len(batch) >= size:}: a flush of the objects collected so far, not a test of the row
   * (the row variable {@code var} does not appear in it).
   */
  private static boolean batchFlush(List<Token> line, String var) {
    return line.size() > 2
        && line.get(0).is("if")
        && line.get(1).is("len")
        && line.stream().noneMatch(t -> t.is(var));
  }
}
