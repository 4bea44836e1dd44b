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
 * whose rows were never copied is {@code DBG101}.
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

  /** A drop of a table the batch did not create, not renamed away: a rebuild's or a plain drop. */
  private void dropOrRebuild(
      List<ParsedFile> files, int fi, int oi, Operation.DropTable d, String p, List<Finding> out) {
    String replacement = rebuiltAs(files, fi, oi, d.table());
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
    } else {
      out.add(f(Rules.DROP_TABLE, p, d.line(), "drops table " + d.table() + " and all its rows"));
    }
  }

  /**
   * Adds a {@code DBG102} for each column the rebuild of {@code d} (into {@code rebuilt}; {@code
   * original} is the table's name when it was renamed away first, else {@code null}) loses:
   * generated columns the new table no longer has, columns the copy reads into another name, and
   * columns the copy leaves behind; and a {@code DBG108} for each column the copy reads through a
   * cast that can lose values ({@link NarrowingCasts}). Returns whether there was one.
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
    List<String> left = SqliteRebuilds.uncopied(files, fi, oi, from, rebuilt);
    List<String> renamedAway =
        left.isEmpty()
            ? SqliteRebuilds.missingFromRebuilt(files, fi, oi, from, rebuilt)
            : List.of();
    List<String> computedAway =
        SqliteRebuilds.generatedMissingFromRebuilt(files, fi, oi, from, rebuilt);
    for (String col : computedAway) {
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
    List<String[]> narrowed = SqliteRebuilds.narrowingCasts(files, fi, oi, from, rebuilt);
    for (String[] c : narrowed) {
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
    return !left.isEmpty()
        || !renamedAway.isEmpty()
        || !computedAway.isEmpty()
        || !narrowed.isEmpty();
  }

  /** The table created in the batch that is later renamed to {@code table}, or {@code null}. */
  private String rebuiltAs(List<ParsedFile> files, int fi, int oi, String table) {
    for (int i = fi; i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = i == fi ? oi + 1 : 0; j < ops.size(); j++) {
        if (ops.get(j) instanceof Operation.RenameTable r
            && r.newName().equals(table)
            && created.contains(r.table())) {
          return r.table();
        }
      }
    }
    return null;
  }

  private static Finding f(Rule r, String file, int line, String msg) {
    return new Finding(r, file, line, msg, false, null);
  }
}
