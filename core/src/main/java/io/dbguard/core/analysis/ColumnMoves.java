package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.Where;
import io.dbguard.core.analysis.model.ParsedFile;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A column moved aside and back, the way SQLite projects change a column's type or default without
 * rebuilding the table, across the files of a batch:
 *
 * <pre>
 * ALTER TABLE t RENAME COLUMN c TO c_old;
 * ALTER TABLE t ADD COLUMN c &lt;type&gt; …;
 * UPDATE t SET c = c_old;            -- or CAST(c_old AS …), without WHERE
 * ALTER TABLE t DROP COLUMN c_old;
 * </pre>
 *
 * The table ends with the same column name and every value: there is no rename the running version
 * sees and no lost column. What remains is the UPDATE of every row (a backfill on PostgreSQL) and,
 * on SQLite, a notice to review the new definition; a copy through a cast that can lose values
 * ({@link #narrowing}) is refused instead. A copy that is missing, scoped by a WHERE, or computed
 * from the moved column by more than a cast leaves the sequence a rename and a drop.
 *
 * <p>The same move in its other order, common on PostgreSQL to change a column's type by hand:
 *
 * <pre>
 * ALTER TABLE t ADD COLUMN c_new &lt;type&gt;;
 * UPDATE t SET c_new = c;            -- or c::&lt;type&gt;, without WHERE
 * ALTER TABLE t DROP COLUMN c;
 * ALTER TABLE t RENAME COLUMN c_new TO c;
 * </pre>
 *
 * In both, {@link Move#rename()}'s new name is the column the values are copied from and its old
 * name the column they are copied into.
 */
final class ColumnMoves {

  /**
   * One move, by its operations.
   *
   * @param addedFirst the second order (add, copy, drop, rename back)
   */
  record Move(
      Operation.RenameColumn rename,
      Operation.AddColumn add,
      Operation.Update copy,
      Operation.DropColumn drop,
      boolean addedFirst) {

    /** The column the table ends with, under its old name. */
    String column() {
      return addedFirst ? rename.newName() : rename.column();
    }

    /** How the move went, for a finding's text. */
    String steps() {
      return addedFirst
          ? "added as "
              + rename.column()
              + ", copied, dropped, "
              + rename.column()
              + " renamed back"
          : "renamed to " + rename.newName() + ", added again, copied back, dropped";
    }
  }

  /** Moves found so far, keyed by each of their operations (identity). */
  private final Map<Operation, Move> byOperation = new IdentityHashMap<>();

  /**
   * Whether the rename at file {@code fi}, operation {@code oi} starts a move back; when it does,
   * its copy and drop are remembered for {@link #of}.
   */
  boolean startsMove(List<ParsedFile> files, int fi, int oi, Operation.RenameColumn r) {
    return remember(find(files, fi, oi, r));
  }

  /** Remembers the operations of {@code m} for {@link #of}; false when there is no move. */
  private boolean remember(Move m) {
    if (m == null) {
      return false;
    }
    for (Operation op : List.of(m.rename(), m.add(), m.copy(), m.drop())) {
      byOperation.put(op, m);
    }
    return true;
  }

  /**
   * Why the copy back of move {@code m} (on SQLite when {@code sqlite}, else PostgreSQL) can lose
   * values: the copy reads the moved column through a cast that can ({@link NarrowingCasts}; {@code
   * "CAST(weight_old AS INTEGER): varchar(20) to INTEGER keeps only a leading number of a text
   * value"}), else {@code null}.
   */
  static String narrowing(Move m, boolean sqlite) {
    Operation.CastCopy c = m.copy().casts().get(m.rename().column());
    if (c == null || !c.column().equals(m.rename().newName())) {
      return null;
    }
    String why = NarrowingCasts.lossy(c, sqlite);
    return why == null ? null : c.text() + ": " + why;
  }

  /**
   * Whether the ADD COLUMN at file {@code fi}, operation {@code oi} starts a move in the second
   * order (add, copy, drop, rename back); when it does, its copy, drop and rename are remembered
   * for {@link #of}.
   */
  boolean startsMove(List<ParsedFile> files, int fi, int oi, Operation.AddColumn a) {
    return remember(findFromAdd(files, fi, oi, a));
  }

  /**
   * The move the ADD COLUMN {@code a} starts: an UPDATE of the table without WHERE that copies a
   * column {@code c} into the added one, then a DROP COLUMN of {@code c}, then a RENAME COLUMN of
   * the added one to {@code c}, in this order, later in the batch; {@code null} when one is
   * missing, or the table is dropped or renamed, or either column dropped or renamed otherwise,
   * first.
   */
  static Move findFromAdd(List<ParsedFile> files, int fi, int oi, Operation.AddColumn a) {
    String t = a.table();
    String added = a.column().toLowerCase(Locale.ROOT);
    Operation.Update copy = null;
    Operation.DropColumn drop = null;
    String source = null;
    for (Operation op : BatchOperations.after(files, fi, oi)) {
      if (op instanceof Operation.DropTable d && d.table().equals(t)
          || op instanceof Operation.RenameTable rt && rt.table().equals(t)) {
        return null;
      }
      if (op instanceof Operation.Update u
          && copy == null
          && u.table().equals(t)
          && (u.where() == Where.NONE || u.where() == Where.TAUTOLOGY)
          && u.copies().get(added) != null) {
        copy = u;
        source = u.copies().get(added);
      } else if (op instanceof Operation.DropColumn d && d.table().equals(t)) {
        String dropped = d.column().toLowerCase(Locale.ROOT);
        if (copy != null && drop == null && dropped.equals(source)) {
          drop = d;
        } else if (dropped.equals(added) || dropped.equals(source)) {
          return null;
        }
      } else if (op instanceof Operation.RenameColumn rc && rc.table().equals(t)) {
        String from = rc.column().toLowerCase(Locale.ROOT);
        if (drop != null
            && from.equals(added)
            && rc.newName().toLowerCase(Locale.ROOT).equals(source)) {
          return new Move(rc, a, copy, drop, true);
        }
        if (from.equals(added) || from.equals(source)) {
          return null;
        }
      }
    }
    return null;
  }

  /** The move whose add, copy, drop or (second order) rename {@code op} is, else {@code null}. */
  Move of(Operation op) {
    return byOperation.get(op);
  }

  /**
   * The move the rename {@code r} (at file {@code fi}, operation {@code oi}) starts: an ADD COLUMN
   * of the old name, then an UPDATE of the table without WHERE that copies the renamed column into
   * it, then a DROP COLUMN of the renamed column, in this order, later in the batch; {@code null}
   * when one is missing, or when the table is dropped or renamed, or either name renamed again,
   * first.
   */
  static Move find(List<ParsedFile> files, int fi, int oi, Operation.RenameColumn r) {
    String t = r.table();
    Operation.AddColumn add = null;
    Operation.Update copy = null;
    for (Operation op : BatchOperations.after(files, fi, oi)) {
      if (op instanceof Operation.DropTable d && d.table().equals(t)
          || op instanceof Operation.RenameTable rt && rt.table().equals(t)
          || op instanceof Operation.RenameColumn rc
              && rc.table().equals(t)
              && (rc.column().equals(r.newName()) || rc.column().equals(r.column()))) {
        return null;
      }
      if (op instanceof Operation.AddColumn a
          && add == null
          && a.table().equals(t)
          && a.column().equals(r.column())) {
        add = a;
      } else if (op instanceof Operation.Update u
          && add != null
          && copy == null
          && u.table().equals(t)
          && (u.where() == Where.NONE || u.where() == Where.TAUTOLOGY)
          && r.newName().equals(u.copies().get(r.column()))) {
        copy = u;
      } else if (op instanceof Operation.DropColumn d
          && d.table().equals(t)
          && d.column().equals(r.newName())) {
        return copy == null ? null : new Move(r, add, copy, d, false);
      } else if (op instanceof Operation.DropColumn d
          && d.table().equals(t)
          && d.column().equals(r.column())) {
        return null;
      }
    }
    return null;
  }
}
