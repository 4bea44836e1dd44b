package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Rules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of {@code DROP TABLE} and {@code RENAME TO} in a batch, with the SQLite table
 * rebuild ({@link SqliteRebuilds}) recognised in both of its orders: a rebuild that copies every
 * column is one {@code DBG222} notice instead of a drop and a rename; one whose copy leaves a
 * column behind, or whose new table lacks a column name the old one had, is {@code DBG102} per
 * column, and one whose copy reads a column through a cast that can lose values ({@code CAST(weight
 * AS INTEGER)} of a text column, see {@link NarrowingCasts}) is {@code DBG108} per column; a drop
 * whose rows were never copied is {@code DBG101}. A rebuild that renames the table away and keeps
 * the renamed table (never dropped) is judged at its copy, as if the renamed table were dropped
 * there.
 */
final class RebuildFindings {

  /** Tables created earlier in the batch, shared with the other rules (modified here). */
  private final Set<String> created;

  /** Tables renamed away to be rebuilt (second SQLite order): renamed name → original name. */
  private final Map<String, String> renamedForRebuild = new HashMap<>();

  /**
   * @param created the tables created earlier in the batch, shared and kept up to date
   */
  RebuildFindings(Set<String> created) {
    this.created = created;
  }

  /**
   * Adds the findings of renaming a table (file {@code fi}, operation {@code oi}) to {@code out}.
   */
  void renameTable(
      List<ParsedFile> files,
      int fi,
      int oi,
      Operation.RenameTable r,
      String p,
      List<Finding> out) {
    if (created.contains(r.table())) {
      created.add(r.newName());
    } else if (SqliteRebuilds.renamesAwayToRebuild(files, fi, oi, r.table(), r.newName())) {
      renamedForRebuild.put(r.newName(), r.table());
    } else {
      out.add(
          f(
              Rules.RENAME_TABLE,
              p,
              r.line(),
              "renames table "
                  + r.table()
                  + " to "
                  + r.newName()
                  + " while old code uses the old name"));
    }
  }

  /**
   * Adds the findings of dropping a table (file {@code fi}, operation {@code oi}) to {@code out}.
   */
  void dropTable(
      List<ParsedFile> files, int fi, int oi, Operation.DropTable d, String p, List<Finding> out) {
    String original = renamedForRebuild.remove(d.table());
    String rebuilt = original != null ? original : rebuiltAs(files, fi, oi, d.table());
    boolean columnsLost =
        rebuilt != null
            && (!created.contains(d.table()) || original != null)
            && lostColumns(files, fi, oi, d, original, rebuilt, p, out);
    if (columnsLost) {
      created.remove(d.table());
    } else if (original != null) {
      out.add(
          SqliteRebuilds.copied(files, fi, oi, d.table(), original)
              ? f(
                  Rules.TABLE_REBUILD,
                  p,
                  d.line(),
                  "table "
                      + original
                      + " is rebuilt (rename, create, copy, drop): check every column is"
                      + " copied")
              : f(
                  Rules.DROP_TABLE,
                  p,
                  d.line(),
                  "drops table "
                      + d.table()
                      + " (the renamed original of "
                      + original
                      + ") without copying its rows into the new "
                      + original));
    } else if (!created.contains(d.table())) {
      dropOrRebuild(files, fi, oi, d, p, out);
    }
    created.remove(d.table());
  }

  /**
   * Adds the findings of a copy of rows (file {@code fi}, operation {@code oi}) to {@code out}: the
   * last copy of a table renamed away to be rebuilt into its new namesake, when the renamed table
   * is kept (never dropped in the batch), ends the rebuild and is judged as its drop would be.
   */
  void insert(
      List<ParsedFile> files, int fi, int oi, Operation.Insert ins, String p, List<Finding> out) {
    String from = ins.sourceTable();
    if (from == null
        || !ins.table().equals(renamedForRebuild.get(from))
        || !SqliteRebuilds.lastCopyOfKeptTable(files, fi, oi, from, ins.table())) {
      return;
    }
    renamedForRebuild.remove(from);
    // judged as a drop of the kept table right after the copy
    Operation.DropTable kept = new Operation.DropTable(ins.line(), from);
    if (!lostColumns(files, fi, oi + 1, kept, ins.table(), ins.table(), p, out)) {
      out.add(
          f(
              Rules.TABLE_REBUILD,
              p,
              ins.line(),
              "table "
                  + ins.table()
                  + " is rebuilt (rename, create, copy; the old rows are kept in "
                  + from
                  + "): check every column is copied"));
    }
  }

  /** A drop of a table the batch did not create, not renamed away: a rebuild's or a plain drop. */
  private void dropOrRebuild(
      List<ParsedFile> files, int fi, int oi, Operation.DropTable d, String p, List<Finding> out) {
    String replacement = rebuiltAs(files, fi, oi, d.table());
    CopyAsideRebuilds.Aside aside =
        replacement == null ? CopyAsideRebuilds.find(files, fi, oi, d.table(), created) : null;
    if (replacement != null && !SqliteRebuilds.copied(files, fi, oi, d.table(), replacement)) {
      out.add(
          f(
              Rules.DROP_TABLE,
              p,
              d.line(),
              "drops table "
                  + d.table()
                  + " and all its rows: the table replacing it ("
                  + replacement
                  + ") was not filled from it"));
    } else if (replacement != null) {
      out.add(
          f(
              Rules.TABLE_REBUILD,
              p,
              d.line(),
              "table "
                  + d.table()
                  + " is rebuilt (copy, drop, rename): check every column is copied"));
    } else if (aside != null) {
      copiedAside(aside, files.get(fi), d, out);
    } else {
      out.add(f(Rules.DROP_TABLE, p, d.line(), "drops table " + d.table() + " and all its rows"));
    }
  }

  /**
   * The findings of a drop of {@code d}'s table that is a step of the rebuild through a copy aside
   * {@code a}: {@code DBG102} per lost column, {@code DBG108} per narrowing cast, {@code DBG109}
   * per column a copy leaves empty in a table that requires it, else one {@code DBG222}.
   */
  private static void copiedAside(
      CopyAsideRebuilds.Aside a, ParsedFile file, Operation.DropTable d, List<Finding> out) {
    String p = file.path();
    boolean sqlite = "sqlite".equals(file.dialect());
    String table = d.table();
    int before = out.size();
    CopyAsideRebuilds.lost(a)
        .forEach(
            (col, why) ->
                out.add(
                    f(
                        Rules.DROP_COLUMN,
                        p,
                        d.line(),
                        "table "
                            + table
                            + " is rebuilt through "
                            + a.tmp()
                            + " without column "
                            + col
                            + " ("
                            + why
                            + "): its values are lost when "
                            + table
                            + " is dropped")));
    narrowed(RebuildCopies.narrowingCasts(a.aside(), sqlite), table, table, d, p, out);
    narrowed(RebuildCopies.narrowingCasts(a.back(), sqlite), table, a.tmp(), d, p, out);
    unfilled(a.tmpDef(), a.aside(), table, file, d, false, out);
    unfilled(a.newDef(), a.back(), table, file, d, true, out);
    if (out.size() == before) {
      out.add(
          f(
              Rules.TABLE_REBUILD,
              p,
              d.line(),
              "table "
                  + table
                  + " is rebuilt (copied into "
                  + a.tmp()
                  + ", dropped, created again, copied back): check every column is copied"));
    }
  }

  /**
   * Adds a {@code DBG102} for each column the rebuild of {@code d} (into {@code rebuilt}; {@code
   * original} is the table's name when it was renamed away first, else {@code null}) loses ({@link
   * #droppedColumns}); a {@code DBG108} for each column the copy reads through a cast that can lose
   * values ({@link NarrowingCasts}); and a {@code DBG109} for each column of the new table that
   * must be filled and that the copy does not fill. Returns whether there was one.
   */
  private static boolean lostColumns(
      List<ParsedFile> files,
      int fi,
      int oi,
      Operation.DropTable d,
      String original,
      String rebuilt,
      String p,
      List<Finding> out) {
    String from = d.table();
    String table = original != null ? original : from;
    int before = out.size();
    droppedColumns(files, fi, oi, d, table, rebuilt, p, out);
    Operation.Insert copy = RebuildCopies.copy(files, fi, oi, from, rebuilt);
    narrowed(
        RebuildCopies.narrowingCasts(copy, "sqlite".equals(files.get(fi).dialect())),
        table,
        from,
        d,
        p,
        out);
    unfilled(
        RebuildCopies.definition(files, fi, oi, rebuilt), copy, table, files.get(fi), d, true, out);
    return out.size() > before;
  }

  /**
   * Adds a {@code DBG102} for each column the rebuild of {@code table} (dropping {@code d}'s table,
   * copied into {@code rebuilt}) loses: generated columns the new table no longer has, columns the
   * copy reads into another name, and columns the copy leaves behind.
   */
  private static void droppedColumns(
      List<ParsedFile> files,
      int fi,
      int oi,
      Operation.DropTable d,
      String table,
      String rebuilt,
      String p,
      List<Finding> out) {
    String from = d.table();
    List<String> left = SqliteRebuilds.uncopied(files, fi, oi, from, rebuilt);
    List<String> renamedAway =
        left.isEmpty()
            ? SqliteRebuilds.missingFromRebuilt(files, fi, oi, from, rebuilt)
            : List.of();
    for (String col : SqliteRebuilds.generatedMissingFromRebuilt(files, fi, oi, from, rebuilt)) {
      out.add(
          f(
              Rules.DROP_COLUMN,
              p,
              d.line(),
              "table "
                  + table
                  + " is rebuilt without its generated column "
                  + col
                  + ": nothing needs copying, but the running version's reads of "
                  + col
                  + " fail"));
    }
    for (String col : renamedAway) {
      out.add(
          f(
              Rules.DROP_COLUMN,
              p,
              d.line(),
              "table "
                  + table
                  + " is rebuilt without a column named "
                  + col
                  + " (the copy into "
                  + rebuilt
                  + " reads it into another column): the running version's reads and"
                  + " writes of "
                  + col
                  + " fail"));
    }
    for (String col : left) {
      out.add(
          f(
              Rules.DROP_COLUMN,
              p,
              d.line(),
              "table "
                  + table
                  + " is rebuilt without column "
                  + col
                  + " (the copy into "
                  + rebuilt
                  + " does not read it): its values are lost when "
                  + from
                  + " is dropped"));
    }
  }

  /**
   * Adds a {@code DBG108} for each cast in {@code casts} (column, cast, why) through which the
   * rebuild of {@code table} copies a column out of {@code from}.
   */
  private static void narrowed(
      List<String[]> casts,
      String table,
      String from,
      Operation.DropTable d,
      String p,
      List<Finding> out) {
    for (String[] c : casts) {
      out.add(
          f(
              Rules.INCOMPATIBLE_TYPE,
              p,
              d.line(),
              "table "
                  + table
                  + " is rebuilt with column "
                  + c[0]
                  + " copied through "
                  + c[1]
                  + ": "
                  + c[2]
                  + "; the original values are lost when "
                  + from
                  + " is dropped"));
    }
  }

  /**
   * Adds a {@code DBG109} for each column of the rebuild's new table {@code def} declared {@code
   * NOT NULL} without a default that the copy {@code copy} into it does not fill ({@link
   * RebuildCopies#unfilled}): on a table with rows the copy fails. At the copy when it is in {@code
   * file}, the file of the drop {@code d}, else at the drop. And one, at the drop, for each such
   * column the old table did not have ({@link RebuildCopies#newRequired}), which the running
   * version does not write, when {@code replacesTable} ({@code def} takes the old table's place,
   * not a copy aside).
   */
  private static void unfilled(
      Operation.CreateTable def,
      Operation.Insert copy,
      String table,
      ParsedFile file,
      Operation.DropTable d,
      boolean replacesTable,
      List<Finding> out) {
    List<String> unfilled = RebuildCopies.unfilled(def, copy);
    for (String col : unfilled) {
      out.add(
          f(
              Rules.ADD_NOT_NULL_NO_DEFAULT,
              file.path(),
              file.operations().contains(copy) ? copy.line() : d.line(),
              "table "
                  + table
                  + " is rebuilt with column "
                  + def.table()
                  + "."
                  + col
                  + " NOT NULL without a default, and the copy into "
                  + def.table()
                  + " does not fill it: on a table with rows the copy fails (NOT NULL"
                  + " constraint failed)"));
    }
    if (!replacesTable) {
      return; // a table copied aside is read back by the migration alone
    }
    for (String col : RebuildCopies.newRequired(def, copy)) {
      if (unfilled.contains(col)) {
        continue;
      }
      out.add(
          f(
              Rules.ADD_NOT_NULL_NO_DEFAULT,
              file.path(),
              d.line(),
              "table "
                  + table
                  + " is rebuilt with a new column "
                  + col
                  + " NOT NULL without a default: the running version's inserts omit it and"
                  + " fail"));
    }
  }

  /** The table created in the batch that is later renamed to {@code table}, or {@code null}. */
  private String rebuiltAs(List<ParsedFile> files, int fi, int oi, String table) {
    for (Operation op : BatchOperations.after(files, fi, oi)) {
      if (op instanceof Operation.RenameTable r
          && r.newName().equals(table)
          && created.contains(r.table())) {
        return r.table();
      }
    }
    return null;
  }

  private static Finding f(Rule r, String file, int line, String msg) {
    return new Finding(r, file, line, msg, false, null);
  }
}
