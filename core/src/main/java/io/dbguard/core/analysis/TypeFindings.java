package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Rules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of enum and type operations in a batch: renaming an enum value (DBG113), an enum
 * rebuilt without some of its labels (DBG114), renaming a type the batch did not create and does
 * not create again (DBG115).
 */
final class TypeFindings {

  /** Types created earlier in the batch ({@code CREATE TYPE … AS ENUM}). */
  private final Set<String> createdTypes = new HashSet<>();

  private final EnumLabels enumLabels = new EnumLabels();

  /**
   * Adds the findings of {@code op} (file {@code fi}, operation {@code oi}, reported as {@code p})
   * to {@code out} when it is an enum or type operation.
   *
   * @return whether {@code op} was one
   */
  boolean handles(
      List<ParsedFile> files, int fi, int oi, Operation op, String p, List<Finding> out) {
    int line = op.line();
    if (op instanceof Operation.RenameEnumValue r) {
      out.add(
          f(
              Rules.RENAME_ENUM_VALUE,
              p,
              line,
              r.oldLabel() == null || r.newLabel() == null
                  ? "renames a value of enum " + r.type()
                  : "renames value '"
                      + r.oldLabel()
                      + "' of enum "
                      + r.type()
                      + " to '"
                      + r.newLabel()
                      + "' while old code still writes '"
                      + r.oldLabel()
                      + "'"));
      enumLabels.renameValue(r.type(), r.oldLabel(), r.newLabel());
    } else if (op instanceof Operation.CreateEnum c) {
      enumRebuild(c.type(), c.labels(), p, line, out);
      enumLabels.create(c.type(), c.labels());
      createdTypes.add(c.type());
    } else if (op instanceof Operation.AddEnumValue a) {
      enumLabels.add(a.type(), a.label());
    } else if (op instanceof Operation.RenameType r) {
      List<String> labels = enumLabels.renameType(r.type(), r.newName());
      if (labels != null) {
        enumRebuild(r.newName(), labels, p, line, out);
      }
      if (createdTypes.remove(r.type())) {
        createdTypes.add(r.newName());
      } else if (!typeCreatedLater(files, fi, oi, r.type())) {
        out.add(
            f(
                Rules.RENAME_TYPE,
                p,
                line,
                "renames type "
                    + r.type()
                    + " to "
                    + r.newName()
                    + " while old code still names "
                    + r.type()));
      }
    } else if (op instanceof Operation.DropType d) {
      d.types().forEach(enumLabels::drop);
    } else {
      return false;
    }
    return true;
  }

  /**
   * A type named {@code type} now has {@code labels}; when an enum of that name was dropped or
   * renamed away earlier in the batch and its labels are known, the labels it loses are DBG114.
   */
  private void enumRebuild(
      String type, List<String> labels, String p, int line, List<Finding> out) {
    List<String> before = enumLabels.formerLabels(type);
    if (before == null) {
      return;
    }
    List<String> removed = before.stream().filter(l -> !labels.contains(l)).toList();
    if (!removed.isEmpty()) {
      out.add(
          f(
              Rules.ENUM_VALUE_REMOVED,
              p,
              line,
              "enum "
                  + type
                  + " is rebuilt without "
                  + (removed.size() == 1 ? "value " : "values ")
                  + String.join(", ", removed.stream().map(l -> "'" + l + "'").toList())
                  + ": rows holding "
                  + (removed.size() == 1 ? "it" : "them")
                  + " make the USING cast fail, and old code still writes "
                  + (removed.size() == 1 ? "it" : "them")));
    }
  }

  /**
   * Enum labels known from earlier in the batch ({@code CREATE TYPE … AS ENUM} gives all of them,
   * {@code ADD VALUE} / {@code RENAME VALUE} on a type created before the batch give some), and the
   * labels of an enum whose name was freed by {@code DROP TYPE} or {@code RENAME TO} (the type a
   * rebuild replaces).
   */
  private static final class EnumLabels {
    private final Map<String, List<String>> current = new java.util.HashMap<>();
    private final Map<String, List<String>> former = new java.util.HashMap<>();

    void create(String type, List<String> labels) {
      current.put(type, new ArrayList<>(labels));
    }

    void add(String type, String label) {
      List<String> l = current.computeIfAbsent(type, k -> new ArrayList<>());
      if (!l.contains(label)) {
        l.add(label);
      }
    }

    void renameValue(String type, String from, String to) {
      if (to == null) {
        return;
      }
      List<String> l = current.computeIfAbsent(type, k -> new ArrayList<>());
      int i = from == null ? -1 : l.indexOf(from);
      if (i >= 0) {
        l.set(i, to);
      } else if (!l.contains(to)) {
        l.add(to);
      }
    }

    /** Renames the type; returns its labels when known, else {@code null}. */
    List<String> renameType(String type, String newName) {
      List<String> l = current.remove(type);
      if (l == null) {
        return null;
      }
      former.put(type, List.copyOf(l));
      current.put(newName, l);
      return l;
    }

    void drop(String type) {
      List<String> l = current.remove(type);
      if (l != null) {
        former.put(type, l);
      }
    }

    /** The labels of the enum that last had this name before it was dropped or renamed; once. */
    List<String> formerLabels(String type) {
      return former.remove(type);
    }
  }

  /** Whether a type named {@code type} is created after file {@code fi}, operation {@code oi}. */
  private static boolean typeCreatedLater(List<ParsedFile> files, int fi, int oi, String type) {
    for (Operation op : BatchOperations.after(files, fi, oi)) {
      if (op instanceof Operation.CreateEnum c && c.type().equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static Finding f(Rule r, String file, int line, String msg) {
    return new Finding(r, file, line, msg, false, null);
  }
}
