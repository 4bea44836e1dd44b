package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Statement;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.Where;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Row-by-row updates in a Rails migration: a block over the rows of a model ({@code Model.find_each
 * do |row|}, {@code Model.all.each { |row| … }}, {@code .where(…)} before it) whose body writes
 * columns of the row — {@code row.update!(c: v)}, {@code update}, {@code update_columns}, {@code
 * update_column(:c, v)}, {@code update_attribute(:c, v)}, or {@code row.c = v} then {@code
 * row.save} / {@code save!}. It is the ORM form of an {@code UPDATE} and is judged as that SQL
 * would be, like a Django {@code RunPython} loop ({@link RowLoops}):
 *
 * <ul>
 *   <li>over every row it is an {@code UPDATE} without {@code WHERE}: a value not read from the row
 *       (a constant, a counter) overwrites every row (DBG112); a value read from other columns of
 *       the row is a backfill (DBG223); a value computed from the very column it replaces by any
 *       method ({@code row.name.strip}, {@code Sanitizer.clean(row.body)}) is an in-place
 *       transformation the SQL front end also counts as lossy ({@link UpdateValues});
 *   <li>a scope before the loop ({@code .where(…)}, {@code .limit(…)}), or a body that tests each
 *       row ({@code if}/{@code unless} around or after the write, {@code next}/{@code break}/{@code
 *       return}) is an {@code UPDATE} with a real {@code WHERE}. A {@code where.not(c: nil)} (or
 *       {@code ""}, {@code [nil, ""]}) on the column the loop overwrites is not: it skips only rows
 *       with nothing to lose.
 * </ul>
 *
 * <p>An in-place mutation of an attribute ({@code row.url.strip!}, {@code gsub!} …) then a save is
 * the assignment {@code row.url = row.url.strip}. A save guarded only by {@code row.url_changed?}
 * (or {@code changed?}) tests nothing: the rows it skips would be written unchanged. An assignment
 * under an {@code if} with the row saved after it, outside the test, writes every row with a value
 * that depends on the row (a backfill). A save with nothing assigned before it ({@code
 * Model.all.each(&:save)}, {@code find_each { |r| r.save! }}) rewrites every row through the
 * model's callbacks, a backfill of unknown columns; {@code each(&:touch)} overwrites {@code
 * updated_at} of every row, as {@code update_all(updated_at: Time.current)} does.
 *
 * <p>A value held in a local assigned earlier in the body ({@code v = f(row.c)} then {@code
 * row.update!(c: v)}, also Ruby 3.1's {@code update!(c:)}) is read as that expression. One instance
 * per migration file.
 */
final class RailsRowLoops {

  /** Chain calls that choose no rows of their own. */
  private static final Set<String> UNSCOPED =
      Set.of(
          "all",
          "unscoped",
          "find_each",
          "each",
          "each_with_index",
          "order",
          "reorder",
          "includes",
          "preload",
          "eager_load",
          "select",
          "readonly",
          "lock");

  /** Row-loop openers: the last call of the chain. */
  private static final Set<String> LOOPS = Set.of("find_each", "each", "each_with_index");

  private static final Set<String> WRITE_HASH =
      Set.of(
          "update",
          "update!",
          "update_columns",
          "update_attributes",
          "update_attributes!",
          "assign_attributes",
          "attributes=");

  private static final Set<String> WRITE_ONE = Set.of("update_column", "update_attribute");

  /** In-place mutators of a string, array or hash attribute ({@code row.url.strip!}). */
  private static final Set<String> MUTATORS =
      Set.of(
          "strip!",
          "lstrip!",
          "rstrip!",
          "squish!",
          "chomp!",
          "chop!",
          "gsub!",
          "sub!",
          "tr!",
          "squeeze!",
          "delete!",
          "downcase!",
          "upcase!",
          "capitalize!",
          "swapcase!",
          "merge!",
          "compact!",
          "uniq!",
          "reject!",
          "select!",
          "map!",
          "sort!",
          "reverse!",
          "flatten!",
          "slice!");

  /** Row methods that delete the row. */
  private static final Set<String> DELETES = Set.of("destroy", "destroy!", "delete");

  private static final Set<String> TESTS = Set.of("if", "unless", "case", "while", "until");

  private final Map<Block, Optional<Loop>> loops = new IdentityHashMap<>();

  /** One row loop: its model, row variable, chain text and what its body did so far. */
  private static final class Loop {
    final String model;
    final String var;
    final String text;
    final List<Call> chain;
    boolean tested;

    /**
     * The table of an association loop ({@code guide.editions.each} inside a loop over every guide:
     * {@code editions}), or null for a loop over a model's relation.
     */
    String association;

    /** An attribute was assigned under an {@code if} of the body, not yet saved. */
    boolean guarded;

    /** The body wrote the row already, or called another method of it: no bare save. */
    boolean written;

    final Map<String, List<Token>> locals = new LinkedHashMap<>();
    final Map<String, List<Token>> assigned = new LinkedHashMap<>();

    Loop(String model, String var, String text, List<Call> chain) {
      this.model = model;
      this.var = var;
      this.text = text;
      this.chain = chain;
    }

    /**
     * The loop calling {@code method} on its row, for a finding: {@code M.find_each { |r| r.m }}.
     */
    String called(String method) {
      return text + " { |" + var + "| " + var + "." + method + " }";
    }

    /** The table whose rows the loop writes. */
    String table() {
      return association != null ? association : Names.railsTable(model);
    }
  }

  /**
   * Reads {@code st} when it runs inside a model row loop and writes the row (or tests it, or holds
   * a value in a local): adds an {@code Update} to {@code ops} where the row is written.
   *
   * @return whether {@code st} was a statement of the loop's row (no other reading applies to it)
   */
  boolean statement(Statement st, List<Operation> ops) {
    List<Block> blocks = st.blocks();
    int b = -1;
    Loop loop = null;
    for (int i = 0; i < blocks.size(); i++) { // outermost first: an inner loop may be over its rows
      Loop outer = loop;
      Loop l = loops.computeIfAbsent(blocks.get(i), blk -> loopOf(blk, outer)).orElse(null);
      if (l != null) {
        loop = l;
        b = i;
      }
    }
    if (loop == null) {
      return symbolLoop(st, ops);
    }
    boolean conditioned = false;
    for (int i = b + 1; i < blocks.size(); i++) {
      Block inner = blocks.get(i);
      conditioned |=
          TESTS.contains(inner.opener.head()) && !changeTest(inner.opener.tokens(), loop.var, 1);
    }
    List<Token> toks = st.tokens();
    if (Set.of("next", "break", "return").contains(st.head())) {
      loop.tested = true;
      return true;
    }
    RubyCalls.Chain chain = RubyCalls.chain(toks);
    List<Token> mod = chain.modifier();
    conditioned |=
        !mod.isEmpty()
            && (mod.get(0).is("if") || mod.get(0).is("unless"))
            && !changeTest(mod, loop.var, 1);
    if (toks.size() > 2
        && toks.get(0).kind() == Kind.IDENT
        && toks.get(1).is("=")
        && !toks.get(0).text().equals(loop.var)) {
      loop.locals.put(toks.get(0).text(), toks.subList(2, toks.size()));
      return false;
    }
    String mutated = mutated(loop.var, toks);
    if (mutated != null
        || (toks.size() > 4
            && toks.get(0).is(loop.var)
            && toks.get(1).is(".")
            && toks.get(2).kind() == Kind.IDENT
            && toks.get(3).is("="))) {
      String column = (mutated != null ? mutated : toks.get(2).text()).toLowerCase(Locale.ROOT);
      loop.assigned.put(column, mutated != null ? toks : value(loop, toks, 4));
      loop.guarded |= conditioned;
      return true;
    }
    List<Call> calls = chain.calls();
    if (resetsCounters(loop, calls, conditioned, st.line(), ops)) {
      return true;
    }
    if (calls.size() < 2 || !calls.get(0).name().equals(loop.var)) {
      return false;
    }
    if (!write(loop, calls.get(1), conditioned, st.line(), ops)) {
      loop.written = true; // row.tags << tag, row.recount!: a later bare save is not the write
      return false;
    }
    return true;
  }

  /**
   * Reads the write {@code write} of the loop's row ({@code row.update!(…)}, {@code row.save},
   * {@code row.touch} …) and adds its {@code Update} to {@code ops}.
   *
   * @return whether it was a write of the row
   */
  private static boolean write(
      Loop loop, Call write, boolean conditioned, int line, List<Operation> ops) {
    Map<String, List<Token>> values = new LinkedHashMap<>();
    boolean guarded = false;
    if (WRITE_HASH.contains(write.name())) {
      for (Map.Entry<String, List<Token>> e : write.kwargs().entrySet()) {
        values.put(e.getKey().toLowerCase(Locale.ROOT), local(loop, e.getKey(), e.getValue()));
      }
    } else if (WRITE_ONE.contains(write.name())
        && write.name(0) != null
        && write.args().size() > 1) {
      values.put(write.name(0).toLowerCase(Locale.ROOT), local(loop, "", write.args().get(1)));
    } else if (write.name().equals("save") || write.name().equals("save!")) {
      values.putAll(loop.assigned);
      loop.assigned.clear();
      guarded = loop.guarded && !conditioned;
      loop.tested |= loop.guarded && conditioned;
      loop.guarded = false;
      if (values.isEmpty() && !loop.written) {
        loop.written = true; // a bare save: the model's callbacks recompute it from the row
        ops.add(bare(loop, write.name(), conditioned || loop.tested, line));
        return true;
      }
    } else if (DELETES.contains(write.name()) && write.args().isEmpty()) {
      loop.written = true;
      ops.add(delete(loop, write.name(), conditioned || loop.tested, line));
      return true;
    } else if (write.name().equals("touch") && write.args().isEmpty()) {
      values.put("updated_at", List.of());
    } else {
      return false;
    }
    if (values.isEmpty()) {
      return true;
    }
    if (write.name().equals("assign_attributes") || write.name().equals("attributes=")) {
      loop.assigned.putAll(values); // written by a later save
      return true;
    }
    loop.written = true;
    ops.add(update(loop, values, conditioned || loop.tested, guarded, line, write.name()));
    return true;
  }

  /**
   * {@code Model.reset_counters(row.id, :visits)} in the loop: Rails recounts the association and
   * writes the row's counter cache column ({@code visits_count}; Rails API, {@code
   * ActiveRecord::CounterCache.reset_counters}), a value computed from the row's own associated
   * rows — a backfill of every row the loop visits.
   *
   * @return whether the statement was such a call
   */
  private static boolean resetsCounters(
      Loop loop, List<Call> calls, boolean conditioned, int line, List<Operation> ops) {
    Call reset =
        calls.stream().filter(c -> c.name().equals("reset_counters")).findFirst().orElse(null);
    if (reset == null
        || reset.args().isEmpty()
        || reset.args().get(0).stream().noneMatch(t -> t.is(loop.var))) {
      return false;
    }
    List<String> counters = new ArrayList<>();
    for (int i = 1; i < reset.args().size(); i++) {
      String a = reset.name(i);
      if (a != null) {
        counters.add(a.toLowerCase(Locale.ROOT) + "_count");
      }
    }
    boolean scoped = conditioned || loop.tested || scopedChain(loop.chain, Set.of());
    loop.written = true;
    ops.add(
        new Operation.Update(
            line,
            loop.table(),
            scoped ? Where.REAL : Where.NONE,
            loop.text + " { |" + loop.var + "| reset_counters(" + loop.var + ".id, …) }",
            !scoped,
            counters.isEmpty() ? null : List.copyOf(counters)));
    return true;
  }

  /**
   * {@code Model[.chain].each(&:save)} (also {@code find_each}, {@code save!}, {@code touch}):
   * every row of the relation saved again — a backfill by the model's callbacks — or touched, its
   * {@code updated_at} overwritten.
   */
  private static boolean symbolLoop(Statement st, List<Operation> ops) {
    List<Token> toks = st.tokens();
    if (toks.size() < 4
        || !toks.get(toks.size() - 1).is(")")
        || toks.get(toks.size() - 2).kind() != Kind.SYMBOL
        || !toks.get(toks.size() - 3).is("&")
        || !(toks.get(toks.size() - 4).is("(") || toks.get(toks.size() - 4).is(","))) {
      return false;
    }
    String method = toks.get(toks.size() - 2).text();
    if (!Set.of("save", "save!", "touch").contains(method) && !DELETES.contains(method)) {
      return false;
    }
    List<Token> head = new ArrayList<>(toks.subList(0, toks.size() - 4));
    if (toks.get(toks.size() - 4).is(",")) {
      head.add(toks.get(toks.size() - 1)); // find_each(batch_size: 500, &:save)
    }
    Loop loop = loop(RubyCalls.chain(head).calls(), "row");
    if (loop == null) {
      return false;
    }
    if (DELETES.contains(method)) {
      ops.add(delete(loop, method, false, st.line()));
    } else if (method.equals("touch")) {
      Map<String, List<Token>> values = new LinkedHashMap<>();
      values.put("updated_at", List.of());
      ops.add(update(loop, values, false, false, st.line(), method));
    } else {
      ops.add(bare(loop, method, false, st.line()));
    }
    return true;
  }

  /**
   * A delete of the loop's row ({@code r.destroy}, {@code each(&:destroy)}): the ORM form of a
   * {@code DELETE}, of every row of the relation unless the chain or the body scopes it.
   */
  private static Operation.Delete delete(Loop loop, String method, boolean tested, int line) {
    boolean scoped = tested || scopedChain(loop.chain, Set.of());
    return new Operation.Delete(
        line, loop.table(), scoped ? Where.REAL : Where.NONE, loop.called(method));
  }

  /** A save of the row with no attribute assigned first: a backfill of unknown columns. */
  private static Operation.Update bare(Loop loop, String method, boolean tested, int line) {
    boolean scoped = tested || scopedChain(loop.chain, Set.of());
    return new Operation.Update(
        line, loop.table(), scoped ? Where.REAL : Where.NONE, loop.called(method), !scoped);
  }

  /**
   * The column {@code row.c.strip!} (or another in-place mutator of a string, array or hash)
   * changes in place, or {@code null}.
   */
  private static String mutated(String var, List<Token> toks) {
    if (toks.size() < 4
        || !toks.get(0).is(var)
        || !toks.get(1).is(".")
        || toks.get(2).kind() != Kind.IDENT) {
      return null;
    }
    if (toks.size() >= 5 && toks.get(3).is(".") && MUTATORS.contains(toks.get(4).text())) {
      return toks.get(2).text();
    }
    return null;
  }

  /**
   * Whether the condition {@code cond[from…]} only asks whether the row has unsaved changes ({@code
   * if row.url_changed?}, {@code row.changed?}): rows it skips would be written unchanged.
   */
  private static boolean changeTest(List<Token> cond, String var, int from) {
    if (cond.size() != from + 3 || !cond.get(from).is(var) || !cond.get(from + 1).is(".")) {
      return false;
    }
    String m = cond.get(from + 2).text();
    return m.endsWith("changed?") || m.equals("has_changes_to_save?");
  }

  private static Operation.Update update(
      Loop loop,
      Map<String, List<Token>> values,
      boolean tested,
      boolean guarded,
      int line,
      String method) {
    boolean scoped = tested || scopedChain(loop.chain, values.keySet());
    boolean derived = true;
    for (Map.Entry<String, List<Token>> e : values.entrySet()) {
      derived &= derived(loop.var, e.getKey(), e.getValue());
    }
    String text =
        loop.text
            + " { |"
            + loop.var
            + "| "
            + loop.var
            + "."
            + method
            + " "
            + String.join(", ", values.keySet())
            + " }";
    return new Operation.Update(
        line,
        loop.table(),
        scoped ? Where.REAL : Where.NONE,
        text,
        (derived || guarded) && !scoped,
        List.copyOf(values.keySet()));
  }

  /**
   * Whether a value read from the row keeps what it replaces: it reads the row ({@code var.x}), and
   * if it reads the column it replaces, it is that column alone.
   */
  private static boolean derived(String var, String column, List<Token> value) {
    boolean readsRow = false;
    boolean readsSelf = false;
    for (int i = 0; i + 2 < value.size(); i++) {
      if (value.get(i).is(var) && value.get(i + 1).is(".")) {
        readsRow = true;
        readsSelf |= value.get(i + 2).text().equalsIgnoreCase(column);
      }
    }
    for (Token t : value) {
      if (t.kind() == Kind.STRING && t.interpolated()) { // "#{row.code}-#{row.number}"
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile(
                    "\\b" + java.util.regex.Pattern.quote(var) + "\\.(\\w+)")
                .matcher(t.text());
        while (m.find()) {
          readsRow = true;
          readsSelf |= m.group(1).equalsIgnoreCase(column);
        }
      }
    }
    boolean alone =
        value.size() == 3 && value.get(0).is(var) && value.get(2).text().equalsIgnoreCase(column);
    return readsRow && (!readsSelf || alone);
  }

  /** The value tokens after {@code from}, a local of the body read as its expression. */
  private static List<Token> value(Loop loop, List<Token> toks, int from) {
    return local(loop, "", toks.subList(from, toks.size()));
  }

  /**
   * {@code v} itself, or the expression of the body's local it names; an empty value (Ruby 3.1's
   * {@code update!(c:)}) is the local named {@code key}.
   */
  private static List<Token> local(Loop loop, String key, List<Token> v) {
    if (v.isEmpty()) {
      return loop.locals.getOrDefault(key, List.of());
    }
    if (v.size() == 1
        && v.get(0).kind() == Kind.IDENT
        && loop.locals.containsKey(v.get(0).text())) {
      return loop.locals.get(v.get(0).text());
    }
    return v;
  }

  /**
   * Whether a call of the loop's chain narrows the rows. {@code where.not(c: nil)} on a column the
   * loop writes does not: it skips only rows with nothing to lose.
   */
  private static boolean scopedChain(List<Call> chain, Set<String> written) {
    for (int i = 1; i < chain.size(); i++) {
      Call c = chain.get(i);
      if (UNSCOPED.contains(c.name())) {
        continue;
      }
      if (c.name().equals("where") && c.args().isEmpty() && c.kwargs().isEmpty()) {
        continue; // the `where` of `where.not(…)`
      }
      if (c.name().equals("not")
          && c.args().isEmpty()
          && !c.kwargs().isEmpty()
          && c.kwargs().entrySet().stream()
              .allMatch(
                  e ->
                      written.contains(e.getKey().toLowerCase(Locale.ROOT))
                          && onlyEmpty(e.getValue()))) {
        continue;
      }
      return true;
    }
    return false;
  }

  /** {@code nil}, {@code ""} or an array of them. */
  private static boolean onlyEmpty(List<Token> v) {
    return !v.isEmpty()
        && v.stream()
            .allMatch(
                t ->
                    t.is("nil")
                        || t.is("[")
                        || t.is("]")
                        || t.is(",")
                        || (t.kind() == Kind.STRING && t.text().isEmpty()));
  }

  /** The row loop {@code block} opens, if it is one: {@code Model[.chain].find_each do |row|}. */
  /**
   * The row loop {@code block} opens, or empty. Inside a loop over every row of a model ({@code
   * outer}), a loop over an association of its row ({@code guide.editions.each do |edition|}) is a
   * loop over the rows of that association's table (Rails names a {@code has_many} association
   * after its table): every row of it that belongs to any row of the outer loop, scoped when either
   * chain or the outer loop's body scopes it.
   */
  private static Optional<Loop> loopOf(Block block, Loop outer) {
    List<Token> o = block.opener.tokens();
    if (block.params.isEmpty()
        || o.isEmpty()
        || !(o.get(o.size() - 1).is("do") || o.get(o.size() - 1).is("{"))) {
      return Optional.empty();
    }
    List<Call> calls = RubyCalls.chain(o).calls();
    Loop loop = loop(calls, block.params.get(0));
    if (loop == null
        && outer != null
        && calls.size() >= 3
        && calls.get(0).name().equals(outer.var)
        && LOOPS.contains(calls.get(calls.size() - 1).name())
        && calls.get(1).args().isEmpty()
        && !upper(calls.get(1).name())
        && calls.get(1).name().endsWith("s")) {
      List<String> names = new ArrayList<>();
      calls.forEach(c -> names.add(c.name()));
      loop =
          new Loop(
              outer.model,
              block.params.get(0),
              String.join(".", names),
              List.copyOf(calls.subList(1, calls.size())));
      loop.association = calls.get(1).name().toLowerCase(Locale.ROOT);
      loop.tested = outer.tested || scopedChain(outer.chain, Set.of());
    }
    return Optional.ofNullable(loop);
  }

  /**
   * The row loop of the chain {@code calls} ending in a loop call, with row variable {@code var}.
   */
  private static Loop loop(List<Call> calls, String var) {
    if (calls.size() < 2 || !LOOPS.contains(calls.get(calls.size() - 1).name())) {
      return null;
    }
    int m = 0; // Spree::Variant.find_each: a constant path is one call (RubyCalls)
    while (m + 1 < calls.size() && upper(calls.get(m + 1).name())) {
      m++;
    }
    String model = calls.get(m).name();
    if (!upper(model) || m + 1 >= calls.size()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    calls.forEach(c -> names.add(c.name()));
    return new Loop(
        model, var, String.join(".", names), List.copyOf(calls.subList(m, calls.size())));
  }

  private static boolean upper(String name) {
    return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
  }
}
