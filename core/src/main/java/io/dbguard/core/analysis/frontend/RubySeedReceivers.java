package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubyCalls.Chain;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a deleting call in a Rails seed ({@code delete}, {@code destroy}, {@code delete_all},
 * {@code truncate}, ...) deletes rows, decided from its receiver as Ruby resolves the call, and
 * what the seed's local variables hold, statement by statement.
 *
 * <ul>
 *   <li>A receiver rooted in a constant that is not a model deletes nothing: a library ({@code
 *       Rails.cache}, {@code FileUtils}), {@code ENV}, {@code ARGV}, a core class ({@code Hash},
 *       {@code Set}) or a value constant written in capitals ({@code DEFAULTS}).
 *   <li>{@code connection.delete(sql)}, {@code connection.truncate(table)} delete rows, on {@code
 *       ActiveRecord::Base.connection} or a variable assigned from it.
 *   <li>{@code delete} without arguments deletes a record: {@code Hash#delete}, {@code
 *       Array#delete} and {@code String#delete} all need one.
 *   <li>{@code delete(arg)} deletes rows on a model class ({@code User.delete(5)}), on a relation
 *       of one ({@code User.where(..).delete(ids)}) and on a has-many association that the model's
 *       source ({@code app/models/<model>.rb}) declares ({@code user.roles.delete(role)}, which
 *       deletes join rows or the associated rows). On any other receiver — a local variable
 *       assigned from a literal, {@code params}, a block or method parameter, an attribute, or a
 *       variable or method whose value is not shown to be a model, relation or record — it is
 *       {@code Hash#delete}, {@code Array#delete} or {@code String#delete} and deletes nothing.
 *   <li>{@code truncate(n)} on anything but a model class or a connection is ActiveSupport's {@code
 *       String#truncate}.
 *   <li>The other deleting names ({@code destroy}, {@code delete_all}, ...) exist only on models,
 *       relations and records, and delete on any receiver but a non-model constant.
 * </ul>
 */
final class RubySeedReceivers {

  /** What a local variable is shown to hold. */
  private enum Held {
    /** One record ({@code User.find_by(...)}): its {@code delete} takes no argument. */
    RECORD,
    /** A relation or an association ({@code User.where(...)}, {@code user.roles}). */
    RELATION,
    CONNECTION
  }

  /** Finder calls that return one record rather than a relation. */
  private static final Set<String> ONE_RECORD =
      Set.of(
          "find",
          "find_by",
          "find_by!",
          "first",
          "first!",
          "last",
          "last!",
          "take",
          "take!",
          "sole",
          "find_sole_by",
          "new",
          "create",
          "create!",
          "find_or_create_by",
          "find_or_create_by!",
          "find_or_initialize_by",
          "first_or_create",
          "first_or_create!",
          "first_or_initialize",
          "create_or_find_by",
          "create_or_find_by!");

  /**
   * Constants whose methods delete no rows: libraries, process state, core classes (also read by
   * {@link RubySeedModels}).
   */
  static final Set<String> NOT_MODELS =
      Set.of(
          "FileUtils",
          "File",
          "Dir",
          "Rails",
          "Faker",
          "CSV",
          "Kernel",
          "Pathname",
          "Tempfile",
          "ENV",
          "ARGV",
          "Rake",
          "ActiveRecord",
          "ActiveStorage",
          "Hash",
          "Array",
          "Set",
          "String",
          "Struct",
          "OpenStruct",
          "JSON",
          "YAML",
          "Time",
          "Date",
          "DateTime",
          "I18n",
          "Redis",
          "Marshal",
          "ObjectSpace");

  /** Calls on a model or a relation that return a relation or a record. */
  private static final Set<String> RELATION_OR_RECORD =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  "where",
                  "all",
                  "unscoped",
                  "not",
                  "rewhere",
                  "joins",
                  "left_joins",
                  "left_outer_joins",
                  "includes",
                  "preload",
                  "eager_load",
                  "order",
                  "reorder",
                  "limit",
                  "offset",
                  "distinct",
                  "readonly",
                  "merge",
                  "or",
                  "with_deleted",
                  "only_deleted"),
              ONE_RECORD.stream())
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final RailsModels models;
  private final Map<String, Held> held = new HashMap<>();
  private final Map<String, String> modelOf = new HashMap<>();
  private final Set<String> newRecords = new HashSet<>();

  /**
   * @param models the application's model sources, for has-many associations
   */
  RubySeedReceivers(RailsModels models) {
    this.models = models;
  }

  private boolean factoryMethods;

  /** Notes that the file includes FactoryBot's syntax methods (bare {@code create(:book)}). */
  void includeFactoryMethods() {
    factoryMethods = true;
  }

  /** Whether the file included FactoryBot's syntax methods so far. */
  boolean factoryMethods() {
    return factoryMethods;
  }

  /** Variables holding a {@code Model.new} record (read and updated by {@link RubySeeds}). */
  Set<String> newRecords() {
    return newRecords;
  }

  /**
   * Whether call {@code i} of {@code calls}, whose name is one of {@link RailsModels#DELETES},
   * deletes rows.
   */
  boolean deletesRows(List<Call> calls, int i) {
    String n = calls.get(i).name();
    Call c = calls.get(i);
    boolean hasArgs = !c.args().isEmpty() || !c.kwargs().isEmpty();
    if (i == 0) {
      return false; // a bare call or one on a literal ("a-b".delete("-"))
    }
    String root = calls.get(0).name();
    if (held.get(root) == Held.CONNECTION
        || calls.subList(0, i).stream().anyMatch(x -> x.name().equals("connection"))) {
      return true;
    }
    int k = constantPath(calls, i);
    if (k > 0 && (notModel(root) || isValueConstant(calls.get(k - 1).name()))) {
      return false;
    }
    if (n.equals("truncate")) {
      return k == i; // Model.truncate; else String#truncate
    }
    if (!n.equals("delete") || !hasArgs) {
      return true;
    }
    if (k > 0) {
      return k == i || relation(calls, k, i, calls.get(k - 1).name());
    }
    Held h = held.get(root);
    if (h == Held.RELATION && i == 1) {
      return true; // relation.delete(id), association.delete(record)
    }
    return h != null && i > 1 && relation(calls, 1, i, modelOf.get(root));
  }

  /** Loop methods that call their block argument on each element of the receiver. */
  private static final Set<String> LOOPS =
      Set.of("each", "each_with_index", "map", "collect", "flat_map", "find_each", "filter_map");

  /**
   * Whether statement {@code toks} deletes rows by a loop whose block argument is a deleting method
   * ({@code .each(&:destroy)}) over an expression that holds rows: it names a model class with a
   * query call ({@code Hive.all}, {@code Hive.where(..)}) or a variable that holds a relation or
   * record, as in {@code (Hive.all - kept).each(&:destroy)} or {@code [Hive.all -
   * kept].flatten.each(&:destroy)} ({@code Array#-} of a relation is an array of its records). A
   * loop over values that are not rows (a literal array, a hash, a value constant) deletes nothing.
   */
  boolean loopDeletesRows(List<Token> toks) {
    for (int dot = 0; dot + 4 < toks.size(); dot++) {
      if (deletingLoop(toks, dot) != null) {
        return holdsRows(toks.subList(0, dot));
      }
    }
    return false;
  }

  /**
   * The deleting method of a loop with a block argument whose call starts at {@code dot} ({@code
   * .each(&:destroy)}, {@code &.map(&:delete_all)}: {@code destroy}, {@code delete_all}), else
   * {@code null}.
   */
  private static String deletingLoop(List<Token> toks, int dot) {
    if (dot < 0
        || dot + 4 >= toks.size()
        || !(toks.get(dot).is(".") || toks.get(dot).is("&."))
        || !LOOPS.contains(toks.get(dot + 1).text())
        || !toks.get(dot + 2).is("(")
        || !toks.get(dot + 3).is("&")
        || toks.get(dot + 4).kind() != Kind.SYMBOL
        || !RailsModels.DELETES.contains(toks.get(dot + 4).text())) {
      return null;
    }
    return toks.get(dot + 4).text();
  }

  /**
   * The index of the last name of the constant path that starts at {@code k} ({@code
   * Beekeeping::Hive}: the index of {@code Hive}); {@code k} for a plain constant.
   */
  private static int pathEnd(List<Token> toks, int k) {
    int e = k;
    while (e + 2 < toks.size() && toks.get(e + 1).is("::")) {
      e += 2;
    }
    return e;
  }

  /**
   * For a statement that loops a deleting block argument over a literal list ({@code [Hive,
   * Frame].each(&:destroy_all)}, {@code %w[a b].each(&:destroy)}): whether it deletes rows. A list
   * of model classes ({@code Beekeeping::Hive} paths too; no value constant, no {@link #NOT_MODELS}
   * namespace) with a class method that deletes every row ({@code destroy_all}, {@code delete_all})
   * empties each model's table; a list of strings, symbols, numbers or other constants deletes
   * nothing, whatever the method. {@code null} when the statement is no such loop (a list of rows,
   * {@code [Hive.all - kept].flatten.each(&:destroy)}, is {@link #loopDeletesRows}'s).
   */
  Boolean literalListDeletes(List<Token> toks) {
    if (toks.isEmpty() || !toks.get(0).is("[")) {
      return null;
    }
    int close = RubyCalls.matching(toks, 0, toks.size());
    String method = close < toks.size() ? deletingLoop(toks, close + 1) : null;
    if (method == null) {
      return null;
    }
    List<Token> items = toks.subList(1, close);
    boolean models = !items.isEmpty();
    boolean rows = false;
    for (int k = 0; k < items.size(); k++) {
      Token t = items.get(k);
      if (t.is(",") || t.is("::")) {
        continue;
      }
      if (t.kind() != Kind.IDENT || !Character.isUpperCase(t.text().charAt(0))) {
        models = false;
        rows |= t.is(".") || t.is("-"); // Hive.all - kept: rows, not classes
        continue;
      }
      int e = pathEnd(items, k);
      String path = items.get(e).text();
      if (notModel(t.text()) || isValueConstant(path)) {
        models = false;
      }
      k = e;
    }
    if (rows) {
      return null;
    }
    return models && (method.equals("destroy_all") || method.equals("delete_all"));
  }

  /** Whether expression {@code recv} names a model's rows or a variable holding rows. */
  private boolean holdsRows(List<Token> recv) {
    for (int m = 0; m < recv.size(); m++) {
      Token t = recv.get(m);
      boolean method = m > 0 && (recv.get(m - 1).is(".") || recv.get(m - 1).is("&."));
      boolean assigned = m + 1 < recv.size() && recv.get(m + 1).is("=");
      if (t.kind() != Kind.IDENT || method || assigned) {
        continue;
      }
      if (!Character.isUpperCase(t.text().charAt(0))) {
        Held h = held.get(t.text());
        if (h == Held.RELATION || h == Held.RECORD) {
          return true;
        }
        continue;
      }
      int e = pathEnd(recv, m);
      String last = recv.get(e).text();
      if (e + 2 < recv.size()
          && recv.get(e + 1).is(".")
          && (RELATION_OR_RECORD.contains(recv.get(e + 2).text())
              || recv.get(e + 2).is("find_each"))
          && !NOT_MODELS.contains(t.text())
          && !isValueConstant(last)) {
        return true;
      }
      m = e;
    }
    return false;
  }

  /**
   * Records what the variable a statement assigns now holds: a record, a relation or association
   * (rooted in a model class or in such a variable through query calls or declared associations), a
   * connection, or nothing known.
   */
  void assigned(Chain chain) {
    String var = chain.assignedTo();
    if (var == null) {
      return;
    }
    held.remove(var);
    modelOf.remove(var);
    List<Call> calls = chain.calls();
    if (calls.isEmpty()) {
      return;
    }
    if (calls.get(calls.size() - 1).name().equals("connection")) {
      held.put(var, Held.CONNECTION);
      return;
    }
    String root = calls.get(0).name();
    int k = constantPath(calls, calls.size());
    if (k > 0 && k < calls.size()) {
      String model = calls.get(k - 1).name();
      if (!notModel(root) && !isValueConstant(model) && relation(calls, k, calls.size(), model)) {
        held.put(var, kind(calls));
        modelOf.put(var, k == calls.size() - 1 ? model : null);
      }
    } else if (k == 0 && held.containsKey(root) && held.get(root) != Held.CONNECTION) {
      if (calls.size() > 1 && relation(calls, 1, calls.size(), modelOf.get(root))) {
        held.put(var, kind(calls));
      }
    }
  }

  /** A record when the chain ends in a finder of one record, else a relation or association. */
  private static Held kind(List<Call> calls) {
    return ONE_RECORD.contains(calls.get(calls.size() - 1).name()) ? Held.RECORD : Held.RELATION;
  }

  /**
   * Whether calls {@code [from, to)} keep a relation or record of {@code model}: query and finder
   * calls, and has-many associations its source declares (after which the model is not known).
   */
  private boolean relation(List<Call> calls, int from, int to, String model) {
    String m = model;
    for (int j = from; j < to; j++) {
      String name = calls.get(j).name();
      if (RELATION_OR_RECORD.contains(name)) {
        continue;
      }
      if (m != null && models.collections(m).contains(name)) {
        m = null;
        continue;
      }
      return false;
    }
    return true;
  }

  /**
   * The number of leading calls that name a constant, up to {@code max}: 1 for {@code Admin::User}
   * (one call, {@link RubyCalls}), 0 for a variable.
   */
  private static int constantPath(List<Call> calls, int max) {
    int k = 0;
    while (k < max && Character.isUpperCase(calls.get(k).name().charAt(0))) {
      k++;
    }
    return k;
  }

  /**
   * {@code DEFAULTS}, {@code SEED_ROLES}, {@code Config::DEFAULTS}: a value constant, not a class
   * (Ruby naming of the path's innermost name).
   */
  private static boolean isValueConstant(String name) {
    String n = RubyCalls.innermost(name);
    return n.length() > 1 && n.matches("[A-Z][A-Z0-9_]*");
  }

  /**
   * Whether the constant (path) {@code name} is in a namespace of {@link #NOT_MODELS} ({@code
   * Rails}, {@code Faker::Lorem}, {@code ActiveRecord::Base}).
   */
  static boolean notModel(String name) {
    return NOT_MODELS.contains(RubyCalls.outermost(name));
  }
}
