package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ActiveRecord data changes in a Rails migration: {@code Model.update_all}, {@code
 * Model.where(…).delete_all}, {@code destroy_all}, also through the relation a batch block yields
 * ({@code Model.in_batches(of: 1000) do |relation| relation.update_all(…) end}, the form Rails
 * documents for batched backfills): the relation is {@code Model} (with the chain's own scope), so
 * an unscoped batch loop changes every row exactly as one unscoped call does.
 */
final class RailsDml {

  /** Calls that select every row (no WHERE of their own). */
  private static final Set<String> SCOPE_ONLY =
      Set.of("all", "unscoped", "in_batches", "find_in_batches", "each_slice", "find_each");

  private RailsDml() {}

  /**
   * When {@code calls} run inside a {@code Model[.where(…)].in_batches(…) … do … end} block and
   * start with a bare lower-case name (the block's relation: the lexer keeps no block parameters,
   * and inside such a block a local receiving {@code update_all}/{@code delete_all} is the yielded
   * relation or one derived from it), the same calls on the block's relation: the opener's chain up
   * to {@code in_batches}, then {@code calls} after the name. Else null.
   *
   * @param blocks the statement's enclosing blocks, outermost first
   */
  static List<Call> batchRelation(List<Call> calls, List<Block> blocks) {
    Call first = calls.get(0);
    if (calls.size() < 2
        || !first.args().isEmpty()
        || first.name().isEmpty()
        || !Character.isLowerCase(first.name().charAt(0))) {
      return null;
    }
    for (int b = blocks.size() - 1; b >= 0; b--) {
      List<Token> o = blocks.get(b).opener.tokens();
      if (o.isEmpty() || !(o.get(o.size() - 1).is("do") || o.get(o.size() - 1).is("{"))) {
        continue;
      }
      List<Call> relation = relation(o.subList(0, o.size() - 1));
      if (relation != null) {
        List<Call> out = new ArrayList<>(relation);
        out.addAll(calls.subList(1, calls.size()));
        return out;
      }
      return null; // the innermost do-block is another loop
    }
    return null;
  }

  /** The chain of {@code toks} up to its {@code in_batches} call on a model class, or null. */
  private static List<Call> relation(List<Token> toks) {
    List<Call> chain = RubyCalls.chain(toks).calls();
    for (int i = 1; i < chain.size(); i++) {
      if (chain.get(i).name().equals("in_batches")) {
        String model = chain.get(0).name();
        return !model.isEmpty() && Character.isUpperCase(model.charAt(0))
            ? chain.subList(0, i + 1)
            : null;
      }
    }
    return null;
  }

  /**
   * The {@code Update} of {@code update_all}: {@code update_all(col: value, …)} sets those columns
   * (values not known to come from the row); {@code update_all("a = b, c = lower(d)")}, a SQL SET
   * list without interpolation, is read as {@code UPDATE table SET …} (so a copy of another column
   * is a backfill, as in SQL); anything else sets columns not known.
   */
  private static Operation.Update updateAll(Call c, int line, String table, Where w, String text) {
    if (c.args().isEmpty() && !c.kwargs().isEmpty()) {
      List<String> cols =
          c.kwargs().keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
      return new Operation.Update(line, table, w, text, false, cols);
    }
    if (c.args().size() == 1
        && c.kwargs().isEmpty()
        && c.args().get(0).size() == 1
        && c.args().get(0).get(0).kind() == RubySource.Kind.STRING
        && !c.args().get(0).get(0).interpolated()) {
      List<Operation> sql = new ArrayList<>();
      SqlDml.dml("UPDATE " + table + " SET " + c.args().get(0).get(0).text(), line, sql);
      if (sql.size() == 1 && sql.get(0) instanceof Operation.Update u) {
        return new Operation.Update(line, table, w, text, u.backfill(), u.columns(), u.copies());
      }
    }
    return new Operation.Update(line, table, w, text, false, null);
  }

  /**
   * Appends the operation of a model call chain ({@code calls.get(0)} the model class): an {@code
   * Update} for {@code update_all}, a {@code Delete} for {@code delete_all}/{@code destroy_all},
   * scoped when any call before it other than {@link #SCOPE_ONLY} narrows the rows. The table is
   * the model's default ({@link Names#railsTable}).
   */
  static void read(List<Call> calls, int line, List<Operation> ops) {
    String model = calls.get(0).name();
    boolean scoped = false;
    StringBuilder text = new StringBuilder(model);
    for (int i = 1; i < calls.size(); i++) {
      Call c = calls.get(i);
      text.append('.').append(c.name());
      if (Set.of("update_all", "delete_all", "destroy_all").contains(c.name())) {
        Where w = scoped ? Where.REAL : Where.NONE;
        String table = Names.railsTable(model);
        if (c.name().equals("update_all")) {
          ops.add(updateAll(c, line, table, w, text.toString()));
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
}
