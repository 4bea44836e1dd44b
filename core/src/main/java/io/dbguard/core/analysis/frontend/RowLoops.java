package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.PythonSource.Kind;
import io.dbguard.core.analysis.frontend.PythonSource.Token;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.Where;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Row-by-row updates in Django {@code RunPython} code: a {@code for} loop over the rows of a model
 * ({@code for b in Bed.objects.all():}, {@code .filter(...)}, {@code .iterator()}, a variable
 * holding such a queryset) whose body assigns attributes of the row and saves it ({@code b.save()},
 * or {@code bulk_update} later in the file). It is the ORM form of an {@code UPDATE} and is judged
 * as that SQL would be. Over every row it is an {@code UPDATE} without {@code WHERE}: assigning
 * constants or values not read from the row overwrites every row (DBG112), assigning values
 * computed from the row is a backfill (DBG223). A filtered or sliced queryset, or a body that tests
 * each row (a save or an {@code append} under {@code if}/{@code elif}/{@code else}, {@code
 * continue}/{@code break}), is an {@code UPDATE} with a real {@code WHERE}; an {@code if} that only
 * guards assignments, the row saved after it, writes every row with values that depend on the row
 * (a backfill); an {@code if len(batch) >= n:} that flushes collected objects is no test of the
 * row. A {@code try} or {@code with} around the assignment scopes nothing. A loop over the ids of
 * such a queryset ({@code ids = list(Page.objects.values_list("id", flat=True))}) that builds
 * {@code Page(id=pk, sort_order=n)} objects for a later {@code bulk_update} is the same update of
 * the fields it sets. Loops inside reverse functions are skipped: they run only when the migration
 * is unapplied.
 */
final class RowLoops {

  private RowLoops() {}

  private static final Set<String> SCOPING = Set.of(".filter(", ".exclude(", ".get(", "[");

  /**
   * @param toks the file's tokens
   * @param lines the file's source lines (for indentation)
   * @param reverseFunctions names of functions given as RunPython {@code reverse_code}
   * @param tables the table of a model class name
   * @return one {@code Update} per loop that assigns and saves: where {@code NONE} over every row,
   *     {@code REAL} when the queryset is filtered or the body tests each row
   */
  static List<Operation> find(
      List<Token> toks,
      String[] lines,
      Set<String> reverseFunctions,
      java.util.function.UnaryOperator<String> tables) {
    List<Operation> out = new ArrayList<>();
    Map<String, String> querysets = new HashMap<>();
    List<List<Token>> all = logicalLines(toks);
    int reverseIndent = -1;
    for (int k = 0; k < all.size(); k++) {
      List<Token> line = all.get(k);
      int indent = PythonSource.indent(lines, line.get(0).line());
      if (reverseIndent >= 0 && indent <= reverseIndent) {
        reverseIndent = -1;
      }
      if (line.get(0).is("def") && line.size() > 1) {
        if (reverseFunctions.contains(line.get(1).text())) {
          reverseIndent = indent;
        }
        continue;
      }
      if (reverseIndent >= 0) {
        continue;
      }
      if (line.size() > 2 && line.get(0).kind() == Kind.NAME && line.get(1).is("=")) {
        querysets.put(line.get(0).text(), join(line.subList(2, line.size())));
        continue;
      }
      if (!line.get(0).is("for") || line.size() < 5 || !line.get(2).is("in")) {
        continue;
      }
      String var = line.get(1).text();
      String iter = join(line.subList(3, line.size() - 1));
      iter = querysets.getOrDefault(iter, iter);
      String model = model(iter);
      if (model == null) {
        continue;
      }
      Body body = body(all, lines, k + 1, indent, var, model);
      int j = body.end;
      boolean saved = body.saved;
      for (int r = j; r < all.size() && !saved; r++) {
        saved = all.get(r).stream().anyMatch(t -> t.is("bulk_update"));
      }
      boolean scoped = SCOPING.stream().anyMatch(iter::contains) || body.tested;
      boolean derived = body.derived || (body.guarded && saved && !scoped);
      if (body.deleted) {
        // for r in M.objects.all(): r.delete() — a DELETE of every row the loop visits
        out.add(
            new Operation.Delete(
                line.get(0).line(),
                tables.apply(model),
                scoped || body.deletedUnderIf ? Where.REAL : Where.NONE,
                "for " + var + " in " + iter + ": " + var + ".delete()"));
      }
      if (saved && !body.assigned.isEmpty()) {
        String text =
            "for "
                + var
                + " in "
                + iter
                + ": "
                + String.join(", ", body.assigned.stream().map(a -> var + "." + a).toList())
                + " set and saved";
        out.add(
            new Operation.Update(
                line.get(0).line(),
                tables.apply(model),
                scoped ? Where.REAL : Where.NONE,
                text,
                derived && !scoped));
      }
      k = j - 1;
    }
    return out;
  }

  /** What the body of one loop does. */
  private static final class Body {
    final List<String> assigned = new ArrayList<>();
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
  private static Body body(
      List<List<Token>> all, String[] lines, int from, int indent, String var, String model) {
    Body out = new Body();
    java.util.ArrayDeque<Integer> ifs = new java.util.ArrayDeque<>();
    // per open if: the attribute it only tests for a value to lose (if r.code:), else ""
    java.util.ArrayDeque<String> clearing = new java.util.ArrayDeque<>();
    Set<String> setToConstant = new java.util.HashSet<>();
    // locals computed from the row (latest = r.visits.latest("at")), so values read through them
    // depend on the row too
    Set<String> fromRow = new java.util.HashSet<>();
    fromRow.add(var);
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
    }
    out.end = j;
    return out;
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

  /**
   * A model's custom manager ({@code Facility.handleref.all()}, {@code Page.live.iterator()}): a
   * capitalised class name, a manager attribute, then a queryset method.
   */
  private static final java.util.regex.Pattern CUSTOM_MANAGER =
      java.util.regex.Pattern.compile(
          "^([A-Z]\\w*)\\.[a-z_]\\w*\\.(?:all|iterator|filter|exclude|select_related"
              + "|prefetch_related|only|defer|order_by)\\(");

  /**
   * The model a loop iterates over: through {@code objects} or {@code _default_manager} ({@link
   * DjangoCode#modelOf}) or a custom manager ({@link #CUSTOM_MANAGER}); {@code null} when {@code
   * iter} is not a queryset.
   */
  private static String model(String iter) {
    String m = DjangoCode.modelOf(iter);
    if (m != null) {
      return m;
    }
    java.util.regex.Matcher c = CUSTOM_MANAGER.matcher(iter);
    return c.find() ? c.group(1) : null;
  }

  private static List<List<Token>> logicalLines(List<Token> toks) {
    List<List<Token>> out = new ArrayList<>();
    List<Token> cur = new ArrayList<>();
    for (Token t : toks) {
      if (t.kind() == Kind.NEWLINE) {
        if (!cur.isEmpty()) {
          out.add(cur);
          cur = new ArrayList<>();
        }
      } else {
        cur.add(t);
      }
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  private static String join(List<Token> toks) {
    StringBuilder sb = new StringBuilder();
    for (Token t : toks) {
      sb.append(t.kind() == Kind.STRING ? "\"" + t.text() + "\"" : t.text());
    }
    return sb.toString();
  }
}
