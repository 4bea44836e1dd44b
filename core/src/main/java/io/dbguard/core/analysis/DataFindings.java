package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.Where;
import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Rules;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The findings of the data changes of a batch — TRUNCATE, DELETE and UPDATE, in SQL or through an
 * ORM — part of {@link RuleEngine}: a delete or an overwrite of every row of an existing table is
 * refused (DBG110, DBG111, DBG112), a backfill computed from the row or filling columns the batch
 * (or the previous migration) added warns on PostgreSQL (DBG223), a scoped change held in a DDL
 * transaction warns (DBG219).
 */
final class DataFindings {

  /** Tables created earlier in the batch (shared with {@link RuleEngine}). */
  private final Set<String> created;

  /** Tables the batch selected some rows of (shared with {@link RuleEngine}). */
  private final Set<String> selectedRows;

  private final ColumnFindings columns;
  private final ColumnMoves moves;

  DataFindings(
      Set<String> created, Set<String> selectedRows, ColumnFindings columns, ColumnMoves moves) {
    this.created = created;
    this.selectedRows = selectedRows;
    this.columns = columns;
    this.moves = moves;
  }

  /**
   * Adds the findings of a TRUNCATE, DELETE or UPDATE to {@code out}.
   *
   * @param inDdlTx whether {@code op} runs in a transaction together with DDL
   * @return whether {@code op} was one of these
   */
  boolean handles(Operation op, boolean pg, boolean inDdlTx, String p, List<Finding> out) {
    int line = op.line();
    if (op instanceof Operation.Truncate t) {
      List<String> existing = t.tables().stream().filter(x -> !created.contains(x)).toList();
      if (!existing.isEmpty()) {
        out.add(
            f(
                Rules.TRUNCATE,
                p,
                line,
                "TRUNCATE " + String.join(", ", existing) + " deletes every row"));
      }
    } else if (op instanceof Operation.Delete d) {
      if (!created.contains(d.table())) {
        String what = d.orm() != null ? d.orm() : "DELETE FROM " + d.table();
        if (d.where() != Where.REAL) {
          out.add(
              f(
                  Rules.DELETE_WITHOUT_WHERE,
                  p,
                  line,
                  what + whereText(d.where()) + " deletes every row"));
        } else if (pg && inDdlTx) {
          out.add(
              f(Rules.BACKFILL_IN_DDL_TX, p, line, what + " runs in the same transaction as DDL"));
        }
      }
    } else if (op instanceof Operation.Update joined) {
      update(joined, pg, inDdlTx, p, out);
    } else {
      return false;
    }
    return true;
  }

  /** Adds the findings of an UPDATE (SQL or ORM) to {@code out}. */
  private void update(
      Operation.Update joined, boolean pg, boolean inDdlTx, String p, List<Finding> out) {
    int line = joined.line();
    Operation.Update u =
        joined.where() == Where.JOIN_ONLY
                && joined.joined().stream().anyMatch(selectedRows::contains)
            ? joined.withWhere(Where.REAL) // joined to rows this batch selected: scoped
            : joined;
    if (!created.contains(u.table()) && !versionStamp(u)) {
      String what = u.orm() != null ? u.orm() : "UPDATE " + u.table();
      String previous =
          u.backfill() || u.where() == Where.REAL
              ? null
              : columns.allAddedByPrevious(u.table(), u.columns());
      boolean fillsNew =
          !u.backfill() && (columns.allAddedInBatch(u.table(), u.columns()) || previous != null);
      if (moves.of(u) != null) {
        if (pg) {
          ColumnMoves.Move m = moves.of(u);
          out.add(
              f(
                  Rules.FULL_TABLE_BACKFILL,
                  p,
                  line,
                  what
                      + " copies "
                      + m.rename().newName()
                      + " into "
                      + m.rename().column()
                      + ", a column moved and kept: every row is rewritten"));
        }
      } else if (u.where() != Where.REAL && (u.backfill() || fillsNew)) {
        if (pg) { // a lock and rewrite rule: SQLite has no row locks or MVCC bloat
          out.add(f(Rules.FULL_TABLE_BACKFILL, p, line, what + backfill(u, fillsNew, previous)));
        }
      } else if (u.where() != Where.REAL) {
        out.add(
            f(
                Rules.UPDATE_WITHOUT_WHERE,
                p,
                line,
                what
                    + whereText(u.where())
                    + (u.where() == Where.JOIN_ONLY
                        ? " overwrites every joined row"
                        : " overwrites every row")));
      } else if (pg && inDdlTx) {
        out.add(
            f(Rules.BACKFILL_IN_DDL_TX, p, line, what + " runs in the same transaction as DDL"));
      }
    }
  }

  /**
   * What a backfill does, for its finding: it fills columns added earlier in the migration or by
   * the previous one ({@code previous}: that migration, or null), or rewrites every (joined) row
   * from the row.
   */
  private static String backfill(Operation.Update u, boolean fillsNew, String previous) {
    if (fillsNew) {
      return " fills "
          + String.join(", ", u.columns())
          + (previous == null
              ? ", added earlier in this migration, in every row"
              : ", added without a default by the previous migration "
                  + previous
                  + ", in every row (values written since it ran are overwritten)");
    }
    return u.where() == Where.JOIN_ONLY
        ? whereText(u.where()) + " rewrites every joined row with values read from the joined rows"
        : " rewrites every row with values computed from the row";
  }

  /**
   * A table named for a version, singular or plural: {@code schema_version}, {@code ttrss_version},
   * {@code schema_versions}, {@code engine_processing_versions}.
   */
  private static final Pattern VERSION_TABLE =
      Pattern.compile("([a-z0-9_]*_)?(schema_?)?(versions?|schema_info)");

  /**
   * Words of a version table's name that name the software rather than application data: the
   * database schema, the database, its migrations, the application's processing engine.
   */
  private static final Set<String> BOOKKEEPING =
      Set.of("db", "database", "migration", "migrations", "engine");

  /**
   * {@code UPDATE schema_version SET version = 16} in SQL: the version stamp of an application that
   * keeps its schema version in a table of its own (its migration runner's bookkeeping, as Flyway's
   * history table is Flyway's). The table is named for a version (singular or plural), every column
   * set is named for the version, and the table's name or every such column's names the schema or
   * the software ({@code schema_version}, {@code app_version SET schema_version = 16}, {@code
   * engine_versions SET version = 4 WHERE type_id = 'escalation'}: {@link #BOOKKEEPING}), so that a
   * table of the application's own versioned rows ({@code document_version SET version = 1}) stays
   * an overwrite. Not application data: no finding, scoped or not, also in a transaction with DDL
   * (bumping a version row is not a backfill).
   */
  private static boolean versionStamp(Operation.Update u) {
    if (u.orm() != null || u.columns() == null || u.columns().isEmpty()) {
      return false;
    }
    String table =
        u.table()
            .substring(u.table().lastIndexOf('.') + 1)
            .replace("\"", "")
            .toLowerCase(Locale.ROOT);
    return VERSION_TABLE.matcher(table).matches()
        && u.columns().stream().allMatch(c -> c.contains("version"))
        && (table.contains("schema")
            || java.util.Arrays.stream(table.split("_")).anyMatch(BOOKKEEPING::contains)
            || u.columns().stream().allMatch(c -> c.contains("schema")));
  }

  private static String whereText(Where w) {
    return switch (w) {
      case TAUTOLOGY -> " (its WHERE leaves out no row with a value to lose)";
      case JOIN_ONLY -> " (WHERE only joins it to its FROM tables)";
      default -> " without WHERE";
    };
  }

  private static Finding f(Rule r, String file, int line, String msg) {
    return new Finding(r, file, line, msg, false, null);
  }
}
