package io.dbguard.core.analysis.frontend;

import static io.dbguard.core.analysis.frontend.DjangoFrontEnd.nonEmptySet;
import static io.dbguard.core.analysis.frontend.DjangoFrontEnd.str;

import io.dbguard.core.analysis.frontend.PythonSource.Call;
import io.dbguard.core.analysis.frontend.PythonSource.Dict;
import io.dbguard.core.analysis.frontend.PythonSource.Name;
import io.dbguard.core.analysis.frontend.PythonSource.Node;
import io.dbguard.core.analysis.frontend.PythonSource.Other;
import io.dbguard.core.analysis.frontend.PythonSource.Seq;
import io.dbguard.core.analysis.frontend.PythonSource.Str;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The unique constraints of Django models in a migration: {@code unique_together} groups and named
 * {@code UniqueConstraint}s that {@code CreateModel} options, {@code AlterUniqueTogether}, {@code
 * AddConstraint} and {@code RemoveConstraint} declare, recorded in {@link DjangoFields}, and the
 * constraints a change drops (its index dropped under ACCESS EXCLUSIVE, DBG202) or builds (DBG205).
 * Part of {@link DjangoFrontEnd}.
 */
final class DjangoUniqueConstraints {
  private final DjangoFields declared;
  private final DjangoFields history;
  private final UnaryOperator<String> key;
  private final UnaryOperator<String> tableOf;

  /**
   * @param declared what this file declared so far (updated)
   * @param history what the app's earlier migrations declared
   * @param key the key a model's fields are recorded under
   * @param tableOf the table of a model
   */
  DjangoUniqueConstraints(
      DjangoFields declared,
      DjangoFields history,
      UnaryOperator<String> key,
      UnaryOperator<String> tableOf) {
    this.declared = declared;
    this.history = history;
    this.key = key;
    this.tableOf = tableOf;
  }

  /**
   * RemoveConstraint: an index dropped when the earlier migrations (or this file) declare the
   * constraint a {@code UniqueConstraint}; the constraint is forgotten either way.
   */
  void removeConstraint(Call c, int line, List<Operation> ops) {
    String model = str(c.arg("model_name", 0));
    String name = str(c.arg("name", 1));
    if (name == null) {
      return;
    }
    name = name.toLowerCase(Locale.ROOT);
    Boolean unique = declared.uniqueConstraint(key.apply(model), name);
    if (unique == null) {
      unique = history.uniqueConstraint(key.apply(model), name);
    }
    if (Boolean.TRUE.equals(unique)) {
      ops.add(
          new Operation.DropConstraint(line, tableOf.apply(model), name, ConstraintKind.UNIQUE));
    }
    declared.constraint(key.apply(model), name, false);
  }

  /**
   * AlterUniqueTogether: a unique constraint built for a group the model did not have (for any
   * group when the earlier groups are not known), one dropped for each group the earlier migrations
   * declared that the new value leaves out.
   */
  void alterUniqueTogether(Call c, int line, List<Operation> ops) {
    String model = str(c.arg("name", 0));
    Node ut = c.arg("unique_together", 1);
    Set<String> groups = groups(ut);
    Set<String> before = declared.together(key.apply(model));
    if (before == null) {
      before = history.together(key.apply(model));
    }
    String table = tableOf.apply(model);
    if (before != null && groups != null) {
      for (String g : before) {
        if (!groups.contains(g)) {
          ops.add(
              new Operation.DropConstraint(
                  line, table, "unique_together (" + g + ")", ConstraintKind.UNIQUE));
        }
      }
    }
    if (nonEmptySet(ut) && (before == null || groups == null || !before.containsAll(groups))) {
      ops.add(new Operation.AddConstraint(line, table, null, ConstraintKind.UNIQUE, false, false));
    }
    if (groups != null) {
      declared.together(key.apply(model), groups);
    }
  }

  /**
   * Records the {@code unique_together} groups (none when not given) and the named constraints that
   * {@code CreateModel} options declare for {@code model}.
   */
  void remember(String model, Node options) {
    Node ut = options instanceof Dict d ? d.entries().get("unique_together") : null;
    Set<String> groups = ut == null ? Set.of() : groups(ut);
    if (groups != null) {
      declared.together(model, groups);
    }
    if (options instanceof Dict d && d.entries().get("constraints") instanceof Seq cons) {
      for (Node n : cons.items()) {
        if (n instanceof Call k && str(k.arg("name", -1)) != null) {
          declared.constraint(
              model,
              str(k.arg("name", -1)).toLowerCase(Locale.ROOT),
              k.simpleName().equals("UniqueConstraint"));
        }
      }
    }
  }

  /**
   * The groups of a {@code unique_together} value ({@link DjangoFields#group} keys): a set, list or
   * tuple of tuples of field names, one tuple of names, {@code set()}, {@code set([...])}; {@code
   * null} when not read.
   */
  static Set<String> groups(Node n) {
    if (n instanceof Call c
        && (c.callee().equals("set") || c.callee().equals("frozenset"))
        && c.args().size() <= 1) {
      return c.args().isEmpty() ? Set.of() : groups(c.args().get(0));
    }
    if (n instanceof Other o && o.text().replace(" ", "").equals("set()")) {
      return Set.of();
    }
    if (n instanceof Name none && none.dotted().equals("None")) {
      return Set.of();
    }
    if (!(n instanceof Seq s)) {
      return null;
    }
    if (!s.items().isEmpty() && s.items().stream().allMatch(i -> i instanceof Str)) {
      return Set.of(DjangoFields.group(s.items().stream().map(i -> ((Str) i).value()).toList()));
    }
    Set<String> out = new HashSet<>();
    for (Node item : s.items()) {
      if (!(item instanceof Seq g) || !g.items().stream().allMatch(i -> i instanceof Str)) {
        return null;
      }
      out.add(DjangoFields.group(g.items().stream().map(i -> ((Str) i).value()).toList()));
    }
    return out;
  }
}
