package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubyCalls.Chain;
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
    if (k > 0 && (NOT_MODELS.contains(root) || isValueConstant(calls.get(k - 1).name()))) {
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
      if (!NOT_MODELS.contains(root)
          && !isValueConstant(model)
          && relation(calls, k, calls.size(), model)) {
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

  /** The number of leading calls that spell a constant ({@code Admin::User}), up to {@code max}. */
  private static int constantPath(List<Call> calls, int max) {
    int k = 0;
    while (k < max && Character.isUpperCase(calls.get(k).name().charAt(0))) {
      k++;
    }
    return k;
  }

  /** {@code DEFAULTS}, {@code SEED_ROLES}: a value constant, not a class (Ruby naming). */
  private static boolean isValueConstant(String name) {
    return name.length() > 1 && name.matches("[A-Z][A-Z0-9_]*");
  }
}
