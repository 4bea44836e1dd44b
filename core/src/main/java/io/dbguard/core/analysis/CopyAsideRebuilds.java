package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQLite table rebuild in a third order, through a copy aside and back: create {@code tmp} (or
 * {@code CREATE TABLE tmp AS SELECT … FROM t}), copy {@code t} into it, drop {@code t}, create
 * {@code t} again with its new definition, copy {@code tmp} back into it (and drop {@code tmp}).
 * The drop of {@code t} loses no rows when they come back; a column of {@code t} not copied aside,
 * not copied back or absent from the new {@code t} is dropped.
 */
final class CopyAsideRebuilds {

  private CopyAsideRebuilds() {}

  /**
   * A rebuild through a copy aside.
   *
   * @param tmp the table the rows are kept in
   * @param aside the copy of the table into {@code tmp}
   * @param back the copy of {@code tmp} into the table created again
   * @param tmpDef the definition of {@code tmp}, {@code null} when not known
   * @param newDef the new definition of the table
   */
  record Aside(
      String tmp,
      Operation.Insert aside,
      Operation.Insert back,
      Operation.CreateTable tmpDef,
      Operation.CreateTable newDef) {}

  /**
   * The rebuild that the drop of {@code table} at file {@code fi}, operation {@code oi} is a step
   * of: its rows were copied into a table the batch created ({@code created}), and after the drop
   * {@code table} is created again and that table copied back into it, before either is dropped.
   * {@code null} when the drop is no such step.
   */
  static Aside find(List<ParsedFile> files, int fi, int oi, String table, Set<String> created) {
    Operation.Insert aside = null;
    for (int i = 0; i <= fi && i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = 0; j < ops.size() && (i < fi || j < oi); j++) {
        if (ops.get(j) instanceof Operation.Insert ins
            && table.equals(ins.sourceTable())
            && !table.equals(ins.table())
            && created.contains(ins.table())) {
          aside = ins;
        }
      }
    }
    return aside == null ? null : back(files, fi, oi, table, aside);
  }

  /** The copy back of {@code aside} into {@code table} created again after the drop, or null. */
  private static Aside back(
      List<ParsedFile> files, int fi, int oi, String table, Operation.Insert aside) {
    String tmp = aside.table();
    Operation.CreateTable newDef = null;
    for (Operation op : BatchOperations.after(files, fi, oi)) {
      if (op instanceof Operation.CreateTable c && c.table().equals(table)) {
        newDef = c;
      } else if (op instanceof Operation.Insert ins
          && newDef != null
          && table.equals(ins.table())
          && tmp.equals(ins.sourceTable())) {
        return new Aside(tmp, aside, ins, RebuildCopies.definition(files, fi, oi, tmp), newDef);
      } else if (op instanceof Operation.DropTable d
          && (d.table().equals(tmp) || d.table().equals(table))) {
        return null;
      }
    }
    return null;
  }

  /**
   * The columns of the table the rebuild {@code a} loses, each with why: not copied into {@code
   * tmp}, not copied back, or absent by name from the new definition (the running version still
   * reads it). Generated columns need no copy. Empty when every known column comes back, or when
   * the table's columns are not known and the copy back reads every column kept in {@code tmp}.
   */
  static Map<String, String> lost(Aside a) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> known = a.aside().sourceColumns();
    for (String c : a.aside().uncopiedColumns()) {
      out.put(c, "the copy into " + a.tmp() + " does not read it");
    }
    List<String> generated = new ArrayList<>(a.aside().generatedColumns());
    generated.addAll(a.back().generatedColumns());
    generated.addAll(a.newDef().generated());
    Set<String> computed = RebuildCopies.lower(generated);
    List<String> kept = kept(a, known);
    List<String> copiedBack = a.back().copiedColumns();
    if (kept != null && copiedBack != null && !copiedBack.contains("*")) {
      Set<String> read = RebuildCopies.lower(copiedBack);
      for (String c : kept) {
        if (!read.contains(c) && !computed.contains(c)) {
          out.putIfAbsent(c, "the copy back from " + a.tmp() + " does not read it");
        }
      }
    }
    if (known != null && !a.newDef().columns().isEmpty()) {
      Set<String> declared = RebuildCopies.lower(a.newDef().columns());
      for (String c : known) {
        if (!declared.contains(c)) {
          out.putIfAbsent(c, "the new definition has no column of that name");
        }
      }
    }
    return out;
  }

  /**
   * The columns of {@code tmp} the copy aside fills: those it names, else those {@code tmp} is
   * known to have, else (a copy of {@code *} into a table of unknown columns) the table's known
   * columns; {@code null} when none of these is known.
   */
  private static List<String> kept(Aside a, List<String> known) {
    if (a.aside().targetColumns() != null) {
      return a.aside().targetColumns();
    }
    if (a.back().sourceColumns() != null) {
      return a.back().sourceColumns();
    }
    List<String> copied = a.aside().copiedColumns();
    return copied != null && copied.contains("*") ? known : null;
  }
}
