package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQLite table-rebuild procedure (SQLite manual, "ALTER TABLE", section "Making Other Kinds Of
 * Table Schema Changes") in its two common orders, across the files of a batch:
 *
 * <ul>
 *   <li>create {@code new_t}, copy {@code t} into it, drop {@code t}, rename {@code new_t} to
 *       {@code t};
 *   <li>rename {@code t} to {@code t_old}, create {@code t}, copy {@code t_old} into it, drop
 *       {@code t_old} (or keep {@code t_old} as a backup: the rebuild ends with the copy).
 * </ul>
 *
 * A rebuild that copies the rows keeps them (a notice: check the column list); one whose dropped
 * table was never copied loses its rows (refused as a drop).
 */
final class SqliteRebuilds {

  private SqliteRebuilds() {}

  /**
   * Whether renaming {@code table} to {@code newName} (at file {@code fi}, operation {@code oi})
   * starts the second order: {@code table} is created again and {@code newName} dropped later, or
   * never dropped in the batch (kept as a backup) but copied into the new {@code table}.
   */
  static boolean renamesAwayToRebuild(
      List<ParsedFile> files, int fi, int oi, String table, String newName) {
    boolean recreated = false;
    boolean copied = false;
    for (Operation op : BatchOperations.after(files, fi, oi)) {
      if (op instanceof Operation.CreateTable c && c.table().equals(table)) {
        recreated = true;
      } else if (op instanceof Operation.DropTable d && d.table().equals(newName)) {
        return recreated;
      } else if (recreated
          && op instanceof Operation.Insert ins
          && table.equals(ins.table())
          && newName.equals(ins.sourceTable())) {
        copied = true;
      }
    }
    return copied;
  }

  /**
   * Whether the copy of {@code from} into {@code to} at file {@code fi}, operation {@code oi} ends
   * a rebuild that keeps {@code from}: neither dropped nor copied into {@code to} again later in
   * the batch.
   */
  static boolean lastCopyOfKeptTable(
      List<ParsedFile> files, int fi, int oi, String from, String to) {
    for (Operation op : BatchOperations.after(files, fi, oi)) {
      if (op instanceof Operation.DropTable d && d.table().equals(from)
          || op instanceof Operation.Insert ins
              && to.equals(ins.table())
              && from.equals(ins.sourceTable())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The columns of {@code from} that the copy into {@code to} leaves behind: known columns of the
   * old table (declared earlier in the file or by earlier migrations of the directory) that the
   * {@code INSERT … SELECT} does not read. A generated column (of the old table or the new one) is
   * computed, never inserted, and is not required. Empty when every known column is read, when the
   * copy reads {@code *}, or when the old table's columns are unknown.
   */
  static List<String> uncopied(List<ParsedFile> files, int fi, int oi, String from, String to) {
    List<Operation.Insert> all = RebuildCopies.copies(files, fi, oi, from, to);
    return all.isEmpty() ? List.of() : all.get(0).uncopiedColumns();
  }

  /**
   * Whether the rows of {@code from} were copied into {@code to} ({@code INSERT INTO to … SELECT …
   * FROM from}) anywhere in the batch up to file {@code fi}, operation {@code oi}.
   */
  static boolean copied(List<ParsedFile> files, int fi, int oi, String from, String to) {
    return !RebuildCopies.copies(files, fi, oi, from, to).isEmpty();
  }

  /**
   * The known columns of {@code from} that the rebuilt table {@code to} no longer has by name,
   * although the copy reads them (into a column of another name or an expression): the running
   * version still selects and writes those names, so for it the column is dropped. Empty when the
   * old table's columns or the new table's are unknown, or when the copy leaves a column behind
   * ({@link #uncopied}, reported on its own).
   */
  static List<String> missingFromRebuilt(
      List<ParsedFile> files, int fi, int oi, String from, String to) {
    return absentFromRebuilt(files, fi, oi, from, to, false);
  }

  /**
   * The generated columns of {@code from} (or columns the new table would compute) that the rebuilt
   * table {@code to} has no column of that name for: the copy need not read them, but the running
   * version still selects them. Empty when the old table's columns or the new table's are unknown.
   */
  static List<String> generatedMissingFromRebuilt(
      List<ParsedFile> files, int fi, int oi, String from, String to) {
    return absentFromRebuilt(files, fi, oi, from, to, true);
  }

  /**
   * The known columns of {@code from} the new table {@code to} does not declare by name: the
   * generated ones when {@code generated}, else the others, and those only when the copy reads
   * every required column and does not read {@code *}.
   */
  private static List<String> absentFromRebuilt(
      List<ParsedFile> files, int fi, int oi, String from, String to, boolean generated) {
    List<String> declared = null;
    List<String> known = null;
    for (int i = 0; i <= fi && i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = 0; j < ops.size() && (i < fi || j < oi); j++) {
        Operation op = ops.get(j);
        if (op instanceof Operation.CreateTable c && c.table().equals(to)) {
          declared = c.columns();
        } else if (op instanceof Operation.Insert ins
            && to.equals(ins.table())
            && from.equals(ins.sourceTable())
            && ins.copiedColumns() != null
            && !ins.copiedColumns().contains("*")) {
          if (generated) {
            known = ins.generatedColumns();
          } else if (ins.uncopiedColumns().isEmpty() && ins.sourceColumns() != null) {
            known =
                ins.sourceColumns().stream()
                    .filter(c -> !ins.generatedColumns().contains(c))
                    .toList();
          }
        }
      }
    }
    if (declared == null || declared.isEmpty() || known == null) {
      return List.of();
    }
    Set<String> names = new HashSet<>();
    declared.forEach(c -> names.add(c.toLowerCase(Locale.ROOT)));
    return known.stream().filter(c -> !names.contains(c.toLowerCase(Locale.ROOT))).toList();
  }
}
