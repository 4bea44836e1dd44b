package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import java.util.List;

/**
 * The SQLite table-rebuild procedure (SQLite manual, "ALTER TABLE", section "Making Other Kinds Of
 * Table Schema Changes") in its two common orders, across the files of a batch:
 *
 * <ul>
 *   <li>create {@code new_t}, copy {@code t} into it, drop {@code t}, rename {@code new_t} to
 *       {@code t};
 *   <li>rename {@code t} to {@code t_old}, create {@code t}, copy {@code t_old} into it, drop
 *       {@code t_old}.
 * </ul>
 *
 * A rebuild that copies the rows keeps them (a notice: check the column list); one whose dropped
 * table was never copied loses its rows (refused as a drop).
 */
final class SqliteRebuilds {

  private SqliteRebuilds() {}

  /**
   * Whether renaming {@code table} to {@code newName} (at file {@code fi}, operation {@code oi})
   * starts the second order: {@code table} is created again and {@code newName} dropped later.
   */
  static boolean renamesAwayToRebuild(
      List<ParsedFile> files, int fi, int oi, String table, String newName) {
    boolean recreated = false;
    for (int i = fi; i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = i == fi ? oi + 1 : 0; j < ops.size(); j++) {
        Operation op = ops.get(j);
        if (op instanceof Operation.CreateTable c && c.table().equals(table)) {
          recreated = true;
        } else if (op instanceof Operation.DropTable d && d.table().equals(newName)) {
          return recreated;
        }
      }
    }
    return false;
  }

  /**
   * The columns of {@code from} that the copy into {@code to} leaves behind: known columns of the
   * old table (declared earlier in the file or by earlier migrations of the directory) that the
   * {@code INSERT … SELECT} does not read. Empty when every known column is read, when the copy
   * reads {@code *}, or when the old table's columns are unknown.
   */
  static List<String> uncopied(List<ParsedFile> files, int fi, int oi, String from, String to) {
    for (int i = 0; i <= fi && i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = 0; j < ops.size() && (i < fi || j < oi); j++) {
        if (ops.get(j) instanceof Operation.Insert ins
            && to.equals(ins.table())
            && from.equals(ins.sourceTable())) {
          return ins.uncopiedColumns();
        }
      }
    }
    return List.of();
  }

  /**
   * Whether the rows of {@code from} were copied into {@code to} ({@code INSERT INTO to … SELECT …
   * FROM from}) anywhere in the batch up to file {@code fi}, operation {@code oi}.
   */
  static boolean copied(List<ParsedFile> files, int fi, int oi, String from, String to) {
    for (int i = 0; i <= fi && i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = 0; j < ops.size() && (i < fi || j < oi); j++) {
        if (ops.get(j) instanceof Operation.Insert ins
            && to.equals(ins.table())
            && from.equals(ins.sourceTable())) {
          return true;
        }
      }
    }
    return false;
  }
}
