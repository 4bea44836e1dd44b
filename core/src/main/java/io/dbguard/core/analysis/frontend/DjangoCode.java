package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.PythonSource.Call;
import io.dbguard.core.analysis.frontend.PythonSource.Kind;
import io.dbguard.core.analysis.frontend.PythonSource.Node;
import io.dbguard.core.analysis.frontend.PythonSource.Seq;
import io.dbguard.core.analysis.frontend.PythonSource.Token;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.SeedEffect;
import io.dbguard.core.analysis.model.Operation.Where;
import io.dbguard.core.analysis.model.Suppression;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code of a Django migration or seed script outside its {@code operations} list (RunPython
 * functions, a seed's statements), scanned line by line for ORM calls and guard clauses; see {@link
 * DjangoFrontEnd} for what each call means. The bodies of the migration's reverse functions are
 * skipped: they run only when it is unapplied. A variable assigned a queryset ({@code stale =
 * Parrot.objects.filter(...)}) stands for that queryset in later calls ({@code stale.update(...)},
 * {@code stale.delete()}), so they are judged as the SQL they run would be. In a seed, a
 * get-or-create looked up by a random value ({@link PythonRandomValues}) creates a row on every
 * run, and a call of a function the seed imports is a {@link Operation.LoadFile#FUNCTION} load,
 * judged by that function's body when the module is in the project.
 */
final class DjangoCode {

  private final boolean seedMode;
  private final Set<String> reverseFunctions;
  private final Supplier<PythonSqlText> sqlText;
  private final UnaryOperator<String> tables;

  /** Variables holding a queryset, mapped to its text ({@code Parrot.objects.filter(...)}). */
  private final Map<String, String> querysets = new HashMap<>();

  private static final Pattern GET_MODEL = Pattern.compile("[\"'](?:[\\w.]*\\.)?(\\w+)[\"']\\)$");

  /** Queryset methods that return a queryset (what a variable then holds). */
  static final Set<String> QUERYSET =
      Set.of(
          "all",
          "filter",
          "exclude",
          "iterator",
          "order_by",
          "only",
          "defer",
          "distinct",
          "using",
          "select_related",
          "prefetch_related",
          "annotate",
          "select_for_update");

  /**
   * @param seedMode whether the file is analysed as a seed
   * @param reverseFunctions names of the functions given as RunPython {@code reverse_code}
   * @param sqlText reads the SQL given to {@code cursor.execute}
   * @param tables the table of a model class name ({@code null}: unknown model)
   */
  DjangoCode(
      boolean seedMode,
      Set<String> reverseFunctions,
      Supplier<PythonSqlText> sqlText,
      UnaryOperator<String> tables) {
    this.seedMode = seedMode;
    this.reverseFunctions = reverseFunctions;
    this.sqlText = sqlText;
    this.tables = tables;
  }

  /** The factory_boy factories and model_bakery names the code imports or defines. */
  private PythonFactories factories = PythonFactories.of("");

  /** The loop over rows that lack a related row whose body is being scanned, or {@code null}. */
  private MissingRowsLoop fillLoop;

  /** The names and modules a seed imports, for the calls of its project's functions. */
  private DjangoImports imports = DjangoImports.none();

  /** The random values of the seed, for get-or-create lookups. */
  private PythonRandomValues random = PythonRandomValues.of("");

  /**
   * Appends the operations the code performs to {@code ops}.
   *
   * @param fileImports the imports of the file ({@link DjangoImports#of}), read in seed mode
   */
  void scan(
      String src,
      PythonSource ps,
      DjangoImports fileImports,
      List<Operation> ops,
      List<Suppression> sups) {
    String[] lines = src.split("\n", -1);
    List<Token> toks = ps.tokens();
    querysets.clear();
    factories = PythonFactories.of(seedMode ? src : "");
    random = PythonRandomValues.of(seedMode ? src : "");
    imports = seedMode ? fileImports : DjangoImports.none();
    fillLoop = null;
    Set<String> newVars = new HashSet<>();
    int guardIndent = -1;
    int positiveTestIndent = -1; // an `if X.exists():` whose else block is guarded
    int reverseIndent = -1;
    boolean inOperations = false;
    for (int i = 0; i < toks.size(); i++) {
      Token t = toks.get(i);
      boolean lineStart = i == 0 || toks.get(i - 1).kind() == Kind.NEWLINE;
      if (!lineStart || t.kind() == Kind.NEWLINE) {
        continue;
      }
      int indent = PythonSource.indent(lines, t.line());
      if (guardIndent >= 0 && indent <= guardIndent) {
        guardIndent = -1;
      }
      if (t.is("else") && indent == positiveTestIndent) {
        guardIndent = indent; // the else of `if X.exists():` runs only when no row exists
        positiveTestIndent = -1;
        continue;
      }
      if (positiveTestIndent >= 0 && indent <= positiveTestIndent) {
        positiveTestIndent = -1;
      }
      if (reverseIndent >= 0 && indent <= reverseIndent) {
        reverseIndent = -1;
      }
      if (fillLoop != null && indent <= fillLoop.indent()) {
        fillLoop = null;
      }
      if (t.is("for") && seedMode) {
        fillLoop = MissingRowsLoop.of(ps, i, indent, querysets);
      }
      if (t.is("def") && i + 1 < toks.size() && reverseFunctions.contains(toks.get(i + 1).text())) {
        reverseIndent = indent; // the body of a reverse function: not the forward migration
        continue;
      }
      if (reverseIndent >= 0) {
        continue;
      }
      if (t.is("operations")) {
        continue; // the operations list is handled above
      }
      int end = i;
      while (end < toks.size() && toks.get(end).kind() != Kind.NEWLINE) {
        end++;
      }
      List<Token> line = toks.subList(i, end);
      boolean existence =
          line.stream().anyMatch(x -> x.is("exists") || x.is("count") || x.is("first"));
      if ((t.is("if") || t.is("elif")) && existence) {
        if (existenceTest(line, indent, lines, toks, end, ops)) {
          guardIndent = indent;
        } else if (t.is("if") && truthTest(line)) {
          positiveTestIndent = indent;
        }
        continue;
      }
      int start = i;
      String assigned = null;
      int value = assignedValue(line);
      if (value > 0) {
        assigned = value == 2 && line.get(0).kind() == Kind.NAME ? line.get(0).text() : null;
        start = i + value;
      }
      if (t.is("def") || t.is("class") || t.is("import") || t.is("from")) {
        continue;
      }
      if (t.is("return")) {
        if (end == i + 1) {
          continue; // a bare return runs nothing
        }
        start = i + 1; // return qs.delete(): the value runs before it is returned
      }
      Node expr = ps.parseAt(start);
      if (assigned != null) {
        if (expr instanceof Call q
            && QUERYSET.contains(q.simpleName())
            && modelOf(q.callee()) != null) {
          querysets.put(assigned, PythonSource.text(expr));
        } else {
          querysets.remove(assigned);
        }
        random.assigned(assigned, expr, t.line());
      }
      scanCalls(expr, assigned, guardIndent >= 0, newVars, ops, sups, srcLine(lines, t.line()));
      i = Math.max(i, end - 1);
    }
  }

  private void scanCalls(
      Node n,
      String assigned,
      boolean guarded,
      Set<String> newVars,
      List<Operation> ops,
      List<Suppression> sups,
      String text) {
    if (n instanceof Call c) {
      String callee = resolve(c.callee());
      String name = c.simpleName();
      int line = c.line();
      String model = modelOf(callee);
      boolean scoped =
          callee.contains(".filter(") || callee.contains(".exclude(") || callee.contains(".get(");
      if (seedMode && (factories.saves(c.callee()) || factories.bakes(c.callee()))) {
        factoryCreate(c, line, guarded, ops, text);
        return;
      }
      Operation.SeedCall write = seedWrite(c, callee, model, guarded, newVars, text);
      if (write != null) {
        ops.add(write);
        return;
      }
      switch (name) {
        case "delete" -> {
          if (deletesRows(callee, c)) {
            boolean queryset = callee.contains("objects") || callee.contains("_default_manager");
            Where w = queryset && !scoped ? Where.NONE : Where.REAL;
            if (seedMode) {
              ops.add(new Operation.SeedCall(line, model, SeedEffect.DESTRUCTIVE, text.strip()));
            } else {
              ops.add(new Operation.Delete(line, tables.apply(model), w, text.strip()));
            }
            return;
          }
        }
        case "update" -> {
          if ((callee.contains("objects") || callee.contains("_default_manager")) && !seedMode) {
            ops.add(update(c, line, model, scoped, text));
            return;
          }
        }
        case "execute", "executemany" -> {
          execute(c, ops);
          return;
        }
        case "call_command" -> {
          callCommand(c, line, ops, text);
          return;
        }
        default -> {}
      }
      String function = seedMode ? projectFunction(c.callee()) : null;
      if (function != null) {
        ops.add(
            new Operation.LoadFile(
                line, Operation.LoadFile.FUNCTION + function, false, text.strip(), guarded));
      }
      if (assigned != null && Character.isUpperCase(name.charAt(0)) && !callee.contains(".")) {
        newVars.add(assigned);
      }
      for (Node a : c.args()) {
        scanCalls(a, null, guarded, newVars, ops, sups, text);
      }
      for (Node a : c.kwargs().values()) {
        scanCalls(a, null, guarded, newVars, ops, sups, text);
      }
    } else if (n instanceof Seq s) {
      for (Node a : s.items()) {
        scanCalls(a, null, guarded, newVars, ops, sups, text);
      }
    } else if (n instanceof PythonSource.BinOp b) {
      scanCalls(b.left(), null, guarded, newVars, ops, sups, text);
      scanCalls(b.right(), null, guarded, newVars, ops, sups, text);
    } else if (n instanceof PythonSource.Subscript s) {
      scanCalls(s.value(), null, guarded, newVars, ops, sups, text); // qs.delete()[0]
    }
  }

  /**
   * The index in {@code line} (a logical line's tokens) where the value of an assignment statement
   * starts, or 0 when the line is no assignment: after the {@code =} (or {@code +=}, {@code -=})
   * that ends the targets, at the top level of brackets — one name ({@code n = …}), a tuple
   * unpacked ({@code deleted, _ = qs.delete()}, {@code (a, b) = …}), an attribute or item ({@code
   * self.layer = …}, an annotated {@code n: int = …}) — also past further targets of a chained
   * assignment ({@code a = b = …}). The value, not the target, is what runs.
   */
  private static int assignedValue(List<Token> line) {
    int depth = 0;
    for (int k = 0; k < line.size(); k++) {
      Token t = line.get(k);
      if (t.kind() != Kind.OP) {
        if (k == 0 && t.kind() == Kind.NAME && PYTHON_STATEMENTS.contains(t.text())) {
          return 0; // if x == …, def f(a=1), lambda x=1: … are no assignment
        }
        continue;
      }
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      } else if (depth == 0 && (t.is("=") || t.is("+=") || t.is("-="))) {
        int v = k + 1;
        while (v + 1 < line.size() && line.get(v).kind() == Kind.NAME && line.get(v + 1).is("=")) {
          v += 2; // a = b = …
        }
        return k > 0 && v < line.size() ? v : 0;
      }
    }
    return 0;
  }

  /** Keywords that open a Python statement other than an assignment. */
  private static final Set<String> PYTHON_STATEMENTS =
      Set.of(
          "if",
          "elif",
          "else",
          "while",
          "for",
          "with",
          "def",
          "class",
          "return",
          "lambda",
          "assert",
          "print",
          "yield",
          "del",
          "raise",
          "import",
          "from",
          "try",
          "except",
          "async",
          "await",
          "global",
          "nonlocal");

  /**
   * Whether an {@code if} line tests only the truth of {@code exists()} or {@code first()} ({@code
   * if X.objects.filter(name=n).exists():}), without a comparison or a boolean operator, so that
   * its {@code else} block runs exactly when no such row exists.
   */
  private static boolean truthTest(List<Token> line) {
    boolean test = false;
    for (Token x : line) {
      if (x.is("exists") || x.is("first")) {
        test = true;
      } else if (x.is("count")
          || x.is("not")
          || x.is("and")
          || x.is("or")
          || x.is("==")
          || x.is("!=")
          || x.is("<")
          || x.is(">")
          || x.is("<=")
          || x.is(">=")
          || x.is("return")) {
        return false;
      }
    }
    return test;
  }

  /**
   * Reads an {@code if}/{@code elif} line that tests whether rows exist: {@code if X.exists():
   * return} (on the line or the next) near the top level is a guard clause, appended to {@code
   * ops}; whether it is {@code if not X.exists():}, whose block is guarded.
   *
   * @param end the index of the line's NEWLINE token in {@code toks}
   */
  private static boolean existenceTest(
      List<Token> line,
      int indent,
      String[] lines,
      List<Token> toks,
      int end,
      List<Operation> ops) {
    Token t = line.get(0);
    boolean negated = line.size() > 1 && line.get(1).is("not");
    boolean returns = line.stream().anyMatch(x -> x.is("return") || x.is("exit"));
    if (returns && !negated && indent <= 4) {
      ops.add(new Operation.SeedCall(t.line(), null, SeedEffect.GUARD, srcLine(lines, t.line())));
    } else if (!negated && !returns) {
      // `if X.objects.exists():` followed by an indented return
      int nextLine = toks.get(end + 1 < toks.size() ? end + 1 : end).line();
      if (srcLine(lines, nextLine).strip().startsWith("return")) {
        ops.add(new Operation.SeedCall(t.line(), null, SeedEffect.GUARD, srcLine(lines, t.line())));
      }
    }
    return negated;
  }

  /**
   * The seed operation of a call that creates rows ({@code get_or_create}, {@code bulk_create},
   * {@code objects.create}, {@code Model(...).save()}), or {@code null} for any other call.
   */
  private Operation.SeedCall seedWrite(
      Call c, String callee, String model, boolean guarded, Set<String> newVars, String text) {
    int line = c.line();
    SeedEffect plain = guarded ? SeedEffect.IDEMPOTENT : SeedEffect.NON_IDEMPOTENT;
    switch (c.simpleName()) {
      case "get_or_create", "update_or_create", "aupdate_or_create", "aget_or_create" -> {
        String key = seedMode ? randomLookup(c) : null;
        return key == null
            ? new Operation.SeedCall(line, model, SeedEffect.IDEMPOTENT, text.strip())
            : new Operation.SeedCall(
                line,
                model,
                plain,
                text.strip()
                    + (guarded
                        ? " (guarded)"
                        : " (looked up by a random value, "
                            + key
                            + ": a rerun finds no row and creates one)"));
      }
      case "bulk_create" -> {
        boolean ignore =
            DjangoFrontEnd.isTrue(c.kwargs().get("ignore_conflicts"))
                || DjangoFrontEnd.isTrue(c.kwargs().get("update_conflicts"));
        return new Operation.SeedCall(
            line, model, ignore ? SeedEffect.IDEMPOTENT : plain, text.strip());
      }
      case "create" -> {
        if (fillLoop != null && fillLoop.fills(model, c)) {
          return new Operation.SeedCall(
              line, model, SeedEffect.IDEMPOTENT, text.strip() + " (" + fillLoop.why() + ")");
        }
        return callee.contains("objects") || callee.contains("_default_manager")
            ? new Operation.SeedCall(
                line, model, plain, text.strip() + (guarded ? " (guarded)" : ""))
            : null;
      }
      case "save" -> {
        String recv = callee.substring(0, Math.max(0, callee.lastIndexOf('.')));
        return newVars.contains(recv) || recv.matches("[A-Z]\\w*\\(.*\\)")
            ? new Operation.SeedCall(line, model, plain, text.strip())
            : null;
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * The {@code module:function} a call with callee {@code callee} runs when it calls a function
   * imported by name ({@code create_fake_dataset()}) or through an imported module ({@code
   * _fake_utils.create_fake_dataset()}), else {@code null}; a name in capitals is a class.
   */
  private String projectFunction(String callee) {
    int dot = callee.lastIndexOf('.');
    String name = callee.substring(dot + 1);
    if (name.isEmpty() || !Character.isLowerCase(name.charAt(0)) && name.charAt(0) != '_') {
      return null;
    }
    if (dot < 0) {
      return imports.name(callee);
    }
    String module = imports.module(callee.substring(0, dot));
    return module == null ? null : module + ":" + name;
  }

  /**
   * The first lookup argument of a get-or-create call ({@code name=fake.company()}) whose value is
   * random ({@link PythonRandomValues}), as {@code key=value}; {@code null} when none is: {@code
   * defaults} and {@code create_defaults} only set the created row's fields.
   */
  private String randomLookup(Call c) {
    for (Map.Entry<String, Node> e : c.kwargs().entrySet()) {
      if (e.getKey().equals("defaults") || e.getKey().equals("create_defaults")) {
        continue;
      }
      String value = random.random(e.getValue(), c.line());
      if (value != null) {
        return e.getKey() + "=" + value;
      }
    }
    return null;
  }

  /** An {@code UPDATE} by {@code objects.update(...)}: unscoped when no filter precedes it. */
  private Operation.Update update(Call c, int line, String model, boolean scoped, String text) {
    return new Operation.Update(
        line,
        tables.apply(model),
        scoped ? Where.REAL : Where.NONE,
        text.strip(),
        !c.kwargs().isEmpty()
            && c.kwargs().entrySet().stream()
                .allMatch(e -> derivedFromRow(e.getKey(), e.getValue())),
        c.kwargs().isEmpty()
            ? null
            : c.kwargs().keySet().stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).toList());
  }

  /**
   * Whether {@code update(field=value)} computes the new value from the row without loss, as the
   * SQL it runs would be judged ({@link UpdateValues#backfill}): a value built of {@code F()}
   * references and numbers is read as that SQL ({@code F("interval") * 60} is {@code SET interval =
   * interval * 60}, an in-place scaling that overwrites; {@code F("n") + 1} stays a backfill), any
   * other value is a backfill when it reads an {@code F()} expression.
   */
  private static boolean derivedFromRow(String field, Node value) {
    String sql = arithmeticSql(value);
    if (sql != null) {
      try {
        if (GeneralSqlParser.parse("UPDATE t SET \"" + field + "\" = " + sql)
            instanceof net.sf.jsqlparser.statement.update.Update u) {
          return UpdateValues.backfill(u);
        }
      } catch (net.sf.jsqlparser.JSQLParserException | RuntimeException e) {
        // not read as SQL: judged by its text below
      }
    }
    return PythonSource.text(value).matches("(?s).*\\bF\\(.*");
  }

  /**
   * The SQL of a Django query expression built only of {@code F("field")} (a quoted column),
   * numbers ({@code 60}, {@code Decimal("100")}, {@code Value(1000)}), Python names (a constant of
   * the code, read as a number), the arithmetic and bitwise operators Django's expressions combine
   * with ({@code + - * / % | &}; Django documentation, "Query Expressions": F() objects support
   * them) and an {@code ExpressionWrapper} around such an expression; {@code null} for anything
   * else.
   */
  private static String arithmeticSql(Node n) {
    if (n instanceof PythonSource.BinOp b) {
      String l = arithmeticSql(b.left());
      String r = arithmeticSql(b.right());
      return l == null || r == null ? null : "(" + l + " " + b.op() + " " + r + ")";
    }
    if (n instanceof PythonSource.Other o) {
      return o.text().matches("\\d[\\d_]*(\\.\\d+)?") ? o.text().replace("_", "") : null;
    }
    if (n instanceof PythonSource.Name x) {
      return x.dotted().matches("True|False|None") ? null : "1";
    }
    if (!(n instanceof Call c) || c.args().isEmpty()) {
      return null;
    }
    Node first = c.args().get(0);
    return switch (c.simpleName()) {
      case "F" ->
          first instanceof PythonSource.Str s
                  && s.value().matches("\\w+")
                  && !s.value().contains("__")
              ? "\"" + s.value() + "\""
              : null;
      case "Decimal", "Value" ->
          first instanceof PythonSource.Str s && s.value().matches("-?\\d+(\\.\\d+)?")
              ? s.value()
              : first instanceof Call ? null : arithmeticSql(first);
      case "ExpressionWrapper" -> arithmeticSql(first);
      default -> null;
    };
  }

  /** The statements of SQL run by {@code cursor.execute}/{@code executemany}. */
  private void execute(Call c, List<Operation> ops) {
    for (PythonSqlText.Piece p : sqlText.get().statements(c.arg("sql", 0)).pieces()) {
      SqlFrontEnd.Result r =
          new SqlFrontEnd("postgresql").parse(DjangoFrontEnd.dbParams(p.sql()), p.line());
      ops.addAll(r.operations());
    }
  }

  /**
   * {@code call_command}: {@code flush} deletes everything, {@code loaddata} loads the named
   * fixtures (followed by the analyzer), any other command is delegated.
   */
  private static void callCommand(Call c, int line, List<Operation> ops, String text) {
    String cmd = DjangoFrontEnd.str(c.arg("command_name", 0));
    if ("flush".equals(cmd)) {
      ops.add(new Operation.SeedCall(line, null, SeedEffect.DESTRUCTIVE, text.strip()));
    } else if ("loaddata".equals(cmd)) {
      // followed by the analyzer: fixtures with explicit pks are idempotent
      for (int a = 1; a < c.args().size(); a++) {
        String fixture = DjangoFrontEnd.str(c.args().get(a));
        if (fixture != null) {
          ops.add(new Operation.LoadFile(line, "fixture:" + fixture, false, text.strip()));
        } else {
          ops.add(new Operation.SeedCall(line, null, SeedEffect.DELEGATED, text.strip()));
        }
      }
    } else {
      ops.add(new Operation.SeedCall(line, null, SeedEffect.DELEGATED, text.strip()));
    }
  }

  /**
   * Appends the seed operation of a factory_boy create or a model_bakery make ({@link
   * PythonFactories}).
   */
  private void factoryCreate(Call c, int line, boolean guarded, List<Operation> ops, String text) {
    boolean baked = factories.bakes(c.callee());
    List<String> lookup = baked ? null : factories.lookup(c.callee(), c.kwargs().keySet());
    String why =
        guarded
            ? " (guarded)"
            : lookup != null
                ? " (the factory's django_get_or_create looks the row up by " + lookup + ")"
                : baked
                    ? " (a model_bakery make saves new rows)"
                    : " (a factory_boy create saves new rows)";
    ops.add(
        new Operation.SeedCall(
            line,
            null,
            guarded || lookup != null ? SeedEffect.IDEMPOTENT : SeedEffect.NON_IDEMPOTENT,
            text.strip() + why));
  }

  /**
   * Whether a {@code delete} call deletes rows, from its arguments and receiver: Django's {@code
   * Model.delete()} and {@code QuerySet.delete()} and SQLAlchemy's {@code query.delete()} take no
   * positional argument, SQLAlchemy's {@code session.delete(obj)} takes the object, and a bare
   * {@code delete(table)} builds SQLAlchemy's DELETE statement. Any other {@code x.delete(arg)} —
   * Django's {@code cache.delete("key")}, {@code default_storage.delete(name)}, {@code
   * requests.delete(url)} — deletes no row.
   *
   * @param callee the call's callee text, a queryset variable replaced by its queryset
   */
  static boolean deletesRows(String callee, Call c) {
    int dot = callee.lastIndexOf('.');
    if (c.args().isEmpty() || dot < 0) {
      return true;
    }
    String receiver = callee.substring(0, dot);
    return receiver.equals("session")
        || receiver.endsWith(".session")
        || receiver.matches("(?s).*\\bSession\\(\\)")
        || receiver.endsWith("_session");
  }

  /**
   * {@code callee} with a leading variable that holds a queryset replaced by the queryset's text:
   * {@code stale.update} → {@code Parrot.objects.filter(...).update}.
   */
  private String resolve(String callee) {
    int dot = callee.indexOf('.');
    String qs = dot > 0 ? querysets.get(callee.substring(0, dot)) : null;
    return qs == null ? callee : qs + callee.substring(dot);
  }

  /**
   * The model class a queryset expression is on: {@code Parrot.objects.all} → {@code Parrot},
   * {@code apps.get_model("aviary", "Parrot").objects.all} → {@code Parrot}; {@code null} when the
   * text names no manager.
   */
  static String modelOf(String callee) {
    int i = callee.indexOf(".objects");
    if (i < 0) {
      i = callee.indexOf("._default_manager");
    }
    if (i > 0) {
      String m = callee.substring(0, i);
      Matcher q = GET_MODEL.matcher(m);
      if (q.find()) {
        return q.group(1);
      }
      m = m.substring(m.lastIndexOf('(') + 1);
      return m.substring(m.lastIndexOf('.') + 1);
    }
    return null;
  }

  private static String srcLine(String[] lines, int line) {
    return line >= 1 && line <= lines.length ? lines[line - 1] : "";
  }
}
