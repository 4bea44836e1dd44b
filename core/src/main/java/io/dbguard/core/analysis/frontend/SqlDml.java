package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.InsertKind;
import io.dbguard.core.analysis.model.Operation.Where;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;

/**
 * The DML half of the SQL front end ({@link SqlFrontEnd}): {@code DELETE}, {@code UPDATE}, {@code
 * INSERT}, {@code MERGE} read with JSqlParser into {@link Operation}s — target table, WHERE kind
 * (none, tautology, join only, real), {@code ON CONFLICT} / {@code WHERE NOT EXISTS} idempotence,
 * the columns an {@code INSERT … SELECT} copies — and JSqlParser as the recogniser of statements no
 * rule needs. A statement JSqlParser rejects becomes {@link Operation.Unparsed}.
 */
final class SqlDml {

  private SqlDml() {}

  /** Reads one DML statement ({@code text}, starting at {@code line}) into {@code ops}. */
  static void dml(String text, int line, List<Operation> ops) {
    String sql = text;
    boolean orIgnore = false;
    String up = text.toUpperCase(Locale.ROOT);
    if (up.matches("(?s)^INSERT\\s+OR\\s+(IGNORE|REPLACE)\\b.*")) {
      sql = text.replaceFirst("(?is)^INSERT\\s+OR\\s+(IGNORE|REPLACE)", "INSERT");
      orIgnore = true;
    } else if (up.matches("(?s)^INSERT\\s+IGNORE\\b.*")) {
      sql = text.replaceFirst("(?is)^INSERT\\s+IGNORE", "INSERT"); // MySQL
      orIgnore = true;
    } else if (up.matches("(?s)^REPLACE\\s+INTO\\b.*")) {
      sql = text.replaceFirst("(?is)^REPLACE", "INSERT");
      orIgnore = true;
    }
    sql = standardStrings(sql);
    Optional<Operation.Insert> simple = InsertValuesReader.read(new SqlTokens(sql), line, orIgnore);
    if (simple.isPresent()) {
      ops.add(simple.get());
      return;
    }
    Statement st;
    try {
      st = GeneralSqlParser.parse(sql);
    } catch (JSQLParserException | RuntimeException e) {
      ops.add(
          new Operation.Unparsed(
              line, SqlFrontEnd.firstLine(text), "SQL parser: " + shortMessage(e)));
      return;
    }
    if (st instanceof Delete d) {
      ops.add(new Operation.Delete(line, tableName(d.getTable()), where(d.getWhere()), null));
    } else if (st instanceof Update u) {
      boolean joinOnly = UpdateJoins.joinOnly(u);
      boolean selected = joinOnly && SelectedRowsQuery.joinsSelectedRows(u);
      ops.add(
          new Operation.Update(
              line,
              tableName(u.getTable()),
              selected
                  ? Where.REAL
                  : joinOnly
                      ? Where.JOIN_ONLY
                      : ClearingFilters.onlySkipsClearedRows(u)
                          ? Where.TAUTOLOGY
                          : where(u.getWhere()),
              null,
              UpdateValues.backfill(u),
              UpdateValues.columns(u),
              UpdateValues.copies(u),
              joinOnly && !selected ? UpdateJoins.fromTables(u) : List.of(),
              ColumnCasts.inSet(u)));
    } else if (st instanceof Insert i) {
      InsertKind kind =
          orIgnore || i.getConflictAction() != null || i.isUseDuplicate()
              ? InsertKind.IDEMPOTENT
              : InsertKind.PLAIN;
      String source = null;
      List<String> copied = null;
      List<Operation.CastCopy> casts = List.of();
      Select select = i.getSelect();
      if (select instanceof PlainSelect ps) {
        if (ps.getFromItem() instanceof Table from) {
          source = tableName(from);
          copied = ps.getJoins() == null ? SelectColumns.read(ps) : null;
          casts = copied == null ? List.of() : ColumnCasts.inSelect(ps);
        }
        if (ps.getWhere() != null && notExists(ps.getWhere())) {
          kind = InsertKind.IDEMPOTENT;
        }
      }
      List<String> target =
          i.getColumns() == null || i.getColumns().isEmpty()
              ? null
              : i.getColumns().stream().map(c -> Names.table(c.getColumnName())).toList();
      ops.add(
          new Operation.Insert(
              line, tableName(i.getTable()), kind, source, copied, null, List.of(), casts, target));
    } else if (st instanceof Merge m) {
      ops.add(new Operation.Insert(line, tableName(m.getTable()), InsertKind.IDEMPOTENT, null));
    } else if (st instanceof UnsupportedStatement) {
      ops.add(
          new Operation.Unparsed(
              line, SqlFrontEnd.firstLine(text), "SQL parser does not support it"));
    }
    // WITH … SELECT: read-only
  }

  /**
   * Rewrites PostgreSQL escape strings ({@code E'it\\'s'}) to standard strings ({@code 'it''s'}),
   * which JSqlParser reads; other text is unchanged.
   */
  static String standardStrings(String sql) {
    StringBuilder out = new StringBuilder();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      boolean escape =
          (c == 'E' || c == 'e')
              && i + 1 < n
              && sql.charAt(i + 1) == '\''
              && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)));
      if (escape) {
        StringBuilder lit = new StringBuilder("'");
        int j = i + 2;
        while (j < n && sql.charAt(j) != '\'') {
          char d = sql.charAt(j);
          if (d == '\\' && j + 1 < n) {
            char e = sql.charAt(j + 1);
            lit.append(e == '\'' ? "''" : e == 'n' ? "\n" : e == 't' ? "\t" : String.valueOf(e));
            j += 2;
            continue;
          }
          lit.append(d);
          j++;
        }
        out.append(lit).append('\'');
        i = j;
      } else if (c == '\'') {
        int j = i + 1;
        while (j < n && !(sql.charAt(j) == '\'' && (j + 1 >= n || sql.charAt(j + 1) != '\''))) {
          j += sql.charAt(j) == '\'' ? 2 : 1;
        }
        out.append(sql, i, Math.min(j + 1, n));
        i = j;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static void viaJsqlParser(String text, int line, List<Operation> ops) {
    try {
      Statement st = GeneralSqlParser.parse(text);
      if (st instanceof UnsupportedStatement) {
        ops.add(new Operation.Unparsed(line, SqlFrontEnd.firstLine(text), "unknown statement"));
      }
    } catch (JSQLParserException | RuntimeException e) {
      ops.add(
          new Operation.Unparsed(
              line, SqlFrontEnd.firstLine(text), "SQL parser: " + shortMessage(e)));
    }
  }

  private static boolean notExists(Expression where) {
    String s = where.toString().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    return s.contains("NOT EXISTS");
  }

  private static String tableName(Table t) {
    return t == null ? null : Names.table(t.getName());
  }

  /** Classifies a WHERE expression; {@code null} → NONE. Package-visible for tests. */
  static Where where(Expression e) {
    if (e == null) {
      return Where.NONE;
    }
    return isTautology(e) ? Where.TAUTOLOGY : Where.REAL;
  }

  private static boolean isTautology(Expression e) {
    Expression x = unwrap(e);
    if (x instanceof Column c) {
      return c.getFullyQualifiedName().equalsIgnoreCase("true");
    }
    if (x instanceof LongValue l) {
      return l.getValue() != 0;
    }
    if (x.getClass().getSimpleName().equals("BooleanValue")) {
      return x.toString().equalsIgnoreCase("true");
    }
    if (x instanceof EqualsTo eq) {
      return eq.getLeftExpression().toString().equals(eq.getRightExpression().toString());
    }
    if (x instanceof NotEqualsTo ne) {
      return isConstant(ne.getLeftExpression())
          && isConstant(ne.getRightExpression())
          && !ne.getLeftExpression().toString().equals(ne.getRightExpression().toString());
    }
    if (x instanceof OrExpression or) {
      return isTautology(or.getLeftExpression()) || isTautology(or.getRightExpression());
    }
    if (x instanceof AndExpression and) {
      return isTautology(and.getLeftExpression()) && isTautology(and.getRightExpression());
    }
    if (x instanceof NotExpression not) {
      Expression inner = unwrap(not.getExpression());
      return inner.toString().equalsIgnoreCase("false")
          || (inner instanceof LongValue l && l.getValue() == 0)
          || (inner instanceof EqualsTo eq2
              && isConstant(eq2.getLeftExpression())
              && isConstant(eq2.getRightExpression())
              && !eq2.getLeftExpression().toString().equals(eq2.getRightExpression().toString()));
    }
    return false;
  }

  /** Whether {@code e} is a literal: a number, a string or a boolean (not NULL). */
  static boolean isConstant(Expression e) {
    String s = e.toString();
    return s.matches("-?\\d+(\\.\\d+)?|'[^']*'|(?i)true|(?i)false");
  }

  private static Expression unwrap(Expression e) {
    String s = e.toString().trim();
    Expression cur = e;
    while (s.startsWith("(") && s.endsWith(")") && balanced(s.substring(1, s.length() - 1))) {
      try {
        cur = CCJSqlParserUtil.parseCondExpression(s.substring(1, s.length() - 1));
        s = cur.toString().trim();
      } catch (JSQLParserException ex) {
        return cur;
      }
    }
    return cur;
  }

  private static boolean balanced(String s) {
    int depth = 0;
    for (char c : s.toCharArray()) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  private static String shortMessage(Exception e) {
    String m = String.valueOf(e.getMessage());
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      m = e.getCause().getMessage();
    }
    m = m.split("\n")[0];
    return m.length() > 120 ? m.substring(0, 120) + "…" : m;
  }
}
