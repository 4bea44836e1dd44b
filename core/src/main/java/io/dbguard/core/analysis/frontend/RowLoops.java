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
 * the fields it sets. A loop over every row that writes other rows with values read from the row
 * ({@code r.actions.update(org=r.org)}, {@code Action.objects.filter(case=r).update(…)}, {@code
 * Case.objects.filter(pk=r.pk).update(…)}) is a backfill of those rows. Batches are read through: a
 * loop over a batch of a queryset ({@code for batch in chunks(qs, 1000): for r in batch:}, a {@code
 * Paginator}'s pages) is a loop over the queryset; a loop over the children of a row of an
 * enclosing loop over every row ({@code Child.objects.filter(parent=p)}, {@code p.children.all()})
 * and a filter only on the field being filled ({@code filter(f__isnull=True)}) leave out no row a
 * backfill visits. Loops inside reverse functions are skipped: they run only when the migration is
 * unapplied.
 */
final class RowLoops {

  private RowLoops() {}

  private static final Set<String> SCOPING = Set.of(".filter(", ".exclude(", ".get(", "[");

  /**
   * @param toks the file's tokens
   * @param lines the file's source lines (for indentation)
   * @param reverseFunctions names of functions given as RunPython {@code reverse_code}
   * @param tables the table of a model class name
   * @param writeLines receives the lines of the per-row writes ({@code
   *     Other.objects.filter(parent=row).update(…)}) that a backfill found here stands for, so that
   *     the scoped update such a line alone would be is not judged a second time
   * @return one {@code Update} per loop that assigns and saves: where {@code NONE} over every row,
   *     {@code REAL} when the queryset is filtered or the body tests each row; one {@code Update}
   *     (a backfill) per write of other rows from each row of a loop over every row
   */
  static List<Operation> find(
      List<Token> toks,
      String[] lines,
      Set<String> reverseFunctions,
      java.util.function.UnaryOperator<String> tables,
      Set<Integer> writeLines) {
    List<Operation> out = new ArrayList<>();
    Map<String, String> querysets = new HashMap<>();
    // the loops over every row (unscoped) that enclose the line
    java.util.ArrayDeque<Open> open = new java.util.ArrayDeque<>();
    List<List<Token>> all = logicalLines(toks);
    int reverseIndent = -1;
    for (int k = 0; k < all.size(); k++) {
      List<Token> line = all.get(k);
      int indent = PythonSource.indent(lines, line.get(0).line());
      while (!open.isEmpty() && open.peek().indent() >= indent) {
        open.pop();
      }
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
        querysets.put(line.get(0).text(), resolve(line.subList(2, line.size()), querysets));
        continue;
      }
      if (!line.get(0).is("for") || line.size() < 5 || !line.get(2).is("in")) {
        continue;
      }
      String var = line.get(1).text();
      String iter = resolve(line.subList(3, line.size() - 1), querysets);
      String model = model(iter);
      // for reply in ticket.replies.all(): the rows of a related manager of an enclosing row
      Set<String> outer = new java.util.HashSet<>();
      open.forEach(o -> outer.add(o.var()));
      String related = model == null ? relatedRows(iter, outer) : null;
      if (model == null && related == null) {
        continue;
      }
      if (iterated(all, lines, k + 1, indent, var)) {
        // for batch in chunks(qs, 1000): for row in batch: — the loop inside walks the rows
        querysets.put(var, iter);
        continue;
      }
      String table = related != null ? related : tables.apply(model);
      RowLoopBody.Body body = RowLoopBody.body(all, lines, k + 1, indent, var, model, outer);
      int j = body.end;
      boolean saved = body.saved;
      for (int r = j; r < all.size() && !saved; r++) {
        saved = all.get(r).stream().anyMatch(t -> t.is("bulk_update"));
      }
      // a filter only on the fields the loop fills, or only on an enclosing row, scopes no row
      // that a backfill leaves out
      Set<String> filled = new java.util.HashSet<>(body.assigned);
      body.writes.stream()
          .filter(w -> model != null && model.equals(w.model()))
          .forEach(w -> filled.addAll(w.columns()));
      boolean derivedWrite =
          (body.derived && saved && !body.assigned.isEmpty()) || !body.writes.isEmpty();
      boolean scoped =
          (SCOPING.stream().anyMatch(iter::contains)
                  && !(derivedWrite && noScope(iter, filled, outer)))
              || body.tested;
      if (!scoped) {
        open.push(new Open(indent, var));
      }
      boolean derived = body.derived || (body.guarded && saved && !scoped);
      String header = "for " + var + " in " + iter + ": ";
      if (related != null && !(derived && !scoped)) {
        continue; // a related manager's rows written with constants: not judged here
      }
      if (body.deleted && related == null) {
        // for r in M.objects.all(): r.delete() — a DELETE of every row the loop visits
        out.add(
            new Operation.Delete(
                line.get(0).line(),
                table,
                scoped || body.deletedUnderIf ? Where.REAL : Where.NONE,
                header + var + ".delete()"));
      }
      if (saved && !body.assigned.isEmpty()) {
        String text =
            header
                + String.join(", ", body.assigned.stream().map(a -> var + "." + a).toList())
                + " set and saved";
        out.add(
            new Operation.Update(
                line.get(0).line(),
                table,
                scoped ? Where.REAL : Where.NONE,
                text,
                derived && !scoped));
      }
      if (!scoped) {
        for (RowLoopBody.Write w : body.writes) {
          if (!writeLines.add(w.line())) {
            continue; // also in the body of an enclosing loop, judged there
          }
          String target =
              w.model() == null ? "the rows of " + w.receiver() : tables.apply(w.model());
          out.add(
              new Operation.Update(
                  line.get(0).line(),
                  target,
                  Where.NONE,
                  header
                      + w.text()
                      + (target.equals(table)
                          ? ""
                          : " (fills " + target + " from each row of " + table + ")"),
                  true,
                  w.columns()));
        }
      }
    }
    return out;
  }

  /** A loop over every row that encloses the lines being read: its indent and row variable. */
  private record Open(int indent, String var) {}

  /**
   * Whether a queryset's only conditions ({@code .filter(…)}) leave out no row a backfill of the
   * fields {@code filled} visits: each tests one of those fields for NULL ({@code
   * org_name__isnull=True}, {@code org=None}) or keys the rows to a row of an enclosing loop over
   * every row ({@code filter(case=case)}, names {@code outer}).
   */
  private static boolean noScope(String iter, Set<String> filled, Set<String> outer) {
    List<String> conditions = filterArgs(iter);
    if (conditions == null
        || conditions.isEmpty()
        || iter.contains(".exclude(")
        || iter.contains(".get(")
        || iter.contains("[")) {
      return false;
    }
    Set<String> fields = new java.util.HashSet<>();
    filled.forEach(f -> fields.add(f.replaceFirst("_id$", "")));
    for (String c : conditions) {
      int eq = c.indexOf('=');
      if (eq <= 0) {
        return false;
      }
      String[] path = c.substring(0, eq).split("__");
      String value = c.substring(eq + 1);
      boolean isNull = path.length > 1 && path[path.length - 1].equals("isnull");
      String field = path[path.length - (isNull ? 2 : 1)].replaceFirst("_id$", "");
      boolean nulls =
          fields.contains(field) && (isNull ? value.equals("True") : value.equals("None"));
      if (!nulls && !RowLoopBody.readsRow(value, outer)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The arguments of every {@code .filter(…)} of a queryset's text, or {@code null} when one is
   * positional (a {@code Q} object: a condition not read here).
   */
  static List<String> filterArgs(String text) {
    List<String> out = new ArrayList<>();
    for (int i = text.indexOf(".filter("); i >= 0; i = text.indexOf(".filter(", i + 1)) {
      List<String> a = args(text.substring(i + ".filter".length()));
      if (a == null) {
        return null;
      }
      out.addAll(a);
    }
    return out;
  }

  /**
   * The top-level arguments of the call whose {@code (} starts {@code text} ({@link #join}ed text),
   * or {@code null} when one is positional or the parenthesis is not closed.
   */
  static List<String> args(String text) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 1;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (quoted) {
        continue;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if ((c == ')' || c == ']' || c == '}') && --depth == 0 || c == ',' && depth == 1) {
        String a = text.substring(start, i);
        if (!a.isEmpty()) {
          if (!a.matches("(?s)\\w+=[^=].*")) {
            return null;
          }
          out.add(a);
        }
        start = i + 1;
        if (depth == 0) {
          return out;
        }
      }
    }
    return null;
  }

  /**
   * Whether a loop over {@code var} from logical line {@code from} holds a loop over {@code var}
   * itself or its page's {@code object_list}: {@code var} is a batch of rows ({@code for batch in
   * chunks(qs, 1000): for row in batch:}), not a row.
   */
  private static boolean iterated(
      List<List<Token>> all, String[] lines, int from, int indent, String var) {
    for (int j = from; j < all.size(); j++) {
      List<Token> l = all.get(j);
      if (PythonSource.indent(lines, l.get(0).line()) <= indent) {
        return false;
      }
      String iter = l.get(0).is("for") && l.size() > 4 ? join(l.subList(3, l.size() - 1)) : "";
      if (iter.equals(var) || iter.equals(var + ".object_list")) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code p.items.all()}, {@code p.items.iterator()}, {@code p.items}: the rows of a related
   * manager of the row {@code p} of an enclosing loop over every row ({@code outer}), named "the
   * rows of p.items" (the related model's table is not known); else {@code null}.
   */
  private static String relatedRows(String iter, Set<String> outer) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\w+)\\.(\\w+)(?:\\.(?:all|iterator)\\(\\))?")
            .matcher(iter);
    return m.matches() && outer.contains(m.group(1)) && !m.group(2).equals("objects")
        ? "the rows of " + m.group(1) + "." + m.group(2)
        : null;
  }

  /** Calls that return one row or a number, not a queryset. */
  private static final java.util.regex.Pattern NOT_A_QUERYSET =
      java.util.regex.Pattern.compile(
          "\\.(get|first|last|latest|earliest|create|get_or_create|count|exists|aggregate)\\(");

  /**
   * The text of an expression's tokens ({@link #join}), each name that holds a queryset ({@code
   * querysets}) replaced by it: the name alone ({@code for c in cases:}, {@code chunked(cases,
   * 500)}), followed by a queryset method ({@code cases.iterator()}), or holding a queryset handed
   * to a call ({@code paginator.page(n).object_list} for {@code paginator = Paginator(qs, 500)},
   * {@code batch} for a loop's {@code for batch in chunks(qs, 1000)}). A name holding one row
   * ({@code .get(…)}, {@code .first()}) is kept.
   */
  private static String resolve(List<Token> expr, Map<String, String> querysets) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < expr.size(); i++) {
      Token t = expr.get(i);
      String value = t.kind() == Kind.NAME ? querysets.get(t.text()) : null;
      boolean attribute = i > 0 && expr.get(i - 1).is(".");
      boolean keyword = i + 1 < expr.size() && expr.get(i + 1).is("=");
      boolean dotted = i + 2 < expr.size() && expr.get(i + 1).is(".");
      if (value == null
          || value.length() > 2000 // resolved again and again: a chain of names, not a queryset
          || attribute
          || keyword
          || model(value) == null
          || NOT_A_QUERYSET.matcher(value).find()
          || dotted && !wrapped(value) && !DjangoCode.QUERYSET.contains(expr.get(i + 2).text())) {
        sb.append(join(List.of(t)));
      } else {
        sb.append(value);
      }
    }
    return sb.toString();
  }

  /**
   * Whether a queryset's text is handed to a call ({@code chunks(Case.objects.all(),1000)}, {@code
   * Paginator(qs,500)}) rather than being the queryset itself.
   */
  private static boolean wrapped(String text) {
    int i = text.indexOf(".objects");
    if (i < 0) {
      i = text.indexOf("._default_manager");
    }
    return i > 0
        && text.substring(0, i).replaceFirst("[\\w.]*get_model\\([^()]*\\)$", "M").contains("(");
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
  static String model(String iter) {
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

  static String join(List<Token> toks) {
    StringBuilder sb = new StringBuilder();
    for (Token t : toks) {
      sb.append(t.kind() == Kind.STRING ? "\"" + t.text() + "\"" : t.text());
    }
    return sb.toString();
  }
}
