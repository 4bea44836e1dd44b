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
 * A value held in a local assigned earlier in the body ({@code v = f(row.c)} then {@code
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

  private static final Set<String> TESTS = Set.of("if", "unless", "case", "while", "until");

  private final Map<Block, Optional<Loop>> loops = new IdentityHashMap<>();

  /** One row loop: its model, row variable, chain text and what its body did so far. */
  private static final class Loop {
    final String model;
    final String var;
    final String text;
    final List<Call> chain;
    boolean tested;
    final Map<String, List<Token>> locals = new LinkedHashMap<>();
    final Map<String, List<Token>> assigned = new LinkedHashMap<>();

    Loop(String model, String var, String text, List<Call> chain) {
      this.model = model;
      this.var = var;
      this.text = text;
      this.chain = chain;
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
    int b = blocks.size() - 1;
    Loop loop = null;
    for (; b >= 0; b--) {
      loop = loops.computeIfAbsent(blocks.get(b), RailsRowLoops::loopOf).orElse(null);
      if (loop != null) {
        break;
      }
    }
    if (loop == null) {
      return false;
    }
    boolean conditioned = false;
    for (int i = b + 1; i < blocks.size(); i++) {
      conditioned |= TESTS.contains(blocks.get(i).opener.head());
    }
    List<Token> toks = st.tokens();
    String head = st.head();
    if (Set.of("next", "break", "return").contains(head)) {
      loop.tested = true;
      return true;
    }
    RubyCalls.Chain chain = RubyCalls.chain(toks);
    conditioned |= chain.modifier().stream().anyMatch(t -> t.is("if") || t.is("unless"));
    if (toks.size() > 2
        && toks.get(0).kind() == Kind.IDENT
        && toks.get(1).is("=")
        && !toks.get(0).text().equals(loop.var)) {
      loop.locals.put(toks.get(0).text(), toks.subList(2, toks.size()));
      return false;
    }
    if (toks.size() > 4
        && toks.get(0).is(loop.var)
        && toks.get(1).is(".")
        && toks.get(2).kind() == Kind.IDENT
        && toks.get(3).is("=")) {
      loop.assigned.put(toks.get(2).text().toLowerCase(Locale.ROOT), value(loop, toks, 4));
      loop.tested |= conditioned;
      return true;
    }
    List<Call> calls = chain.calls();
    if (calls.size() < 2 || !calls.get(0).name().equals(loop.var)) {
      return false;
    }
    Call write = calls.get(1);
    Map<String, List<Token>> values = new LinkedHashMap<>();
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
    ops.add(update(loop, values, conditioned || loop.tested, st.line(), write.name()));
    return true;
  }

  private static Operation.Update update(
      Loop loop, Map<String, List<Token>> values, boolean tested, int line, String method) {
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
        Names.railsTable(loop.model),
        scoped ? Where.REAL : Where.NONE,
        text,
        derived && !scoped,
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
  private static Optional<Loop> loopOf(Block block) {
    List<Token> o = block.opener.tokens();
    if (block.params.isEmpty()
        || o.isEmpty()
        || !(o.get(o.size() - 1).is("do") || o.get(o.size() - 1).is("{"))) {
      return Optional.empty();
    }
    List<Call> calls = RubyCalls.chain(o).calls();
    if (calls.size() < 2 || !LOOPS.contains(calls.get(calls.size() - 1).name())) {
      return Optional.empty();
    }
    int m = 0; // Spree::Variant.find_each: the model is the last constant of the chain's head
    while (m + 1 < calls.size() && upper(calls.get(m + 1).name())) {
      m++;
    }
    String model = calls.get(m).name();
    if (!upper(model) || m + 1 >= calls.size()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    calls.forEach(c -> names.add(c.name()));
    return Optional.of(
        new Loop(
            model,
            block.params.get(0),
            String.join(".", names),
            List.copyOf(calls.subList(m, calls.size()))));
  }

  private static boolean upper(String name) {
    return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
  }
}
