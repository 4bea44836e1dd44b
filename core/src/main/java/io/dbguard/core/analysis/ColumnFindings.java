package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.SqlTypes;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Rules;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The findings of column operations in a batch (drop, add, type change, NULL allowed or forbidden,
 * defaults, Django {@code AlterField} that may lock), for {@link RuleEngine}. Tables created
 * earlier in the batch are exempt; a column added nullable without a default and made NOT NULL
 * later in the batch with no default in between is remembered across files.
 */
final class ColumnFindings {

  private static final Set<String> VOLATILE =
      Set.of(
          "random(",
          "gen_random_uuid(",
          "uuid_generate_v1(",
          "uuid_generate_v4(",
          "clock_timestamp(",
          "nextval(",
          "timeofday(",
          "txid_current(",
          "uuid_generate_v1mc(");

  /** Tables created earlier in the batch (shared with, and filled by, the rule engine). */
  private final Set<String> created;

  /** {@code table.column} added nullable without a default to an existing table in the batch. */
  private final Set<String> addedWithoutDefault = new HashSet<>();

  /** {@code table.column} added NOT NULL with a default to an existing table in the batch. */
  private final Set<String> addedNotNullWithDefault = new HashSet<>();

  /**
   * {@code table.column} added to an existing table earlier in the batch (not {@code IF NOT
   * EXISTS}) and not dropped since: it holds only what the batch wrote, its default or NULL.
   */
  private final Set<String> addedInBatch = new HashSet<>();

  /**
   * {@code table.column} → the preceding migration that added it ({@link
   * Operation.AddedByPrevious}).
   */
  private final java.util.Map<String, String> addedByPrevious = new java.util.HashMap<>();

  /**
   * {@code table.constraint} of CHECK constraints validated earlier in the batch (VALIDATE
   * CONSTRAINT, or added without NOT VALID), lower case.
   */
  private final Set<String> validatedChecks = new HashSet<>();

  /**
   * {@code table.constraint} (lower case) → the column of a {@code col IS NOT NULL} CHECK added NOT
   * VALID earlier in the batch, until it is validated.
   */
  private final java.util.Map<String, String> notNullChecks = new java.util.HashMap<>();

  /**
   * {@code table.column} of columns a validated {@code col IS NOT NULL} CHECK proves (its condition
   * read), lower case.
   */
  private final Set<String> provenByCondition = new HashSet<>();

  ColumnFindings(Set<String> created) {
    this.created = created;
  }

  /**
   * Records that the column {@code table.column} just added is the new home of a column moved and
   * kept ({@link ColumnMoves}): the running version writes it under its old name, so a later SET
   * NOT NULL is not a NOT NULL column the running version does not know (DBG109).
   */
  void moved(String table, String column) {
    addedWithoutDefault.remove(table + "." + column);
  }

  /**
   * Judges a NOT NULL on the column's state at commit: when {@code ops[oi]} (SET NOT NULL, or a
   * primary key that implies it) makes a column added in the batch without a default NOT NULL, and
   * a later operation of the same transaction sets a default that is not dropped again before the
   * transaction ends, the column is NOT NULL with a default once the running version can see it, so
   * its inserts, which leave the column out, get the default (no DBG109). Call only for an
   * operation that runs inside a transaction (a Rails migration without {@code
   * disable_ddl_transaction!}, a SQL file its tool wraps in one, or an explicit {@code BEGIN}); the
   * transaction is taken to end at the file's end or its next {@code BEGIN}/{@code COMMIT}.
   *
   * @param ops the file's operations
   * @param oi the index of the operation about to be handled
   */
  void defaultBeforeCommit(List<Operation> ops, int oi) {
    String key =
        ops.get(oi) instanceof Operation.SetNotNull s
            ? s.table() + "." + s.column()
            : ops.get(oi) instanceof Operation.ImpliedNotNull n
                ? n.table() + "." + n.column()
                : null;
    if (key == null || !addedWithoutDefault.contains(key)) {
      return;
    }
    boolean defaulted = false;
    for (Operation o : ops.subList(oi + 1, ops.size())) {
      if (o instanceof Operation.Transaction) {
        break;
      } else if (o instanceof Operation.SetDefault d && key.equals(d.table() + "." + d.column())) {
        defaulted = true;
      } else if (o instanceof Operation.DropDefault d && key.equals(d.table() + "." + d.column())) {
        defaulted = false;
      }
    }
    if (defaulted) {
      addedWithoutDefault.remove(key);
    }
  }

  /**
   * Adds the findings of {@code op} when it is a column operation.
   *
   * @param p the file's path as reported
   * @param pg whether the file's dialect is PostgreSQL (lock and rewrite rules apply)
   * @return whether {@code op} was a column operation
   */
  boolean handles(Operation op, String p, boolean pg, List<Finding> out) {
    if (op instanceof Operation.ValidateConstraint v && v.name() != null) {
      String key = v.table() + "." + v.name().toLowerCase(Locale.ROOT);
      validatedChecks.add(key);
      String column = notNullChecks.remove(key);
      if (column != null) {
        provenByCondition.add(v.table() + "." + column);
      }
    } else if (op instanceof Operation.AddConstraint c
        && c.kind() == Operation.ConstraintKind.CHECK) {
      if (!c.notValid() && c.name() != null) {
        validatedChecks.add(c.table() + "." + c.name().toLowerCase(Locale.ROOT));
      }
      if (c.notNullColumn() != null && !c.notValid()) {
        provenByCondition.add(c.table() + "." + c.notNullColumn());
      } else if (c.notNullColumn() != null && c.name() != null) {
        notNullChecks.put(c.table() + "." + c.name().toLowerCase(Locale.ROOT), c.notNullColumn());
      }
    }
    if (op instanceof Operation.AddedByPrevious a) {
      addedByPrevious.put(a.table() + "." + a.column(), a.migration());
      return true;
    }
    if (op instanceof Operation.AddColumn a && !a.ifNotExists()) {
      addedInBatch.add(a.table() + "." + a.column().toLowerCase(Locale.ROOT));
    } else if (op instanceof Operation.DropColumn d) {
      addedInBatch.remove(d.table() + "." + d.column().toLowerCase(Locale.ROOT));
    }
    if (op instanceof Operation.DropColumn d) {
      if (!created.contains(d.table())) {
        out.add(
            f(
                Rules.DROP_COLUMN,
                p,
                op.line(),
                "drops column " + d.table() + "." + d.column() + " and its values"));
      }
    } else if (op instanceof Operation.AddColumn a) {
      addColumn(a, pg, p, out);
    } else if (op instanceof Operation.DefaultDroppedAfterAdd d) {
      if (!created.contains(d.table())) {
        out.add(
            f(
                Rules.DJANGO_DROPPED_DEFAULT,
                p,
                op.line(),
                d.table()
                    + "."
                    + d.column()
                    + " is NOT NULL and Django drops its database default: the running"
                    + " version's inserts, which leave it out, fail"));
      }
    } else if (op instanceof Operation.ChangeColumnType c) {
      if (!created.contains(c.table())) {
        typeChange(c, p, pg, out);
      }
    } else if (op instanceof Operation.DjangoAlterMayLock m) {
      if (!created.contains(m.table()) && pg) {
        out.add(
            f(
                Rules.DJANGO_ALTER_MAY_LOCK,
                p,
                op.line(),
                m.table() + "." + m.column() + " (previous field unknown): " + m.why()));
      }
    } else if (op instanceof Operation.SetDefault d) {
      addedWithoutDefault.remove(d.table() + "." + d.column());
    } else if (op instanceof Operation.DropDefault d) {
      notNullAfterAdd(
          addedNotNullWithDefault,
          d.table(),
          d.column(),
          " was added NOT NULL earlier in the batch and its default is now dropped",
          p,
          op,
          out);
    } else if (op instanceof Operation.ImpliedNotNull n) {
      notNullAfterAdd(
          addedWithoutDefault,
          n.table(),
          n.column(),
          " was added earlier in the batch without a default and is now in the primary key, so"
              + " NOT NULL",
          p,
          op,
          out);
    } else if (op instanceof Operation.SetNotNull s) {
      notNullAfterAdd(
          addedWithoutDefault,
          s.table(),
          s.column(),
          " was added earlier in the batch without a default and is now NOT NULL",
          p,
          op,
          out);
      if (!created.contains(s.table()) && pg && !provenNotNull(s.table(), s.column())) {
        out.add(
            f(
                Rules.SET_NOT_NULL,
                p,
                op.line(),
                s.table() + "." + s.column() + " SET NOT NULL scans the table"));
      }
    } else if (op instanceof Operation.DropNotNull s) {
      if (!created.contains(s.table())) {
        out.add(
            f(Rules.DROP_NOT_NULL, p, op.line(), s.table() + "." + s.column() + " DROP NOT NULL"));
      }
    } else {
      return false;
    }
    return true;
  }

  /**
   * DBG109 when {@code table.column}, taken out of {@code added} (the columns the batch added one
   * way), now ends NOT NULL without a default: {@code how} says how.
   */
  private static void notNullAfterAdd(
      Set<String> added,
      String table,
      String column,
      String how,
      String p,
      Operation op,
      List<Finding> out) {
    if (added.remove(table + "." + column)) {
      out.add(
          f(
              Rules.ADD_NOT_NULL_NO_DEFAULT,
              p,
              op.line(),
              table + "." + column + how + ": the running version's inserts omit it and fail"));
    }
  }

  /**
   * A change to {@code text} or unbounded {@code varchar} whose previous type is unknown, without
   * {@code USING} or {@code COLLATE}: DBG226, since from {@code varchar} (the usual source) it
   * costs nothing.
   */
  private static boolean toTextFromUnknown(Operation.ChangeColumnType c) {
    if (c.oldType() != null || c.using() != null || c.collation() != null || c.newType() == null) {
      return false;
    }
    String t = SqlTypes.normalise(c.newType());
    return t.equals("text") || t.equals("varchar");
  }

  /**
   * The finding of a type change of an existing table's column: DBG108 when values may be lost or
   * the conversion fail (from a character type to {@code json}/{@code jsonb} without {@code USING}:
   * saying that PostgreSQL has no assignment cast for it), DBG209 when the table is rewritten or
   * its indexes rebuilt (a change to {@code citext}, or a new collation on a type that needs no
   * rewrite; a {@code USING} cast of a character column to {@code json}/{@code jsonb}: saying that
   * it fails on any value that is not valid JSON), nothing when catalog-only.
   */
  private static void typeChange(
      Operation.ChangeColumnType c, String p, boolean pg, List<Finding> out) {
    SqlTypes.Change typed =
        c.using() == null
            ? SqlTypes.classify(c.oldType(), c.newType(), false)
            : SqlTypes.classify(c.oldType(), c.newType(), c.using(), c.column());
    SqlTypes.Change ch = SqlTypes.withCollation(typed, c.collation());
    String desc =
        c.table()
            + "."
            + c.column()
            + " type changes to "
            + c.newType()
            + (c.collation() == null ? "" : " COLLATE " + c.collation())
            + (c.oldType() == null ? " (previous type unknown)" : " from " + c.oldType())
            + (c.oldType() == null || c.oldTypeFrom() == null
                ? ""
                : " (previous type from " + c.oldTypeFrom() + ")")
            + (c.using() == null ? "" : " with a USING conversion");
    if (c.declaredOnly() && c.oldType() == null) {
      out.add(f(Rules.DJANGO_ALTER_UNJUDGED, p, c.line(), desc));
    } else if (ch == SqlTypes.Change.INCOMPATIBLE
        && !c.declaredOnly()
        && c.using() == null
        && SqlTypes.noAssignmentCastToJson(c.oldType(), c.newType())) {
      out.add(
          f(
              Rules.INCOMPATIBLE_TYPE,
              p,
              c.line(),
              desc
                  + ": PostgreSQL has no assignment cast from "
                  + c.oldType()
                  + " to "
                  + c.newType()
                  + ", so the ALTER fails with \"column cannot be cast automatically to type "
                  + c.newType()
                  + "\" on any table; a USING "
                  + c.column()
                  + "::"
                  + c.newType()
                  + " keeps every value that is valid JSON"));
    } else if (ch == SqlTypes.Change.INCOMPATIBLE && !c.declaredOnly()) {
      out.add(f(Rules.INCOMPATIBLE_TYPE, p, c.line(), desc));
    } else if (ch == SqlTypes.Change.REINDEX && typed == SqlTypes.Change.SAFE && pg) {
      out.add(
          f(
              Rules.TYPE_REWRITE,
              p,
              c.line(),
              desc
                  + ": a collation change, no table rewrite (every value kept), but the"
                  + " column's indexes are rebuilt under ACCESS EXCLUSIVE"));
    } else if (ch == SqlTypes.Change.REINDEX && pg) {
      out.add(
          f(
              Rules.TYPE_REWRITE,
              p,
              c.line(),
              desc
                  + ": no table rewrite (binary coercible), but the column's indexes are"
                  + " rebuilt under ACCESS EXCLUSIVE, and a unique one fails on values"
                  + " that differ only in case"));
    } else if (ch != SqlTypes.Change.SAFE && pg && toTextFromUnknown(c)) {
      out.add(f(Rules.TEXT_FROM_UNKNOWN, p, c.line(), desc));
    } else if (ch == SqlTypes.Change.REWRITE
        && pg
        && SqlTypes.parsesJson(c.oldType(), c.newType(), c.using(), c.column())) {
      out.add(
          f(
              Rules.TYPE_REWRITE,
              p,
              c.line(),
              desc
                  + ": the column is declared to hold JSON; the cast fails, and the migration"
                  + " with it, on any value that is not valid JSON"));
    } else if (ch != SqlTypes.Change.SAFE && pg) {
      out.add(f(Rules.TYPE_REWRITE, p, c.line(), desc));
    }
  }

  /**
   * Whether a CHECK constraint validated earlier in the batch is, by its name, the {@code column IS
   * NOT NULL} check that lets PostgreSQL 12+ SET NOT NULL without scanning the table (ALTER TABLE,
   * "SET/DROP NOT NULL": a valid CHECK constraint that proves no NULL exists skips the scan). The
   * name must hold the column's name and {@code null}, as the recipe of strong_migrations ({@code
   * <table>_<column>_null}) and squawk's ({@code <column>_not_null}) write it; the condition itself
   * is often in an earlier migration and is not read. When the batch added the check, its condition
   * decides instead of its name: {@code col IS NOT NULL} (SQL {@code CHECK (col IS NOT NULL)},
   * Rails {@code add_check_constraint :t, "col IS NOT NULL"}, the online_migrations gem's {@code
   * add_not_null_constraint :t, :col}), added without NOT VALID or validated since.
   */
  private boolean provenNotNull(String table, String column) {
    String c = column.toLowerCase(Locale.ROOT);
    if (provenByCondition.contains(table + "." + c)) {
      return true;
    }
    String prefix = table + ".";
    return validatedChecks.stream()
        .filter(n -> n.startsWith(prefix))
        .map(n -> n.substring(prefix.length()))
        .anyMatch(n -> n.contains(c) && n.contains("null"));
  }

  /**
   * Whether every one of {@code columns} of {@code table} was added earlier in the batch: an UPDATE
   * of only such columns fills them and overwrites no value the application stored.
   *
   * @param columns lower-case column names, or null when not known (then false)
   */
  /**
   * The preceding migration that added every one of {@code columns} of {@code table} nullable and
   * without a default, or null when not all were added by it.
   */
  String allAddedByPrevious(String table, List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      return null;
    }
    String m = addedByPrevious.get(table + "." + columns.get(0));
    return m != null
            && columns.stream().allMatch(c -> m.equals(addedByPrevious.get(table + "." + c)))
        ? m
        : null;
  }

  boolean allAddedInBatch(String table, List<String> columns) {
    return columns != null
        && !columns.isEmpty()
        && columns.stream().allMatch(c -> addedInBatch.contains(table + "." + c));
  }

  private void addColumn(Operation.AddColumn a, boolean pg, String p, List<Finding> out) {
    if (created.contains(a.table())) {
      return;
    }
    String type = a.type() == null ? "" : a.type().toLowerCase(Locale.ROOT);
    boolean serial = type.contains("serial") || type.contains("identity");
    String col = a.table() + "." + a.column();
    if (!a.notNull() && a.defaultExpr() == null && !serial && !a.generated()) {
      addedWithoutDefault.add(col);
    }
    if (a.notNull() && a.defaultExpr() != null && !serial && !a.generated()) {
      addedNotNullWithDefault.add(col);
    }
    if (a.notNull() && a.defaultExpr() == null && !serial && !a.generated()) {
      out.add(
          f(
              Rules.ADD_NOT_NULL_NO_DEFAULT,
              p,
              a.line(),
              "adds NOT NULL column " + col + " without a default to an existing table"));
    }
    if (!pg) {
      return;
    }
    if (a.defaultExpr() != null) {
      String d = a.defaultExpr().toLowerCase(Locale.ROOT).replace(" (", "(");
      if (VOLATILE.stream().anyMatch(d::contains)) {
        out.add(
            f(
                Rules.VOLATILE_DEFAULT,
                p,
                a.line(),
                col + " DEFAULT " + a.defaultExpr() + " is volatile: the table is rewritten"));
      }
    }
    if (a.generatedStored()) {
      out.add(f(Rules.STORED_GENERATED, p, a.line(), col + " is a stored generated column"));
    }
    if (serial) {
      out.add(
          f(Rules.SERIAL_COLUMN, p, a.line(), col + " is " + type + ": every row gets a value"));
    }
    if (type.equals("json")) {
      out.add(f(Rules.JSON_COLUMN, p, a.line(), col + " is json; prefer jsonb"));
    }
  }

  private static Finding f(Rule r, String file, int line, String msg) {
    return new Finding(r, file, line, msg, false, null);
  }
}
