package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubyCalls.Chain;
import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Statement;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Suppression;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rails front end: ActiveRecord migrations ({@code db/migrate/*.rb}) and Ruby seeds ({@code
 * db/seeds.rb}, {@code db/seeds/*.rb}).
 *
 * <p>Migrations: the schema DSL ({@code create_table}, {@code add_column}, {@code remove_column},
 * {@code rename_column}, {@code change_column}, {@code change_column_null}, {@code add_index},
 * {@code add_reference}, {@code add_foreign_key}, {@code add_check_constraint}, the
 * online_migrations gem's {@code add_not_null_constraint}, {@code change_table} blocks …), {@code
 * execute} with string or heredoc SQL analysed by {@link SqlFrontEnd}, model DML ({@code
 * update_all}, {@code delete_all}), {@code def down} and {@code dir.down} skipped (their {@code
 * change_column} types only read, as the previous types of the up side: {@link #downTypes}), {@code
 * safety_assured} blocks as suppressions, {@code disable_ddl_transaction!} for the transaction
 * mode. Checks mirror strong_migrations' list.
 *
 * <p>Seeds: each statement is read by {@link RubySeeds} (creates, deletes, delegations, loads, and
 * calls on models read from {@code app/models} through {@link RailsModels}); guard clauses ({@code
 * return if User.exists?}, {@code unless Role.any? … end}) are found here.
 */
public final class RubyFrontEnd {

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

  private final boolean seedMode;
  private final RubySeeds seeds;

  /** Columns declared inside {@code create_table} blocks by the last {@link #parse}. */
  private final List<Operation> tableColumns = new ArrayList<>();

  /**
   * The type the last {@code change_column} of each {@code table.column} in the down direction
   * ({@code def down}, {@code dir.down}) of the last {@link #parse} gives it; {@code null} when
   * that type is not literal.
   */
  private final Map<String, String> downTypes = new java.util.HashMap<>();

  /** The row loops of the file being parsed. */
  private RailsRowLoops rowLoops = new RailsRowLoops();

  /** The loops over literal lists of tables of the file being parsed. */
  private RubyListLoops listLoops = new RubyListLoops();

  /**
   * Local variables of the file being parsed whose last assignment was one string literal (a
   * heredoc, {@code sql = "UPDATE …"}), by name: {@code execute(sql)} runs that SQL.
   */
  private java.util.Map<String, Token> sqlStrings = new java.util.HashMap<>();

  /**
   * @param seedMode {@code true} for seed files, {@code false} for migrations
   */
  public RubyFrontEnd(boolean seedMode) {
    this(seedMode, RailsModels.none());
  }

  /**
   * @param seedMode {@code true} for seed files, {@code false} for migrations
   * @param models the application's model sources, read for what a seed's call on a model does
   */
  public RubyFrontEnd(boolean seedMode, RailsModels models) {
    this.seedMode = seedMode;
    this.seeds = new RubySeeds(models);
  }

  /** Parses one Ruby file. */
  public FrontEndResult parse(String src) {
    RubySource rs = RubySource.parse(src);
    tableColumns.clear();
    downTypes.clear();
    rowLoops = new RailsRowLoops();
    listLoops = new RubyListLoops();
    sqlStrings = new java.util.HashMap<>();
    List<Operation> ops = new ArrayList<>();
    List<Suppression> sups = new ArrayList<>();
    for (RubySource.Comment c : rs.comments()) {
      Suppressions.fromComment(c.text(), c.line()).ifPresent(sups::add);
    }
    boolean wrapped = true;
    Map<Block, Boolean> seenSafety = new IdentityHashMap<>();
    RubySeedReceivers seedVars = seedMode ? seeds.receivers() : null;
    if (seedMode) {
      seeds.tasks(rs.statements());
    }
    List<Statement> statements = seedMode ? rs.statements() : RubyRunOrder.of(rs.statements());
    for (Statement st : statements) {
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
        if (!seedMode && changeTable == null && !inCreateTable) {
          downStatement(st);
        }
        continue;
      }
      if (seedMode) {
        seeds.statement(st, guarded, ops, sups, seedVars);
      } else if (!inCreateTable || st.head().equals("execute")) {
        migrationStatement(st, changeTable, ops, sups);
      } else if (createTable != null) {
        Chain chain = RubyCalls.chain(st.tokens());
        if (chain.calls().size() >= 2 && chain.calls().get(0).args().isEmpty()) {
          RailsSchemaCalls.changeTableCall(
              createTable, chain.calls().get(1), st.line(), tableColumns);
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

  /**
   * The types the down direction of the last parsed migration ({@code def down}, {@code dir.down})
   * changes columns to with {@code change_column}, by {@code table.column}: the last such change of
   * each column, mapped as the up direction's are ({@link RailsColumnTypes}); {@code null} for a
   * column whose type there is not literal ({@code change_column :t, :c, old_type}, {@code limit:
   * OLD}). A reversible migration states in it the type the up direction changes a column from.
   */
  public Map<String, String> downTypes() {
    return java.util.Collections.unmodifiableMap(downTypes);
  }

  /** Records the type a {@code change_column} in the down direction gives its column. */
  private void downStatement(Statement st) {
    Chain chain = RubyCalls.chain(st.tokens());
    if (chain.calls().size() != 1 || !chain.calls().get(0).name().equals("change_column")) {
      return;
    }
    Call c = chain.calls().get(0);
    if (c.name(0) == null || c.name(1) == null) {
      return;
    }
    String type = RailsColumnTypes.sqlType(c.name(2), c);
    downTypes.put(
        Names.table(c.name(0)) + "." + Names.table(c.name(1)),
        type != null && LITERAL_TYPE.matcher(type).matches() ? type : null);
  }

  /** A type {@link RailsColumnTypes} made of literal parts: a name, digits, an array mark. */
  private static final java.util.regex.Pattern LITERAL_TYPE =
      java.util.regex.Pattern.compile("[a-z][a-z ]*(\\(\\d+(,\\d+)?\\))?(\\[])?");

  /**
   * Whether {@code toks} test that rows exist ({@code exists?}, {@code any?}, {@code count} ...).
   */
  static boolean existence(List<Token> toks) {
    return toks.stream().anyMatch(t -> t.kind() == Kind.IDENT && EXISTENCE.contains(t.text()));
  }

  // ---- migrations ----

  private void migrationStatement(
      Statement st, String changeTable, List<Operation> ops, List<Suppression> sups) {
    if (rowLoops.statement(st, ops)) {
      return; // a write or test of the row inside Model.find_each do |row| … end
    }
    if (listLoops.assignment(st)) {
      return; // tables = %w[a b]: read by a later tables.each do |table|
    }
    List<Token> toks = st.tokens();
    if (toks.size() >= 2 && toks.get(0).kind() == Kind.IDENT && toks.get(1).is("=")) {
      // sql = <<-SQL … SQL: remembered for a later execute(sql); any other value forgets it
      if (toks.size() >= 3 && toks.get(2).kind() == Kind.STRING && whitespaceOnly(toks, 3)) {
        sqlStrings.put(toks.get(0).text(), toks.get(2));
      } else {
        sqlStrings.remove(toks.get(0).text());
      }
    }
    Chain chain = RubyCalls.chain(st.tokens());
    if (chain.calls().isEmpty()) {
      return;
    }
    List<Call> calls = chain.calls();
    Call first = calls.get(0);
    int line = st.line();
    // t.remove / t.rename / t.string … inside change_table
    if (changeTable != null && calls.size() >= 2 && first.args().isEmpty()) {
      RailsSchemaCalls.changeTableCall(changeTable, calls.get(1), line, ops);
      return;
    }
    // connection.execute / ActiveRecord::Base.connection.execute
    for (Call c : calls) {
      if (c.name().equals("execute")
          || c.name().equals("exec_query")
          || c.name().equals("exec_update")
          || c.name().equals("exec_delete")) {
        List<Token> arg = c.args().isEmpty() ? List.of() : c.args().get(0);
        if (arg.size() == 1 && sqlStrings.containsKey(arg.get(0).text())) {
          sql(sqlStrings.get(arg.get(0).text()), line, ops, sups);
        } else {
          sql(c, line, ops, sups);
        }
        return;
      }
    }
    // Model.update_all / Model.where(…).delete_all, and relation.update_all inside a
    // Model.in_batches do |relation| block
    List<Call> relation = RailsDml.batchRelation(calls, st.blocks());
    if (relation != null) {
      RailsDml.read(relation, line, ops);
      return;
    }
    if (Character.isUpperCase(first.name().charAt(0))) {
      RailsDml.read(calls, line, ops);
      return;
    }
    for (Call c : listLoops.expand(st, first)) {
      RailsSchemaCalls.dsl(
          c, line, ops); // %i[a b].each do |t| change_column t, … end: once per table
    }
  }

  /**
   * Appends the operations of the SQL string given to {@code execute} ({@code c}) to {@code ops}.
   */
  static void sql(Call c, int line, List<Operation> ops, List<Suppression> sups) {
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
    sql(t, line, ops, sups);
  }

  /**
   * Whether {@code toks} from {@code from} on are nothing but calls that change only a string's
   * whitespace ({@code <<~SQL.squish}, {@code .strip}, {@code .chomp}) or freeze it.
   */
  private static boolean whitespaceOnly(List<Token> toks, int from) {
    for (int k = from; k < toks.size(); k += 2) {
      if (!toks.get(k).is(".")
          || k + 1 >= toks.size()
          || !Set.of("squish", "strip", "chomp", "freeze", "squeeze")
              .contains(toks.get(k + 1).text())) {
        return false;
      }
    }
    return true;
  }

  /** Appends the operations of the SQL string literal {@code t} to {@code ops}. */
  private static void sql(Token t, int line, List<Operation> ops, List<Suppression> sups) {
    String sql = t.interpolated() ? t.text().replaceAll("#\\{[^}]*}", "dbguard_param") : t.text();
    SqlFrontEnd.Result r = new SqlFrontEnd("postgresql").parse(sql, t.line());
    ops.addAll(r.operations());
    for (SqlSplitter.Comment cm : r.comments()) {
      Suppressions.fromComment(cm.text(), cm.line()).ifPresent(sups::add);
    }
  }

  /** A keyword argument that is one string or symbol ({@code from: "a"}), else {@code null}. */
  static String kwString(Call c, String key) {
    List<Token> v = c.kwTokens(key);
    return v.size() == 1 && (v.get(0).kind() == Kind.STRING || v.get(0).kind() == Kind.SYMBOL)
        ? v.get(0).text()
        : null;
  }

  static String joined(List<Token> toks) {
    StringBuilder sb = new StringBuilder();
    for (Token t : toks) {
      sb.append(t.text());
    }
    return sb.length() > 60 ? sb.substring(0, 60) + "…" : sb.toString();
  }
}
