package io.dbguard.core.analysis.frontend;

import static io.dbguard.core.analysis.frontend.RubyFrontEnd.joined;
import static io.dbguard.core.analysis.frontend.RubyFrontEnd.kwString;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Rails schema DSL calls of a migration, as operations: {@code create_table}, {@code
 * add_column}, {@code change_column}, {@code add_index}, {@code add_reference}, {@code
 * add_foreign_key}, {@code add_check_constraint} …, and the calls inside a {@code change_table} or
 * {@code create_table} block ({@code t.string}, {@code t.remove}, {@code t.index} …). Part of
 * {@link RubyFrontEnd}.
 */
final class RailsSchemaCalls {
  private RailsSchemaCalls() {}

  /** The column types of the Rails DSL ({@code t.string :name}, {@code t.jsonb :data}). */
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

  /**
   * The table a DSL call names: its literal name, or, when the first argument is an expression (a
   * loop's variable, {@code connection.tables.each do |table|}), that expression in angle brackets
   * ({@code <table>}), so a finding names what the file wrote; {@code null} without arguments.
   */
  private static String tableArg(Call c) {
    String name = c.name(0);
    if (name != null || c.args().isEmpty() || c.args().get(0).isEmpty()) {
      return Names.table(name);
    }
    return "<" + joined(c.args().get(0)) + ">";
  }

  static void dsl(Call c, int line, List<Operation> ops) {
    String t = tableArg(c);
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
        ops.add(changeColumn(c, t, line, 1));
        if (c.hasKw("default") && defaultText(c) != null) {
          ops.add(new Operation.SetDefault(line, t, Names.table(c.name(1))));
        }
        if ("false".equals(c.kw("null"))) {
          ops.add(new Operation.SetNotNull(line, t, Names.table(c.name(1))));
        } else if ("true".equals(c.kw("null"))) {
          ops.add(new Operation.DropNotNull(line, t, Names.table(c.name(1))));
        }
      }
      case "change_column_default" -> {
        // change_column_default :t, :c, nil  or  … from: x, to: nil
        String to = c.hasKw("to") ? c.kw("to") : c.args().size() > 2 ? joined(c.args().get(2)) : "";
        ops.add(
            "nil".equals(to)
                ? new Operation.DropDefault(line, t, Names.table(c.name(1)))
                : new Operation.SetDefault(line, t, Names.table(c.name(1))));
      }
      case "change_column_null" -> {
        String v = c.args().size() > 2 ? joined(c.args().get(2)) : "";
        if (v.equals("false")) {
          ops.add(new Operation.SetNotNull(line, t, Names.table(c.name(1))));
        } else if (v.equals("true")) {
          ops.add(new Operation.DropNotNull(line, t, Names.table(c.name(1))));
        }
      }
      case "add_index" -> ops.add(createIndex(c, t, line));
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
      case "add_check_constraint" -> {
        List<Token> condition = c.args().size() > 1 ? c.args().get(1) : List.of();
        ops.add(
            new Operation.AddConstraint(
                line,
                t,
                c.kw("name") != null ? unquote(c.kw("name")) : null,
                ConstraintKind.CHECK,
                "false".equals(c.kw("validate")),
                false,
                condition.size() == 1
                        && condition.get(0).kind() == Kind.STRING
                        && !condition.get(0).interpolated()
                    ? SqlFrontEnd.notNullColumn(condition.get(0).text())
                    : null));
      }
      case "validate_check_constraint", "validate_constraint" ->
          ops.add(
              new Operation.ValidateConstraint(
                  line, t, c.kw("name") != null ? unquote(c.kw("name")) : c.name(1)));
      // the online_migrations gem: add_not_null_constraint :t, :c adds CHECK (c IS NOT NULL),
      // validated at once unless validate: false; validate_not_null_constraint validates it
      case "add_not_null_constraint" -> {
        if (c.name(1) != null) {
          ops.add(
              new Operation.AddConstraint(
                  line,
                  t,
                  notNullName(c),
                  ConstraintKind.CHECK,
                  "false".equals(c.kw("validate")),
                  false,
                  Names.table(c.name(1)).toLowerCase(java.util.Locale.ROOT)));
        }
      }
      case "validate_not_null_constraint" -> {
        if (c.name(1) != null) {
          ops.add(new Operation.ValidateConstraint(line, t, notNullName(c)));
        }
      }
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

  static void changeTableCall(String table, Call c, int line, List<Operation> ops) {
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
      case "change" -> ops.add(changeColumn(c, t, line, 0));
      case "index" -> ops.add(createIndex(c, t, line));
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

  private static void addColumn(
      String t, String col, String type, Call c, int line, List<Operation> ops) {
    boolean notNull = "false".equals(c.kw("null"));
    String def = defaultText(c);
    boolean stored = "virtual".equals(type) && "true".equals(c.kw("stored"));
    ops.add(
        new Operation.AddColumn(
            line, t, Names.table(col), RailsColumnTypes.sqlType(type, c), notNull, def, stored));
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

  private static void reference(String t, String ref, Call c, int line, List<Operation> ops) {
    String col = Names.table(ref) + "_id";
    boolean notNull = "false".equals(c.kw("null"));
    ops.add(new Operation.AddColumn(line, t, col, "bigint", notNull, null, false));
    String polymorphic = c.kw("polymorphic");
    if (polymorphic != null && !polymorphic.equals("false")) {
      // polymorphic: true adds <ref>_type beside <ref>_id (Rails API, add_reference)
      ops.add(
          new Operation.AddColumn(
              line, t, Names.table(ref) + "_type", "varchar", notNull, null, false));
    }
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

  /**
   * The name of the online_migrations NOT NULL check of {@code c} ({@code :t, :col, name: …}): its
   * {@code name:}, else a name of dbguard's own for the column (the gem generates one from a hash
   * of the table and condition), the same for the add and the validate.
   */
  private static String notNullName(Call c) {
    return c.kw("name") != null
        ? unquote(c.kw("name"))
        : "not_null:" + Names.table(c.name(1)).toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The type change {@code change_column :t, :c, :type, …} ({@code column} 1) or {@code t.change
   * :c, :type, …} in a {@code change_table} block ({@code column} 0) makes: the column named by
   * argument {@code column}, the Rails type by the next, its options and {@code using:}.
   */
  private static Operation.ChangeColumnType changeColumn(Call c, String t, int line, int column) {
    return new Operation.ChangeColumnType(
        line,
        t,
        Names.table(c.name(column)),
        null,
        RailsColumnTypes.sqlType(c.name(column + 1), c),
        c.kwString("using"),
        false);
  }

  /**
   * The index {@code add_index :t, …} or {@code t.index …} (in a {@code change_table} block of
   * table {@code t}) builds: its name, whether unique, whether {@code algorithm: :concurrently}.
   */
  private static Operation.CreateIndex createIndex(Call c, String t, int line) {
    return new Operation.CreateIndex(
        line,
        t,
        indexName(c),
        "true".equals(c.kw("unique")),
        ":concurrently".equals(c.kw("algorithm")));
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
}
