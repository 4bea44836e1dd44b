package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubyCalls.Chain;
import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Statement;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import io.dbguard.core.analysis.model.Operation.SeedEffect;
import io.dbguard.core.analysis.model.Operation.Where;
import io.dbguard.core.analysis.model.Suppression;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rails front end: ActiveRecord migrations ({@code db/migrate/*.rb}) and Ruby seeds ({@code
 * db/seeds.rb}, {@code db/seeds/*.rb}).
 *
 * <p>Migrations: the schema DSL ({@code create_table}, {@code add_column}, {@code remove_column},
 * {@code rename_column}, {@code change_column}, {@code change_column_null}, {@code add_index},
 * {@code add_reference}, {@code add_foreign_key}, {@code add_check_constraint}, {@code
 * change_table} blocks …), {@code execute} with string or heredoc SQL analysed by {@link
 * SqlFrontEnd}, model DML ({@code update_all}, {@code delete_all}), {@code def down} and {@code
 * dir.down} skipped, {@code safety_assured} blocks as suppressions, {@code
 * disable_ddl_transaction!} for the transaction mode. Checks mirror strong_migrations' list.
 *
 * <p>Seeds: each call becomes a {@link Operation.SeedCall} (find_or_create_by, first_or_create,
 * find_or_initialize_by, upsert, seed-fu {@code seed} → idempotent; create!/insert/new+save →
 * non-idempotent unless guarded; delete_all/destroy_all/destroy → destructive; {@code load}, {@code
 * require_relative}, {@code X.load}/{@code X.seed!}/{@code X.call} → delegated) and guard clauses
 * ({@code return if User.exists?}, {@code unless Role.any? … end}).
 */
public final class RubyFrontEnd {

  private static final Set<String> IDEMPOTENT =
      Set.of(
          "find_or_create_by",
          "find_or_create_by!",
          "first_or_create",
          "first_or_create!",
          "find_or_initialize_by",
          "first_or_initialize",
          "create_or_find_by",
          "create_or_find_by!",
          "upsert",
          "upsert_all",
          "insert_all",
          "seed",
          "seed_once",
          "find_or_create",
          "where_or_create");
  private static final Set<String> CREATES =
      Set.of("create", "create!", "insert", "insert!", "insert_all!", "create_list");
  private static final Set<String> DESTROYS =
      Set.of(
          "delete_all",
          "destroy_all",
          "destroy",
          "destroy!",
          "delete",
          "delete_by",
          "destroy_by",
          "truncate",
          "really_destroy!");
  private static final Set<String> DELEGATES =
      Set.of(
          "load",
          "seed!",
          "call",
          "run",
          "import",
          "perform",
          "perform_now",
          "load_seed",
          "invoke",
          "execute!",
          "seed_all",
          "load_all");
  private static final Set<String> EXISTENCE =
      Set.of(
          "exists?",
          "any?",
          "present?",
          "none?",
          "empty?",
          "blank?",
          "count",
          "size",
          "zero?",
          "find_by",
          "exist?");
  private static final Set<String> SCOPE_ONLY =
      Set.of("all", "unscoped", "in_batches", "find_in_batches", "each_slice", "find_each");

  private final boolean seedMode;

  /** Columns declared inside {@code create_table} blocks by the last {@link #parse}. */
  private final List<Operation> tableColumns = new ArrayList<>();

  /**
   * @param seedMode {@code true} for seed files, {@code false} for migrations
   */
  public RubyFrontEnd(boolean seedMode) {
    this.seedMode = seedMode;
  }

  /** Parses one Ruby file. */
  public FrontEndResult parse(String src) {
    RubySource rs = RubySource.parse(src);
    tableColumns.clear();
    List<Operation> ops = new ArrayList<>();
    List<Suppression> sups = new ArrayList<>();
    for (RubySource.Comment c : rs.comments()) {
      Suppressions.fromComment(c.text(), c.line()).ifPresent(sups::add);
    }
    boolean wrapped = true;
    Map<Block, Boolean> seenSafety = new IdentityHashMap<>();
    Set<String> newVars = new HashSet<>();
    for (Statement st : rs.statements()) {
      if (st.tokens().isEmpty()) {
        continue;
      }
      if (st.head().equals("disable_ddl_transaction!")) {
        wrapped = false;
        continue;
      }
      boolean skip = false;
      String changeTable = null;
      String createTable = null;
      boolean inCreateTable = false;
      boolean guarded = false;
      for (Block b : st.blocks()) {
        List<Token> o = b.opener.tokens();
        if (o.size() >= 2
            && o.get(0).is("def")
            && (o.get(1).is("down")
                || (o.size() >= 4 && o.get(1).is("self") && o.get(3).is("down")))) {
          skip = true;
        }
        for (int i = 1; i < o.size(); i++) {
          if (o.get(i).is("down") && o.get(i - 1).is(".")) {
            skip = true;
          }
        }
        String h = b.opener.head();
        if (h.equals("safety_assured") && !seenSafety.containsKey(b)) {
          seenSafety.put(b, true);
          sups.add(new Suppression(b.line, b.endLine, List.of(), "safety_assured", ""));
        }
        if (h.equals("create_table") || h.equals("create_join_table")) {
          inCreateTable = true;
          Chain c = RubyCalls.chain(o);
          createTable =
              h.equals("create_table") && !c.calls().isEmpty() ? c.calls().get(0).name(0) : null;
        }
        if (h.equals("change_table")) {
          Chain c = RubyCalls.chain(o);
          changeTable = c.calls().isEmpty() ? null : c.calls().get(0).name(0);
        }
        if ((h.equals("if") || h.equals("unless")) && existence(o)) {
          guarded = true;
        }
      }
      if (skip) {
        continue;
      }
      if (seedMode) {
        seedStatement(st, guarded, ops, sups, newVars);
      } else if (!inCreateTable || st.head().equals("execute")) {
        migrationStatement(st, changeTable, ops, sups);
      } else if (createTable != null) {
        Chain chain = RubyCalls.chain(st.tokens());
        if (chain.calls().size() >= 2 && chain.calls().get(0).args().isEmpty()) {
          changeTableCall(createTable, chain.calls().get(1), st.line(), tableColumns);
        }
      }
    }
    return new FrontEndResult(ops, sups, wrapped);
  }

  /**
   * The columns the {@code create_table} blocks of the last parsed migration declare, as {@code
   * AddColumn} operations with their SQL types (a block's columns are not operations of their own:
   * they belong to a table created in the same migration). Read by the column-type history of later
   * migrations.
   */
  public List<Operation> tableColumns() {
    return List.copyOf(tableColumns);
  }

  private static boolean existence(List<Token> toks) {
    return toks.stream().anyMatch(t -> t.kind() == Kind.IDENT && EXISTENCE.contains(t.text()));
  }

  // ---- migrations ----

  private void migrationStatement(
      Statement st, String changeTable, List<Operation> ops, List<Suppression> sups) {
    Chain chain = RubyCalls.chain(st.tokens());
    if (chain.calls().isEmpty()) {
      return;
    }
    List<Call> calls = chain.calls();
    Call first = calls.get(0);
    int line = st.line();
    // t.remove / t.rename / t.string … inside change_table
    if (changeTable != null && calls.size() >= 2 && first.args().isEmpty()) {
      changeTableCall(changeTable, calls.get(1), line, ops);
      return;
    }
    // connection.execute / ActiveRecord::Base.connection.execute
    for (Call c : calls) {
      if (c.name().equals("execute")
          || c.name().equals("exec_query")
          || c.name().equals("exec_update")
          || c.name().equals("exec_delete")) {
        sql(c, line, ops, sups);
        return;
      }
    }
    // Model.update_all / Model.where(…).delete_all
    if (Character.isUpperCase(first.name().charAt(0))) {
      ormDml(calls, line, ops);
      return;
    }
    dsl(first, line, ops);
  }

  private void ormDml(List<Call> calls, int line, List<Operation> ops) {
    String model = calls.get(0).name();
    boolean scoped = false;
    StringBuilder text = new StringBuilder(model);
    for (int i = 1; i < calls.size(); i++) {
      Call c = calls.get(i);
      text.append('.').append(c.name());
      if (Set.of("update_all", "delete_all", "destroy_all").contains(c.name())) {
        Where w = scoped ? Where.REAL : Where.NONE;
        String table = Names.table(model);
        if (c.name().equals("update_all")) {
          ops.add(new Operation.Update(line, table, w, text.toString()));
        } else {
          ops.add(new Operation.Delete(line, table, w, text.toString()));
        }
        return;
      }
      if (!SCOPE_ONLY.contains(c.name()) && !c.name().equals("connection")) {
        scoped = true;
      }
    }
  }

  private void sql(Call c, int line, List<Operation> ops, List<Suppression> sups) {
    if (c.args().isEmpty()) {
      return;
    }
    List<Token> arg = c.args().get(0);
    Token t = arg.get(0);
    if (t.kind() != Kind.STRING) {
      ops.add(
          new Operation.Unparsed(
              line, "execute(" + joined(arg) + ")", "SQL is not a literal string"));
      return;
    }
    String sql = t.interpolated() ? t.text().replaceAll("#\\{[^}]*}", "dbguard_param") : t.text();
    SqlFrontEnd.Result r = new SqlFrontEnd("postgresql").parse(sql, t.line());
    ops.addAll(r.operations());
    for (SqlSplitter.Comment cm : r.comments()) {
      Suppressions.fromComment(cm.text(), cm.line()).ifPresent(sups::add);
    }
  }

  /** A keyword argument that is one string or symbol ({@code from: "a"}), else {@code null}. */
  private static String kwString(Call c, String key) {
    List<Token> v = c.kwTokens(key);
    return v.size() == 1 && (v.get(0).kind() == Kind.STRING || v.get(0).kind() == Kind.SYMBOL)
        ? v.get(0).text()
        : null;
  }

  private static String joined(List<Token> toks) {
    StringBuilder sb = new StringBuilder();
    for (Token t : toks) {
      sb.append(t.text());
    }
    return sb.length() > 60 ? sb.substring(0, 60) + "…" : sb.toString();
  }

  private void dsl(Call c, int line, List<Operation> ops) {
    String t = Names.table(c.name(0));
    switch (c.name()) {
      case "create_table" -> {
        String force = c.kw("force");
        ops.add(
            new Operation.CreateTable(line, t, force != null && !force.equals("false"), List.of()));
      }
      case "create_join_table" -> {
        String a = Names.table(c.name(0));
        String b = Names.table(c.name(1));
        String name = c.kw("table_name");
        ops.add(
            new Operation.CreateTable(
                line,
                name != null ? Names.table(name) : (a.compareTo(b) < 0 ? a + "_" + b : b + "_" + a),
                false,
                List.of()));
      }
      case "drop_table", "drop_join_table" -> ops.add(new Operation.DropTable(line, t));
      case "rename_table" -> ops.add(new Operation.RenameTable(line, t, Names.table(c.name(1))));
      case "add_column" -> addColumn(t, c.name(1), c.name(2), c, line, ops);
      case "remove_column" -> ops.add(new Operation.DropColumn(line, t, Names.table(c.name(1))));
      case "remove_columns" -> {
        for (int i = 1; i < c.args().size(); i++) {
          if (c.name(i) != null) {
            ops.add(new Operation.DropColumn(line, t, Names.table(c.name(i))));
          }
        }
      }
      case "remove_timestamps" -> {
        ops.add(new Operation.DropColumn(line, t, "created_at"));
        ops.add(new Operation.DropColumn(line, t, "updated_at"));
      }
      case "remove_reference", "remove_belongs_to" ->
          ops.add(new Operation.DropColumn(line, t, Names.table(c.name(1)) + "_id"));
      case "rename_column" ->
          ops.add(
              new Operation.RenameColumn(line, t, Names.table(c.name(1)), Names.table(c.name(2))));
      case "change_column" -> {
        ops.add(
            new Operation.ChangeColumnType(
                line, t, Names.table(c.name(1)), null, railsType(c.name(2), c), false, false));
        if (c.hasKw("default") && defaultText(c) != null) {
          ops.add(new Operation.SetDefault(line, t, Names.table(c.name(1))));
        }
        if ("false".equals(c.kw("null"))) {
          ops.add(new Operation.SetNotNull(line, t, Names.table(c.name(1))));
        } else if ("true".equals(c.kw("null"))) {
          ops.add(new Operation.DropNotNull(line, t, Names.table(c.name(1))));
        }
      }
      case "change_column_default" ->
          ops.add(new Operation.SetDefault(line, t, Names.table(c.name(1))));
      case "change_column_null" -> {
        String v = c.args().size() > 2 ? joined(c.args().get(2)) : "";
        if (v.equals("false")) {
          ops.add(new Operation.SetNotNull(line, t, Names.table(c.name(1))));
        } else if (v.equals("true")) {
          ops.add(new Operation.DropNotNull(line, t, Names.table(c.name(1))));
        }
      }
      case "add_index" ->
          ops.add(
              new Operation.CreateIndex(
                  line,
                  t,
                  indexName(c),
                  "true".equals(c.kw("unique")),
                  ":concurrently".equals(c.kw("algorithm"))));
      case "remove_index" ->
          ops.add(
              new Operation.DropIndex(
                  line,
                  c.kw("name") != null ? unquote(c.kw("name")) : t + "_" + nn(c.name(1)) + "_index",
                  ":concurrently".equals(c.kw("algorithm"))));
      case "add_reference", "add_belongs_to" -> reference(t, c.name(1), c, line, ops);
      case "add_foreign_key" ->
          ops.add(
              new Operation.AddConstraint(
                  line,
                  t,
                  c.kw("name") != null
                      ? unquote(c.kw("name"))
                      : "fk:" + t + ":" + Names.table(c.name(1)),
                  ConstraintKind.FOREIGN_KEY,
                  "false".equals(c.kw("validate")),
                  false));
      case "validate_foreign_key" ->
          ops.add(
              new Operation.ValidateConstraint(
                  line,
                  t,
                  c.kw("name") != null
                      ? unquote(c.kw("name"))
                      : "fk:" + t + ":" + Names.table(c.name(1))));
      case "add_check_constraint" ->
          ops.add(
              new Operation.AddConstraint(
                  line,
                  t,
                  c.kw("name") != null ? unquote(c.kw("name")) : null,
                  ConstraintKind.CHECK,
                  "false".equals(c.kw("validate")),
                  false));
      case "validate_check_constraint", "validate_constraint" ->
          ops.add(
              new Operation.ValidateConstraint(
                  line, t, c.kw("name") != null ? unquote(c.kw("name")) : c.name(1)));
      case "add_unique_constraint" ->
          ops.add(
              new Operation.AddConstraint(
                  line, t, null, ConstraintKind.UNIQUE, false, c.hasKw("using_index")));
      case "add_exclusion_constraint" ->
          ops.add(new Operation.AddConstraint(line, t, null, ConstraintKind.EXCLUDE, false, false));
      case "add_timestamps" -> {
        boolean notNull = "false".equals(c.kw("null"));
        String def = c.kw("default");
        ops.add(new Operation.AddColumn(line, t, "created_at", "timestamp", notNull, def, false));
        ops.add(new Operation.AddColumn(line, t, "updated_at", "timestamp", notNull, def, false));
      }
      case "rename_enum_value" ->
          ops.add(new Operation.RenameEnumValue(line, t, kwString(c, "from"), kwString(c, "to")));
      case "create_enum" -> {
        List<String> labels = new ArrayList<>();
        if (c.args().size() > 1) {
          for (Token tk : c.args().get(1)) {
            if (tk.kind() == Kind.STRING && !tk.interpolated()) {
              labels.add(tk.text());
            }
          }
        }
        ops.add(new Operation.CreateEnum(line, t, List.copyOf(labels)));
      }
      case "add_enum_value" -> {
        if (c.args().size() > 1 && c.args().get(1).size() == 1) {
          String position =
              c.hasKw("before")
                  ? "before: " + c.kw("before")
                  : c.hasKw("after") ? "after: " + c.kw("after") : null;
          ops.add(new Operation.AddEnumValue(line, t, c.args().get(1).get(0).text(), position));
        }
      }
      case "rename_enum" -> {
        String to = c.name(1) != null ? c.name(1) : kwString(c, "to");
        if (to != null) {
          ops.add(new Operation.RenameType(line, t, Names.table(to)));
        }
      }
      case "drop_enum" -> ops.add(new Operation.DropType(line, List.of(t)));
      case "rename_schema" -> ops.add(new Operation.RenameSchema(line, t, Names.table(c.name(1))));
      case "drop_schema" -> ops.add(new Operation.DropSchema(line, t, "SCHEMA"));
      default -> {}
    }
  }

  private void changeTableCall(String table, Call c, int line, List<Operation> ops) {
    String t = Names.table(table);
    switch (c.name()) {
      case "remove" -> {
        for (int i = 0; i < c.args().size(); i++) {
          if (c.name(i) != null) {
            ops.add(new Operation.DropColumn(line, t, Names.table(c.name(i))));
          }
        }
      }
      case "rename" ->
          ops.add(
              new Operation.RenameColumn(line, t, Names.table(c.name(0)), Names.table(c.name(1))));
      case "change" ->
          ops.add(
              new Operation.ChangeColumnType(
                  line, t, Names.table(c.name(0)), null, railsType(c.name(1), c), false, false));
      case "index" ->
          ops.add(
              new Operation.CreateIndex(
                  line,
                  t,
                  indexName(c),
                  "true".equals(c.kw("unique")),
                  ":concurrently".equals(c.kw("algorithm"))));
      case "remove_index" ->
          ops.add(
              new Operation.DropIndex(
                  line, t + "_index", ":concurrently".equals(c.kw("algorithm"))));
      case "references", "belongs_to" -> reference(t, c.name(0), c, line, ops);
      case "remove_references", "remove_belongs_to" ->
          ops.add(new Operation.DropColumn(line, t, Names.table(c.name(0)) + "_id"));
      case "timestamps" -> {
        boolean notNull = !"true".equals(c.kw("null"));
        ops.add(
            new Operation.AddColumn(
                line, t, "created_at", "timestamp", notNull, c.kw("default"), false));
        ops.add(
            new Operation.AddColumn(
                line, t, "updated_at", "timestamp", notNull, c.kw("default"), false));
      }
      case "column" -> addColumn(t, c.name(0), c.name(1), c, line, ops);
      case "change_default", "change_null", "comment" -> {
        if (c.name().equals("change_null")
            && c.args().size() > 1
            && joined(c.args().get(1)).equals("false")) {
          ops.add(new Operation.SetNotNull(line, t, Names.table(c.name(0))));
        }
      }
      default -> {
        if (RAILS_TYPES.contains(c.name())) {
          for (int i = 0; i < c.args().size(); i++) {
            if (c.name(i) != null) {
              addColumn(t, c.name(i), c.name(), c, line, ops);
            }
          }
        }
      }
    }
  }

  private static final Set<String> RAILS_TYPES =
      Set.of(
          "string",
          "text",
          "integer",
          "bigint",
          "boolean",
          "datetime",
          "timestamp",
          "date",
          "decimal",
          "float",
          "json",
          "jsonb",
          "uuid",
          "binary",
          "time",
          "citext",
          "inet",
          "serial",
          "bigserial",
          "virtual",
          "numeric",
          "enum",
          "hstore");

  private void addColumn(String t, String col, String type, Call c, int line, List<Operation> ops) {
    boolean notNull = "false".equals(c.kw("null"));
    String def = defaultText(c);
    boolean stored = "virtual".equals(type) && "true".equals(c.kw("stored"));
    ops.add(
        new Operation.AddColumn(
            line, t, Names.table(col), railsType(type, c), notNull, def, stored));
  }

  private static String defaultText(Call c) {
    if (!c.hasKw("default")) {
      return null;
    }
    List<Token> v = c.kwTokens("default");
    if (v.size() == 1 && v.get(0).is("nil")) {
      return null;
    }
    for (Token tk : v) {
      if (tk.kind() == Kind.STRING && v.get(0).is("->")) {
        return tk.text(); // -> { "gen_random_uuid()" }: SQL expression
      }
    }
    return joined(v);
  }

  private void reference(String t, String ref, Call c, int line, List<Operation> ops) {
    String col = Names.table(ref) + "_id";
    ops.add(
        new Operation.AddColumn(line, t, col, "bigint", "false".equals(c.kw("null")), null, false));
    String index = c.kw("index");
    if (index == null || !index.equals("false")) {
      boolean conc = index != null && index.contains(":concurrently");
      ops.add(
          new Operation.CreateIndex(
              line,
              t,
              "index_" + t + "_on_" + col,
              index != null && index.contains("unique=>true"),
              conc));
    }
    String fk = c.kw("foreign_key");
    if (fk != null && !fk.equals("false")) {
      ops.add(
          new Operation.AddConstraint(
              line,
              t,
              "fk:" + t + ":" + Names.table(ref),
              ConstraintKind.FOREIGN_KEY,
              fk.contains("validate=>false"),
              false));
    }
  }

  private static String indexName(Call c) {
    return c.kw("name") != null ? unquote(c.kw("name")) : null;
  }

  private static String unquote(String s) {
    return s.replace("\"", "").replace("'", "").replace(":", "");
  }

  private static String nn(String s) {
    return s == null ? "x" : s;
  }

  /** Rails column type → SQL type text (PostgreSQL adapter). */
  static String railsType(String type, Call c) {
    if (type == null) {
      return null;
    }
    String limit = c.kw("limit");
    String precision = c.kw("precision");
    String scale = c.kw("scale");
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "string" -> limit != null ? "varchar(" + limit + ")" : "varchar";
      case "text" -> "text";
      case "integer" -> "8".equals(limit) ? "bigint" : "2".equals(limit) ? "smallint" : "integer";
      case "bigint" -> "bigint";
      case "boolean" -> "boolean";
      case "datetime", "timestamp" -> "timestamp";
      case "timestamptz" -> "timestamptz";
      case "decimal", "numeric" ->
          precision != null
              ? "numeric(" + precision + (scale != null ? "," + scale : "") + ")"
              : "numeric";
      case "float" -> "double precision";
      default -> type.toLowerCase(Locale.ROOT);
    };
  }

  // ---- seeds ----

  private void seedStatement(
      Statement st,
      boolean guarded,
      List<Operation> ops,
      List<Suppression> sups,
      Set<String> newVars) {
    int line = st.line();
    String head = st.head();
    Chain chain = RubyCalls.chain(st.tokens());
    boolean modGuard = !chain.modifier().isEmpty() && existence(chain.modifier());
    // file-level guard: return/exit/abort/next if User.exists?
    if (Set.of("return", "exit", "abort", "next", "exit!").contains(head)
        && modGuard
        && st.blocks().stream().noneMatch(b -> b.opener.head().equals("do") || isLoop(b))) {
      ops.add(new Operation.SeedCall(line, null, SeedEffect.GUARD, text(st)));
      return;
    }
    if (Set.of("load", "require_relative", "require").contains(head)) {
      if (head.equals("require")
          && st.tokens().size() > 1
          && st.tokens().get(1).kind() == Kind.STRING
          && !st.tokens().get(1).text().startsWith(".")
          && !st.tokens().get(1).text().contains("seed")) {
        return; // require 'faker' – a library
      }
      String pattern = loadPattern(st);
      if (pattern != null) {
        ops.add(new Operation.LoadFile(line, pattern, head.equals("require_relative"), text(st)));
      } else {
        ops.add(new Operation.SeedCall(line, null, SeedEffect.DELEGATED, text(st)));
      }
      return;
    }
    List<Call> calls = chain.calls();
    if (calls.isEmpty()) {
      return;
    }
    boolean isGuarded = guarded || modGuard;
    String model =
        Character.isUpperCase(calls.get(0).name().charAt(0)) ? calls.get(0).name() : null;
    for (int i = 0; i < calls.size(); i++) {
      Call c = calls.get(i);
      String n = c.name();
      if (n.equals("execute") || n.equals("exec_query")) {
        sql(c, line, ops, sups);
        return;
      }
      if (IDEMPOTENT.contains(n)) {
        ops.add(new Operation.SeedCall(line, model, SeedEffect.IDEMPOTENT, text(st)));
        return;
      }
      if (DESTROYS.contains(n) && (model != null || i > 0)) {
        ops.add(new Operation.SeedCall(line, model, SeedEffect.DESTRUCTIVE, text(st)));
        return;
      }
      if (n.equals("new") && model != null && chain.assignedTo() != null) {
        newVars.add(chain.assignedTo());
        return;
      }
      if ((n.equals("save") || n.equals("save!"))
          && (newVars.contains(calls.get(0).name())
              || i > 0 && calls.get(i - 1).name().equals("new"))) {
        ops.add(
            new Operation.SeedCall(
                line,
                model,
                isGuarded ? SeedEffect.IDEMPOTENT : SeedEffect.NON_IDEMPOTENT,
                text(st) + (isGuarded ? " (guarded)" : "")));
        return;
      }
      if (CREATES.contains(n) && (model != null || i > 0)) {
        ops.add(
            new Operation.SeedCall(
                line,
                model,
                isGuarded ? SeedEffect.IDEMPOTENT : SeedEffect.NON_IDEMPOTENT,
                text(st) + (isGuarded ? " (guarded)" : "")));
        return;
      }
      if (DELEGATES.contains(n)
          && i > 0
          && model != null
          && !model.equals("Rails")
          && !model.equals("Faker")) {
        ops.add(new Operation.SeedCall(line, model, SeedEffect.DELEGATED, text(st)));
        return;
      }
      if (n.equals("load_seed") || (n.equals("invoke") && i > 0)) {
        ops.add(new Operation.SeedCall(line, model, SeedEffect.DELEGATED, text(st)));
        return;
      }
    }
  }

  /**
   * The path or glob a {@code load}/{@code require_relative} names: a string literal, {@code
   * Rails.root.join("db", "seeds", "x.rb")}, or a block variable of an enclosing {@code
   * Dir[...]}/{@code Dir.glob(...)} loop; {@code null} when it is computed.
   */
  private static String loadPattern(Statement st) {
    List<Token> args = st.tokens().subList(1, st.tokens().size());
    String direct = joinedStrings(args);
    if (direct != null) {
      return direct;
    }
    if (args.size() == 1 && args.get(0).kind() == Kind.IDENT) {
      for (Block b : st.blocks()) {
        List<Token> o = b.opener.tokens();
        if (!o.isEmpty() && o.get(0).is("Dir")) {
          return joinedStrings(o);
        }
      }
    }
    return null;
  }

  /** Concatenates the string literals of {@code toks} with "/" (Rails.root.join style). */
  private static String joinedStrings(List<Token> toks) {
    List<String> parts = new ArrayList<>();
    for (Token t : toks) {
      if (t.kind() == Kind.STRING) {
        if (t.interpolated()) {
          return null;
        }
        parts.add(t.text());
      } else if (t.kind() == Kind.IDENT
          && !Set.of(
                  "Rails",
                  "root",
                  "join",
                  "to_s",
                  "File",
                  "expand_path",
                  "Dir",
                  "glob",
                  "sort",
                  "each",
                  "__dir__",
                  "load",
                  "require_relative",
                  "do")
              .contains(t.text())) {
        return null;
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  private static boolean isLoop(Block b) {
    return b.opener.tokens().stream()
        .anyMatch(t -> t.is("each") || t.is("times") || t.is("each_with_index"));
  }

  private static String text(Statement st) {
    StringBuilder sb = new StringBuilder();
    for (Token t : st.tokens()) {
      String s =
          t.kind() == Kind.SYMBOL
              ? ":" + t.text()
              : t.kind() == Kind.STRING ? "\"" + t.text() + "\"" : t.text();
      if (sb.length() > 0
          && t.kind() != Kind.PUNCT
          && !(sb.charAt(sb.length() - 1) == '.' || sb.charAt(sb.length() - 1) == '(')) {
        sb.append(' ');
      }
      sb.append(s);
      if (sb.length() > 80) {
        return sb.substring(0, 80) + "…";
      }
    }
    return sb.toString();
  }
}
