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
 * each row ({@code if}/{@code elif}/{@code continue}/{@code break}), is an {@code UPDATE} with a
 * real {@code WHERE}; an {@code if len(batch) >= n:} that flushes collected objects is no test of
 * the row. A {@code try} or {@code with} around the assignment scopes nothing. A loop over the ids
 * of such a queryset ({@code ids = list(Page.objects.values_list("id", flat=True))}) that builds
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
      if (!(iter.contains(".objects") || iter.contains("._default_manager"))) {
        continue;
      }
      boolean saved = false;
      boolean scoped = SCOPING.stream().anyMatch(iter::contains);
      boolean derived = true;
      List<String> assigned = new ArrayList<>();
      String model = model(iter);
      int j = k + 1;
      for (; j < all.size(); j++) {
        List<Token> body = all.get(j);
        if (PythonSource.indent(lines, body.get(0).line()) <= indent) {
          break;
        }
        Token h = body.get(0);
        if ((h.is("if") || h.is("elif") || h.is("continue") || h.is("break"))
            && !batchFlush(body, var)) {
          scoped = true;
        }
        if (body.size() > 3 && h.is(var) && body.get(1).is(".") && body.get(3).is("=")) {
          assigned.add(body.get(2).text());
          derived &= body.subList(4, body.size()).stream().anyMatch(t -> t.is(var));
        }
        // objs.append(Model(id=var, field=value, …)) for a later bulk_update: the same update
        Map<String, List<Token>> built = constructed(body, model, var);
        if (!built.isEmpty()) {
          for (Map.Entry<String, List<Token>> e : built.entrySet()) {
            assigned.add(e.getKey());
            derived &= e.getValue().stream().anyMatch(t -> t.is(var));
          }
        }
        for (int t = 0; t + 2 < body.size(); t++) {
          if (body.get(t).is(var) && body.get(t + 1).is(".") && body.get(t + 2).is("save")) {
            saved = true;
          }
        }
      }
      for (int r = j; r < all.size() && !saved; r++) {
        saved = all.get(r).stream().anyMatch(t -> t.is("bulk_update"));
      }
      if (saved && !assigned.isEmpty()) {
        String text =
            "for "
                + var
                + " in "
                + iter
                + ": "
                + String.join(", ", assigned.stream().map(a -> var + "." + a).toList())
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

  private static String model(String iter) {
    return DjangoCode.modelOf(iter);
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
