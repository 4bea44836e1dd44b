package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Operation;
import java.util.List;
import java.util.Map;

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
}
