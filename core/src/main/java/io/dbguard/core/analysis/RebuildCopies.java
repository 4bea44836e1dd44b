package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The copies of rows a table rebuild makes ({@code INSERT INTO to … SELECT … FROM from}, or {@code
 * CREATE TABLE to AS SELECT … FROM from}) and the definitions of the tables they fill, across the
 * files of a batch; what a copy fails to supply to its new table and which of its casts can lose
 * values.
 */
final class RebuildCopies {

  private RebuildCopies() {}

  /**
   * The copies of {@code from} into {@code to} in the batch before file {@code fi}, operation
   * {@code oi}, in order; empty when there is none.
   */
  static List<Operation.Insert> copies(
      List<ParsedFile> files, int fi, int oi, String from, String to) {
    List<Operation.Insert> found = new ArrayList<>();
    for (int i = 0; i <= fi && i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = 0; j < ops.size() && (i < fi || j < oi); j++) {
        if (ops.get(j) instanceof Operation.Insert ins
            && to.equals(ins.table())
            && from.equals(ins.sourceTable())) {
          found.add(ins);
        }
      }
    }
    return found;
  }

  /**
   * The last copy of {@code from} into {@code to} in the batch before file {@code fi}, operation
   * {@code oi} ({@link #copies}); {@code null} when there is none.
   */
  static Operation.Insert copy(List<ParsedFile> files, int fi, int oi, String from, String to) {
    List<Operation.Insert> all = copies(files, fi, oi, from, to);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /**
   * The last {@code CREATE TABLE table} of the batch before file {@code fi}, operation {@code oi};
   * {@code null} when there is none.
   */
  static Operation.CreateTable definition(List<ParsedFile> files, int fi, int oi, String table) {
    Operation.CreateTable found = null;
    for (int i = 0; i <= fi && i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = 0; j < ops.size() && (i < fi || j < oi); j++) {
        if (ops.get(j) instanceof Operation.CreateTable c && c.table().equals(table)) {
          found = c;
        }
      }
    }
    return found;
  }

  /**
   * The columns of the new table {@code def} that the copy {@code copy} into it must supply and
   * does not: declared {@code NOT NULL} without a default ({@link Operation.CreateTable#required})
   * and absent from the copy's column list. Empty when either is unknown or the copy names no
   * columns (it then fills every column in order).
   */
  static List<String> unfilled(Operation.CreateTable def, Operation.Insert copy) {
    if (def == null || copy == null || copy.targetColumns() == null) {
      return List.of();
    }
    Set<String> named = lower(copy.targetColumns());
    return def.required().stream()
        .filter(c -> !named.contains(c.toLowerCase(Locale.ROOT)))
        .toList();
  }

  /**
   * The columns of the new table {@code def} declared {@code NOT NULL} without a default ({@link
   * Operation.CreateTable#required}) that the old table, whose known columns {@code copy} lists
   * ({@link Operation.Insert#sourceColumns}), does not have: the copy may fill them, but the
   * running version, which does not know them, inserts rows without them. Empty when the old
   * table's columns are unknown.
   */
  static List<String> newRequired(Operation.CreateTable def, Operation.Insert copy) {
    if (def == null || copy == null || copy.sourceColumns() == null) {
      return List.of();
    }
    Set<String> old = lower(copy.sourceColumns());
    if (old.isEmpty() || old.contains("*")) {
      return List.of();
    }
    return def.required().stream().filter(c -> !old.contains(c.toLowerCase(Locale.ROOT))).toList();
  }

  /**
   * The casts through which {@code copy} reads a column and that can lose values ({@link
   * NarrowingCasts}): for each, the column, the cast and why. Empty when there is none.
   */
  static List<String[]> narrowingCasts(Operation.Insert copy, boolean sqlite) {
    List<String[]> out = new ArrayList<>();
    if (copy == null) {
      return out;
    }
    for (Operation.CastCopy c : copy.casts()) {
      String why = NarrowingCasts.lossy(c, sqlite);
      if (why != null) {
        out.add(new String[] {c.column(), c.text(), why});
      }
    }
    return out;
  }

  /** {@code names} in lower case. */
  static Set<String> lower(List<String> names) {
    Set<String> out = new HashSet<>();
    names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    return out;
  }
}
