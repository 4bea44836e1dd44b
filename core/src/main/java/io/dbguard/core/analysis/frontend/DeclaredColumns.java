package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Operation;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a {@code table.column → type} map in step with the operations of a migration: added and
 * retyped columns are recorded, dropped ones removed, renamed columns and tables moved. The columns
 * of a {@code CREATE TABLE} are recorded by the front end that reads them (their types are not part
 * of the operation).
 */
public final class DeclaredColumns {

  private DeclaredColumns() {}

  /**
   * Applies {@code op} to {@code types}.
   *
   * @param op one operation, in file order
   * @param types {@code table.column → type}, modified in place
   */
  public static void replay(Operation op, Map<String, String> types) {
    if (op instanceof Operation.AddColumn a && a.type() != null) {
      types.put(a.table() + "." + a.column(), a.type());
    } else if (op instanceof Operation.ChangeColumnType c && c.newType() != null) {
      types.put(c.table() + "." + c.column(), c.newType());
    } else if (op instanceof Operation.DropColumn d) {
      types.remove(d.table() + "." + d.column());
    } else if (op instanceof Operation.RenameColumn r) {
      String t = types.remove(r.table() + "." + r.column());
      if (t != null) {
        types.put(r.table() + "." + r.newName(), t);
      }
    } else if (op instanceof Operation.RenameTable r) {
      String prefix = r.table() + ".";
      for (String k : List.copyOf(types.keySet())) {
        if (k.startsWith(prefix)) {
          types.put(r.newName() + "." + k.substring(prefix.length()), types.remove(k));
        }
      }
    } else if (op instanceof Operation.DropTable d) {
      types.keySet().removeIf(k -> k.startsWith(d.table() + "."));
    }
  }

  /**
   * Applies {@code op} to a set of columns that cannot hold NULL: a CREATE TABLE replaces the
   * table's entries with its NOT NULL columns, an added column is recorded when NOT NULL (and
   * removed when not; {@code ADD COLUMN IF NOT EXISTS} changes nothing), SET NOT NULL and a primary
   * key's columns are recorded, DROP NOT NULL removes, drops remove and renames move entries.
   *
   * @param op one operation, in file order
   * @param notNull {@code table.column} of the NOT NULL columns, modified in place
   */
  public static void replayNotNull(Operation op, Set<String> notNull) {
    if (op instanceof Operation.CreateTable c) {
      notNull.removeIf(k -> k.startsWith(c.table() + "."));
      c.notNull().forEach(col -> notNull.add(c.table() + "." + col));
    } else if (op instanceof Operation.AddColumn a) {
      if (a.ifNotExists()) {
        return; // the column may exist already, as it was
      } else if (a.notNull()
          || a.type() != null && (a.type().endsWith("serial") || a.type().contains("identity"))) {
        notNull.add(a.table() + "." + a.column());
      } else {
        notNull.remove(a.table() + "." + a.column());
      }
    } else if (op instanceof Operation.SetNotNull s) {
      notNull.add(s.table() + "." + s.column());
    } else if (op instanceof Operation.ImpliedNotNull n) {
      notNull.add(n.table() + "." + n.column());
    } else if (op instanceof Operation.DropNotNull d) {
      notNull.remove(d.table() + "." + d.column());
    } else {
      replayGenerated(op, notNull); // drops and renames move entries alike
    }
  }

  /**
   * Applies {@code op} to a set of generated columns: a CREATE TABLE replaces the table's entries
   * with its generated columns, an added column is recorded when generated (and removed when not),
   * drops remove and renames move entries.
   *
   * @param op one operation, in file order
   * @param generated {@code table.column} of the generated columns, modified in place
   */
  public static void replayGenerated(Operation op, Set<String> generated) {
    if (op instanceof Operation.CreateTable c) {
      generated.removeIf(k -> k.startsWith(c.table() + "."));
      c.generated().forEach(col -> generated.add(c.table() + "." + col));
    } else if (op instanceof Operation.AddColumn a) {
      if (a.generated()) {
        generated.add(a.table() + "." + a.column());
      } else {
        generated.remove(a.table() + "." + a.column());
      }
    } else if (op instanceof Operation.DropColumn d) {
      generated.remove(d.table() + "." + d.column());
    } else if (op instanceof Operation.RenameColumn r) {
      if (generated.remove(r.table() + "." + r.column())) {
        generated.add(r.table() + "." + r.newName());
      }
    } else if (op instanceof Operation.RenameTable r) {
      String prefix = r.table() + ".";
      for (String k : List.copyOf(generated)) {
        if (k.startsWith(prefix)) {
          generated.remove(k);
          generated.add(r.newName() + "." + k.substring(prefix.length()));
        }
      }
    } else if (op instanceof Operation.DropTable d) {
      generated.removeIf(k -> k.startsWith(d.table() + "."));
    }
  }
}
