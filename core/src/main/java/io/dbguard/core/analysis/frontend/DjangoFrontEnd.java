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
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import io.dbguard.core.analysis.model.Suppression;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Django front end: migration files ({@code <app>/migrations/NNNN_*.py}) and Python seed scripts.
 *
 * <p>Migrations: the {@code operations = [...]} list is parsed as Python expressions ({@link
 * PythonSource}): CreateModel, DeleteModel, RenameModel, AlterModelTable, AddField (NOT NULL
 * without default, Python-only default dropped after the add, unique/db_index, ForeignKey index and
 * constraint), RemoveField, RenameField, AlterField (compared with the field's previous shape when
 * the app's earlier migrations declare it, see {@link DjangoFieldChanges}), AddIndex /
 * AddIndexConcurrently, RemoveIndex(Concurrently), AddConstraint / AddConstraintNotValid /
 * ValidateConstraint, RemoveConstraint and AlterUniqueTogether (a unique constraint or group the
 * earlier migrations declare dropped), RunSQL (its {@code sql} analysed as SQL in every literal
 * form {@link PythonSqlText} reads; {@code reverse_sql} only counts as a reverse), RunPython
 * (reversibility), SeparateDatabaseAndState (database side; the state side only for the models,
 * fields and table names later migrations see), {@code IgnoreMigration()} (django-migration-
 * linter's whole-file suppression) and {@code atomic = False}. Tables are named as Django names
 * them: the {@code db_table} the model's {@code CreateModel} options or last {@code
 * AlterModelTable} gave (in this file or an earlier migration of the app, see {@link
 * #withHistory}), else {@code <app_label>_<model>}.
 *
 * <p>Code in the file (RunPython functions, seed scripts) is scanned for ORM calls: {@code
 * get_or_create}/{@code update_or_create}/{@code bulk_create(ignore_conflicts=True)} → idempotent;
 * {@code objects.create}/{@code bulk_create}/{@code Model(...).save()} and factory_boy creates
 * ({@link PythonFactories}) → non-idempotent, except a create of what each row of a loop's queryset
 * lacks ({@link MissingRowsLoop}) → idempotent; {@code .delete()}, {@code call_command("flush")} →
 * destructive; unscoped {@code objects.update()}/{@code objects.all().delete()} → DML without
 * WHERE; {@code cursor.execute("…")} → SQL; {@code call_command(...)} → delegated; guard clauses
 * {@code if X.objects.exists(): return} and {@code if not X.objects.exists():} blocks.
 */
public final class DjangoFrontEnd {

  private final String appLabel;
  private final boolean seedMode;

  /**
   * @param appLabel the Django app (the directory above {@code migrations/}), for table names
   * @param seedMode {@code true} when the file is analysed as a seed
   */
  public DjangoFrontEnd(String appLabel, boolean seedMode) {
    this.appLabel = appLabel == null ? "app" : appLabel.toLowerCase(Locale.ROOT);
    this.seedMode = seedMode;
  }

  /**
   * Names of functions given as RunPython {@code reverse_code}: they run only when the migration is
   * unapplied, so what they do is not what the forward migration does.
   */
  private final Set<String> reverseFunctions = new HashSet<>();

  /**
   * Names of the functions given as RunPython {@code code} → the line of that RunPython in {@code
   * operations}: their ORM calls run at that point of the migration, after the operations before
   * it, wherever the function is defined in the file.
   */
  private final Map<String, Integer> forwardFunctions = new HashMap<>();

  private DjangoFields history = new DjangoFields();
  private final DjangoFields declared = new DjangoFields();
  private final List<List<String>> dependencies = new ArrayList<>();
  private PythonSource source;
  private PythonSqlText sqlText;
  private DjangoImports imports = DjangoImports.none();

  /**
   * Uses the field shapes declared by the app's earlier migrations (see {@link DjangoFields}) to
   * judge {@code AlterField}; without it an {@code AlterField} is a declared type with an unknown
   * previous type.
   *
   * @return this
   */
  public DjangoFrontEnd withHistory(DjangoFields earlier) {
    this.history = earlier == null ? new DjangoFields() : earlier;
    return this;
  }

  /**
   * The {@code dependencies} of the migration (after {@link #parse}): each {@code [app_label,
   * migration_name]} given as a pair of string literals, in the order written; others ({@code
   * swappable_dependency(...)}) are left out.
   */
  public List<List<String>> dependencies() {
    return List.copyOf(dependencies);
  }

  /** The field shapes this file declared (after {@link #parse}), for the migrations after it. */
  public DjangoFields declared() {
    return declared;
  }

  /** Parses one Python file. */
  public FrontEndResult parse(String src) {
    PythonSource ps = PythonSource.of(src);
    source = ps;
    imports = DjangoImports.of(src);
    sqlText = null;
    List<Operation> ops = new ArrayList<>();
    List<Suppression> sups = new ArrayList<>();
    for (PythonSource.Comment c : ps.comments()) {
      Suppressions.fromComment(c.text(), c.line()).ifPresent(sups::add);
    }
    List<Token> toks = ps.tokens();
    boolean atomic = true;
    for (int i = 0; i + 2 < toks.size(); i++) {
      if (toks.get(i).is("atomic") && toks.get(i + 1).is("=") && toks.get(i + 2).is("False")) {
        atomic = false;
      }
    }
    for (int i = 0; i + 1 < toks.size(); i++) {
      if (toks.get(i).is("dependencies")
          && toks.get(i + 1).is("=")
          && (i == 0 || toks.get(i - 1).kind() == Kind.NEWLINE)
          && ps.parseAt(i + 2) instanceof Seq deps) {
        for (Node d : deps.items()) {
          if (d instanceof Seq pair
              && pair.items().size() == 2
              && pair.items().get(0) instanceof Str app
              && pair.items().get(1) instanceof Str name) {
            dependencies.add(List.of(app.value(), name.value()));
          }
        }
      }
      if (toks.get(i).is("operations")
          && toks.get(i + 1).is("=")
          && (i == 0 || toks.get(i - 1).kind() == Kind.NEWLINE)) {
        Node list = ps.parseAt(i + 2);
        if (list instanceof Seq seq) {
          for (Node item : seq.items()) {
            operation(item, ops, sups);
          }
        } else if (list != null && !seedMode) {
          // operations = get_operations(): the list exists only when Django imports the file
          ops.add(
              new Operation.Unparsed(
                  toks.get(i).line(),
                  "operations = " + PythonSource.text(list),
                  "operations built by code when the migration is loaded, not analysed"
                      + " (check `manage.py sqlmigrate`)"));
        }
      }
    }
    new DjangoCode(seedMode, reverseFunctions, this::sqlText, this::tableOf)
        .scan(src, ps, imports, ops, sups);
    String[] lines = src.split("\n", -1);
    if (!seedMode) {
      Set<Integer> writeLines = new HashSet<>();
      List<Operation> loops =
          RowLoops.find(ps.tokens(), lines, reverseFunctions, this::tableOf, writeLines);
      // a per-row update a loop's backfill stands for is not also the scoped update it looks like
      ops.removeIf(o -> o instanceof Operation.Update && writeLines.contains(o.line()));
      ops.addAll(loops);
    }
    Map<Integer, Integer> runAt = runPythonLines(toks, lines);
    ops.sort(
        java.util.Comparator.<Operation>comparingInt(o -> runAt.getOrDefault(o.line(), o.line()))
            .thenComparingInt(Operation::line));
    return new FrontEndResult(ops, sups, atomic);
  }

  /**
   * Line → the line of the RunPython that runs it, for every line of the body of a function given
   * as RunPython {@code code}: the order in which the migration performs what the file says, so
   * that a function defined above {@code operations} still runs after the AddField before its
   * RunPython.
   */
  private Map<Integer, Integer> runPythonLines(List<Token> toks, String[] lines) {
    if (forwardFunctions.isEmpty()) {
      return Map.of();
    }
    Map<Integer, Integer> out = new HashMap<>();
    for (int i = 0; i + 1 < toks.size(); i++) {
      Integer at = toks.get(i).is("def") ? forwardFunctions.get(toks.get(i + 1).text()) : null;
      if (at == null) {
        continue;
      }
      int def = toks.get(i).line();
      int indent = PythonSource.indent(lines, def);
      out.put(def, at);
      for (int l = def + 1; l <= lines.length; l++) {
        String text = lines[l - 1].strip();
        if (!text.isEmpty()
            && !text.startsWith("#")
            && PythonSource.indent(lines, l) <= indent
            && !text.startsWith(")")) {
          break;
        }
        out.put(l, at);
      }
    }
    return out;
  }

  /** The SQL reader of the file being parsed, built when first needed. */
  private PythonSqlText sqlText() {
    if (sqlText == null) {
      sqlText = PythonSqlText.of(source);
    }
    return sqlText;
  }

  // ---- operations ----

  private void operation(Node item, List<Operation> ops, List<Suppression> sups) {
    if (!(item instanceof Call c)) {
      return;
    }
    int line = c.line();
    String op = c.simpleName();
    switch (op) {
      case "CreateModel", "DeleteModel", "RenameModel", "AlterModelTable" ->
          modelOperation(c, op, line, ops);
      case "AddField" -> addField(c, line, ops);
      case "RemoveField", "RenameField", "AlterField" -> fieldOperation(c, op, line, ops);
      case "AddIndex",
          "AddIndexConcurrently",
          "RemoveIndex",
          "RemoveIndexConcurrently",
          "AddConstraint",
          "AddConstraintNotValid",
          "RemoveConstraint",
          "ValidateConstraint",
          "AlterUniqueTogether",
          "AlterIndexTogether" ->
          indexOperation(c, op, line, ops);
      case "RunSQL" -> runSql(c, line, ops, sups);
      case "RunPython" -> {
        Node code = c.arg("code", 0);
        if (isGiven(code)) {
          forwardFunctions.putIfAbsent(PythonSource.text(code).strip(), line);
        }
        Node reverse = c.arg("reverse_code", 1);
        ops.add(new Operation.DataMigration(line, "RunPython", isGiven(reverse)));
        if (isGiven(reverse)) {
          reverseFunctions.add(PythonSource.text(reverse).strip());
        }
      }
      case "SeparateDatabaseAndState" -> {
        Node db = c.arg("database_operations", 0);
        if (db instanceof Seq s) {
          for (Node n : s.items()) {
            operation(n, ops, sups);
          }
        }
        // the state side changes no table, but later migrations see its models, fields and
        // db_table names
        if (c.arg("state_operations", 1) instanceof Seq s) {
          List<Operation> stateOnly = new ArrayList<>();
          for (Node n : s.items()) {
            operation(n, stateOnly, new ArrayList<>());
          }
        }
      }
      case "IgnoreMigration" ->
          sups.add(new Suppression(line, Integer.MAX_VALUE, List.of(), "IgnoreMigration", ""));
      default -> {}
    }
  }

  /** CreateModel, DeleteModel, RenameModel, AlterModelTable. */
  private void modelOperation(Call c, String op, int line, List<Operation> ops) {
    switch (op) {
      case "CreateModel" -> {
        String model = key(str(c.arg("name", 0)));
        String explicit = declaredTable(c);
        ops.add(
            new Operation.CreateTable(line, explicit == null ? model : explicit, false, List.of()));
        declared.dropModel(model, history); // a model of the same name is replaced, not merged
        declared.table(model, explicit);
        uniques().remember(model, c.arg("options", -1));
        if (c.arg("fields", 1) instanceof Seq fields) {
          for (Node fieldItem : fields.items()) {
            if (fieldItem instanceof Seq pair
                && pair.items().size() == 2
                && pair.items().get(0) instanceof Str name
                && pair.items().get(1) instanceof Call field) {
              remember(model, name.value(), imports.qualify(field));
            }
          }
        }
      }
      case "DeleteModel" -> {
        ops.add(new Operation.DropTable(line, tableOf(str(c.arg("name", 0)))));
        declared.dropModel(key(str(c.arg("name", 0))), history);
      }
      case "RenameModel" -> {
        String from = key(str(c.arg("old_name", 0)));
        String to = key(str(c.arg("new_name", 1)));
        // also with a db_table of its own, which the model keeps: Django then renames no table but
        // still renames the columns of the many-to-many tables named after the model, which the
        // running version uses (kept as a rename, conservatively)
        ops.add(new Operation.RenameTable(line, from, to));
        declared.renameModel(from, to, history);
      }
      case "AlterModelTable" -> {
        String model = key(str(c.arg("name", 0)));
        Node table = c.arg("table", 1);
        String newName = str(table);
        if (newName != null || (table instanceof Name none && none.dotted().equals("None"))) {
          String to = newName == null ? model : newName.toLowerCase(Locale.ROOT);
          String from = tableOf(str(c.arg("name", 0)));
          if (!from.equals(to)) {
            ops.add(new Operation.RenameTable(line, from, to));
          }
          declared.table(model, to.equals(model) ? null : to);
        }
      }
      default -> {}
    }
  }

  /** RemoveField, RenameField, AlterField. */
  private void fieldOperation(Call c, String op, int line, List<Operation> ops) {
    switch (op) {
      case "RemoveField" -> {
        String model = str(c.arg("model_name", 0));
        String col = lower(str(c.arg("name", 1)));
        ops.add(new Operation.DropColumn(line, tableOf(model), col));
        if (col != null) {
          declared.forget(key(model), col); // fields are recorded by name
        }
      }
      case "RenameField" -> {
        String model = str(c.arg("model_name", 0));
        String from = lower(str(c.arg("old_name", 1)));
        String to = lower(str(c.arg("new_name", 2)));
        ops.add(new Operation.RenameColumn(line, tableOf(model), from, to));
        if (from != null && to != null) {
          declared.rename(key(model), from, to, history);
        }
      }
      case "AlterField" -> {
        Node f = c.arg("field", 2);
        if (f instanceof Call field && !field.simpleName().equals("ManyToManyField")) {
          alterField(c, imports.qualify(field), line, ops);
        }
      }
      default -> {}
    }
  }

  /** Index and constraint operations, AlterUniqueTogether, AlterIndexTogether. */
  private void indexOperation(Call c, String op, int line, List<Operation> ops) {
    switch (op) {
      case "AddIndex" ->
          ops.add(
              new Operation.CreateIndex(
                  line,
                  tableOf(str(c.arg("model_name", 0))),
                  indexName(c.arg("index", 1)),
                  false,
                  false));
      case "AddIndexConcurrently" ->
          ops.add(
              new Operation.CreateIndex(
                  line,
                  tableOf(str(c.arg("model_name", 0))),
                  indexName(c.arg("index", 1)),
                  false,
                  true));
      case "RemoveIndex" ->
          ops.add(new Operation.DropIndex(line, lower(str(c.arg("name", 1))), false));
      case "RemoveIndexConcurrently" ->
          ops.add(new Operation.DropIndex(line, lower(str(c.arg("name", 1))), true));
      case "AddConstraint", "AddConstraintNotValid" -> addConstraint(c, op, line, ops);
      case "ValidateConstraint" ->
          ops.add(
              new Operation.ValidateConstraint(
                  line, tableOf(str(c.arg("model_name", 0))), str(c.arg("name", 1))));
      case "AlterUniqueTogether" -> uniques().alterUniqueTogether(c, line, ops);
      case "RemoveConstraint" -> uniques().removeConstraint(c, line, ops);
      case "AlterIndexTogether" -> {
        Node it = c.arg("index_together", 1);
        if (nonEmptySet(it)) {
          ops.add(
              new Operation.CreateIndex(line, tableOf(str(c.arg("name", 0))), null, false, false));
        }
      }
      default -> {}
    }
  }

  /** AddConstraint / AddConstraintNotValid: the kind of constraint decides what is built. */
  private void addConstraint(Call c, String op, int line, List<Operation> ops) {
    Node cons = c.arg("constraint", 1);
    String t = tableOf(str(c.arg("model_name", 0)));
    if (cons instanceof Call k) {
      String kind = k.simpleName();
      String name = str(k.arg("name", -1));
      boolean notValid = op.equals("AddConstraintNotValid");
      if (name != null) {
        declared.constraint(
            key(str(c.arg("model_name", 0))),
            name.toLowerCase(Locale.ROOT),
            kind.equals("UniqueConstraint"));
      }
      if (kind.equals("UniqueConstraint")) {
        if (k.kwargs().containsKey("condition")) {
          // a partial unique constraint is a CREATE UNIQUE INDEX
          ops.add(new Operation.CreateIndex(line, t, name, true, false));
        } else {
          ops.add(new Operation.AddConstraint(line, t, name, ConstraintKind.UNIQUE, false, false));
        }
      } else if (kind.equals("CheckConstraint")) {
        ops.add(new Operation.AddConstraint(line, t, name, ConstraintKind.CHECK, notValid, false));
      } else if (kind.equals("ExclusionConstraint")) {
        ops.add(new Operation.AddConstraint(line, t, name, ConstraintKind.EXCLUDE, false, false));
      } else {
        ops.add(new Operation.AddConstraint(line, t, name, ConstraintKind.OTHER, notValid, false));
      }
    }
  }

  /**
   * RunSQL: its {@code sql} read as SQL ({@link PythonSqlText}), type changes given the previous
   * types the app's migrations declared ({@link DjangoSqlTypes}), else the types its {@code
   * reverse_sql} gives the columns back; {@code reverse_sql} runs only when the migration is
   * unapplied, so it only counts as a reverse and for those types.
   */
  private void runSql(Call c, int line, List<Operation> ops, List<Suppression> sups) {
    // reverse_sql runs only when the migration is unapplied: never read as what it does
    Node reverse = c.arg("reverse_sql", 1);
    Map<String, String> reverseTypes = reverseTypes(reverse);
    PythonSqlText.Read read = sqlText().statements(c.arg("sql", 0));
    for (PythonSqlText.Piece p : read.pieces()) {
      SqlFrontEnd.Result r = new SqlFrontEnd("postgresql").parse(dbParams(p.sql()), p.line());
      for (Operation op : DjangoSqlTypes.withPreviousTypes(r.operations(), history, declared)) {
        String back =
            op instanceof Operation.ChangeColumnType t && t.oldType() == null
                ? reverseTypes.get(t.table() + "." + t.column())
                : null;
        ops.add(
            back == null
                ? op
                : ((Operation.ChangeColumnType) op).withOldTypeFrom(back, "reverse_sql"));
      }
      for (SqlSplitter.Comment cm : r.comments()) {
        Suppressions.fromComment(cm.text(), cm.line()).ifPresent(sups::add);
      }
    }
    for (Node n : read.unread()) {
      ops.add(
          new Operation.Unparsed(
              n.line(), "RunSQL(" + PythonSource.text(n) + ")", "SQL is not a literal string"));
    }
    ops.add(new Operation.DataMigration(line, "RunSQL", isGiven(reverse)));
  }

  /**
   * The type the last {@code ALTER COLUMN … TYPE} of each {@code table.column} in a {@code
   * RunSQL}'s {@code reverse_sql} gives it back ({@code null} when not read): the type the forward
   * {@code sql} changes it from, used when the app's earlier migrations do not declare the column.
   */
  private Map<String, String> reverseTypes(Node reverse) {
    Map<String, String> out = new java.util.HashMap<>();
    if (!isGiven(reverse)) {
      return out;
    }
    for (PythonSqlText.Piece p : sqlText().statements(reverse).pieces()) {
      out.putAll(new SqlFrontEnd("postgresql").typesGiven(dbParams(p.sql()), p.line()));
    }
    return out;
  }

  /**
   * A {@code reverse_code}/{@code reverse_sql} argument that makes the operation reversible:
   * present and not {@code None} (Django's default, which makes the migration irreversible; Django
   * documentation, "Migration Operations", RunPython and RunSQL).
   */
  private static boolean isGiven(Node reverse) {
    return reverse != null && !"None".equals(PythonSource.text(reverse).strip());
  }

  /**
   * AlterField: compared with the field's shape in earlier migrations when known, else judged from
   * the new field alone ({@link DjangoFieldChanges}).
   */
  private void alterField(Call c, Call field, int line, List<Operation> ops) {
    String model = key(str(c.arg("model_name", 0)));
    String name = lower(str(c.arg("name", 1)));
    DjangoFields.Shape before =
        name == null
            ? null
            : declared.has(model, name) ? declared.get(model, name) : history.get(model, name);
    remember(model, name, field);
    DjangoFieldChanges.alter(
        tableOf(str(c.arg("model_name", 0))),
        name,
        field,
        before,
        isFalse(c.kwargs().get("preserve_default")),
        line,
        ops);
  }

  private void remember(String model, String name, Call field) {
    if (name != null && !field.simpleName().equals("ManyToManyField")) {
      declared.put(model, lower(name), DjangoFieldChanges.shape(field));
    }
  }

  private void addField(Call c, int line, List<Operation> ops) {
    String t = tableOf(str(c.arg("model_name", 0)));
    String name = lower(str(c.arg("name", 1)));
    Node f = c.arg("field", 2);
    if (!(f instanceof Call c0)) {
      return;
    }
    Call field = imports.qualify(c0);
    String kind = field.simpleName();
    if (kind.equals("ManyToManyField")) {
      return; // a new join table
    }
    remember(key(str(c.arg("model_name", 0))), str(c.arg("name", 1)), field);
    boolean fk = kind.equals("ForeignKey") || kind.equals("OneToOneField");
    String col = fk ? name + "_id" : name;
    boolean nullable = isTrue(field.kwargs().get("null"));
    boolean hasDefault = field.kwargs().containsKey("default");
    boolean dbDefault = field.kwargs().containsKey("db_default");
    String type = DjangoFieldChanges.sqlType(field);
    boolean serial = kind.contains("AutoField");
    // preserve_default=False: the default only fills existing rows once; neither the database
    // nor the model keeps it, so inserts that omit the column fail as for NOT NULL without default
    boolean oneOff = hasDefault && isFalse(c.kwargs().get("preserve_default"));
    String def =
        dbDefault
            ? PythonSource.text(field.kwargs().get("db_default"))
            : hasDefault && !oneOff ? "django-default" : null;
    ops.add(new Operation.AddColumn(line, t, col, type, !nullable, def, false));
    if (!nullable && hasDefault && !dbDefault && !serial && !oneOff) {
      ops.add(new Operation.DefaultDroppedAfterAdd(line, t, col));
    }
    if (isTrue(field.kwargs().get("unique")) || kind.equals("OneToOneField")) {
      ops.add(new Operation.AddConstraint(line, t, null, ConstraintKind.UNIQUE, false, false));
    } else if (isTrue(field.kwargs().get("db_index"))
        || (fk && !isFalse(field.kwargs().get("db_index")))) {
      ops.add(new Operation.CreateIndex(line, t, null, false, false));
    }
    if (fk && !isFalse(field.kwargs().get("db_constraint"))) {
      ops.add(new Operation.AddConstraint(line, t, null, ConstraintKind.FOREIGN_KEY, false, false));
    }
  }

  private static String indexName(Node index) {
    return index instanceof Call c ? str(c.arg("name", -1)) : null;
  }

  /** The {@code db_table} a {@code CreateModel} declares in its options, else {@code null}. */
  private static String declaredTable(Call createModel) {
    Node options = createModel.arg("options", -1);
    if (options instanceof Dict d && d.entries().get("db_table") instanceof Str s) {
      return s.value().toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /** The unique constraints and groups of the models, as this file and the history declare them. */
  private DjangoUniqueConstraints uniques() {
    return new DjangoUniqueConstraints(declared, history, this::key, this::tableOf);
  }

  /**
   * The key a model's fields are recorded under: Django's default table name {@code
   * <app_label>_<model>} (lower case), whatever {@code db_table} says.
   */
  private String key(String model) {
    return model == null ? appLabel + "_?" : appLabel + "_" + model.toLowerCase(Locale.ROOT);
  }

  /**
   * The table of a model: the {@code db_table} its {@code CreateModel} or a later {@code
   * AlterModelTable} declared (in this file, else in the app's earlier migrations), else {@code
   * <app_label>_<model>}.
   */
  private String tableOf(String model) {
    String k = key(model);
    String t = declared.knowsTable(k) ? declared.table(k) : history.table(k);
    return t == null ? k : t;
  }

  /**
   * Whether a {@code unique_together}/{@code index_together} value names at least one group: a
   * non-empty list, tuple or set literal, or {@code set([...])} / {@code frozenset([...])} (how
   * Django on Python 2 wrote sets into migrations).
   */
  static boolean nonEmptySet(Node n) {
    if (n instanceof Seq s) {
      return !s.items().isEmpty();
    }
    if (n instanceof Call c
        && (c.callee().equals("set") || c.callee().equals("frozenset"))
        && c.args().size() == 1) {
      return nonEmptySet(c.args().get(0));
    }
    return n instanceof BinOp
        || n instanceof PythonSource.Subscript
        || (n instanceof Other o && !o.text().equals("set()"));
  }

  /** DB-API parameters ({@code %s}, {@code %(name)s}) → JDBC {@code ?} so the SQL parses. */
  static String dbParams(String sql) {
    return sql.replaceAll("%\\([A-Za-z_][A-Za-z0-9_]*\\)s|%s", "?");
  }

  static String str(Node n) {
    return n instanceof Str s ? s.value() : null;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  static boolean isTrue(Node n) {
    return DjangoFieldChanges.isTrue(n);
  }

  private static boolean isFalse(Node n) {
    return DjangoFieldChanges.isFalse(n);
  }
}
