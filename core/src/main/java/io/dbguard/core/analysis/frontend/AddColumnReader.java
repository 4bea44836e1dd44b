package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.SqlTokens.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The column definition of {@code ALTER TABLE … ADD [COLUMN]} (PostgreSQL and SQLite): name, type,
 * {@code NOT NULL}, {@code DEFAULT} expression, {@code GENERATED … STORED} / {@code AS IDENTITY},
 * and the inline {@code PRIMARY KEY}, {@code UNIQUE} and {@code REFERENCES} constraints, which
 * become their own {@link Operation.AddConstraint}s (SQLite's inline {@code REFERENCES} is not a
 * checked constraint on existing rows and adds none).
 */
final class AddColumnReader {

  private AddColumnReader() {}

  /**
   * Reads the rest of an ADD COLUMN action ({@code a} positioned at the column name) of {@code
   * table} at {@code line} into {@code ops}.
   *
   * @param dialect {@code postgresql} or {@code sqlite}
   * @param ifNotExists the action said {@code IF NOT EXISTS}
   */
  static void read(
      String table,
      SqlTokens a,
      int line,
      String dialect,
      boolean ifNotExists,
      List<Operation> ops) {
    String col = Names.table(a.name());
    List<Token> type = new ArrayList<>();
    while (!a.atEnd()
        && !SqlFrontEnd.COLUMN_CONSTRAINT_WORDS.contains(a.peekUpper())
        && !a.peekUpper().equals("AS")) {
      type.add(a.next());
    }
    boolean notNull = false;
    boolean stored = false;
    boolean generated = false;
    boolean pk = false;
    boolean unique = false;
    boolean references = false;
    boolean check = false;
    String defaultExpr = null;
    while (!a.atEnd()) {
      if (a.accept("NOT", "NULL")) {
        notNull = true;
      } else if (a.accept("DEFAULT")) {
        List<Token> d = new ArrayList<>();
        int depth = 0;
        while (!a.atEnd()
            && (depth > 0 || !SqlFrontEnd.COLUMN_CONSTRAINT_WORDS.contains(a.peekUpper()))) {
          Token tk = a.next();
          depth += tk.text().equals("(") ? 1 : tk.text().equals(")") ? -1 : 0;
          d.add(tk);
        }
        defaultExpr = SqlTokens.join(d);
      } else if (a.peekUpper().equals("GENERATED") || a.peekUpper().equals("AS")) {
        a.next();
        boolean identity = false;
        int depth = 0;
        while (!a.atEnd()
            && (depth > 0
                || a.peekUpper().equals("IDENTITY")
                || !SqlFrontEnd.COLUMN_CONSTRAINT_WORDS.contains(a.peekUpper()))) {
          Token tk = a.next();
          depth += tk.text().equals("(") ? 1 : tk.text().equals(")") ? -1 : 0;
          generated |= tk.text().equals("(") && depth == 1 && !identity;
          stored |= depth == 0 && tk.upper().equals("STORED");
          identity |= depth == 0 && tk.upper().equals("IDENTITY");
        }
        if (identity && !generated) {
          // GENERATED … AS IDENTITY: fills every row like serial
          type.add(new Token("identity", true, false));
        }
      } else if (a.accept("PRIMARY", "KEY")) {
        pk = true;
        notNull = true;
      } else if (a.accept("UNIQUE")) {
        unique = true;
      } else if (a.accept("CHECK")) {
        check = true; // its parenthesised condition is read past below
      } else if (a.accept("REFERENCES")) {
        references = true;
        a.name();
      } else {
        a.next();
      }
    }
    String typeText = SqlTypes.normalise(SqlTokens.join(type));
    ops.add(
        new Operation.AddColumn(
            line,
            table,
            col,
            typeText,
            notNull,
            defaultExpr,
            stored && generated,
            ifNotExists,
            generated));
    if (pk) {
      ops.add(
          new Operation.AddConstraint(line, table, null, ConstraintKind.PRIMARY_KEY, false, false));
    }
    if (unique) {
      ops.add(new Operation.AddConstraint(line, table, null, ConstraintKind.UNIQUE, false, false));
    }
    if (check && !"sqlite".equals(dialect)) {
      // PostgreSQL checks a new column's CHECK against every existing row while the table is
      // locked (ALTER TABLE, "Notes": adding a CHECK or FOREIGN KEY constraint scans the table)
      ops.add(new Operation.AddConstraint(line, table, null, ConstraintKind.CHECK, false, false));
    }
    if (references && !"sqlite".equals(dialect)) {
      ops.add(
          new Operation.AddConstraint(line, table, null, ConstraintKind.FOREIGN_KEY, false, false));
    }
  }
}
