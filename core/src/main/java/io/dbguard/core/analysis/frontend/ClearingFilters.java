package io.dbguard.core.analysis.frontend;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * A WHERE that scopes nothing: it only skips the rows that have nothing to lose, because the column
 * the UPDATE sets to a constant is already that constant, empty or NULL there ({@code SET note = ''
 * WHERE note <> ''}, {@code SET code = NULL WHERE code IS NOT NULL}). Every value the column held
 * is overwritten, as without a WHERE. A condition on anything else (another column, a second
 * condition joined with AND on another column, an OR) is a real scope.
 */
final class ClearingFilters {

  private ClearingFilters() {}

  /** Whether {@code u}'s WHERE only skips rows whose set column already holds nothing to lose. */
  static boolean onlySkipsClearedRows(Update u) {
    if (u.getWhere() == null) {
      return false;
    }
    Map<String, String> constants = new HashMap<>();
    for (UpdateSet set : u.getUpdateSets()) {
      List<Column> cols = set.getColumns();
      for (int i = 0; i < cols.size() && i < set.getValues().size(); i++) {
        String value = constant(set.getValues().get(i));
        if (value != null) {
          constants.put(name(cols.get(i)), value);
        }
      }
    }
    return !constants.isEmpty() && clears(u.getWhere(), constants);
  }

  /** Whether every condition of {@code where} (joined by AND) only skips cleared rows. */
  private static boolean clears(Expression where, Map<String, String> constants) {
    return UpdateJoins.conjuncts(where).stream().allMatch(c -> skipsCleared(c, constants));
  }

  private static boolean skipsCleared(Expression x, Map<String, String> constants) {
    if (x instanceof IsNullExpression n) {
      return n.isNot() && constants.containsKey(columnOf(n.getLeftExpression()));
    }
    if (x instanceof NotEqualsTo ne) {
      return skipsNothingToLose(ne.getLeftExpression(), ne.getRightExpression(), constants);
    }
    if (x instanceof IsDistinctExpression d && !d.isNot()) {
      return skipsNothingToLose(d.getLeftExpression(), d.getRightExpression(), constants);
    }
    if (x instanceof NotExpression not) {
      List<Expression> inner = UpdateJoins.conjuncts(not.getExpression());
      return inner.size() == 1
          && inner.get(0) instanceof EqualsTo eq
          && skipsNothingToLose(eq.getLeftExpression(), eq.getRightExpression(), constants);
    }
    return false;
  }

  /**
   * {@code col <> v} (either way round) where {@code col} is set to {@code v}, or {@code v} is the
   * empty string.
   */
  private static boolean skipsNothingToLose(
      Expression left, Expression right, Map<String, String> constants) {
    String col = columnOf(left);
    Expression other = right;
    if (col == null || !constants.containsKey(col)) {
      col = columnOf(right);
      other = left;
    }
    if (col == null || !constants.containsKey(col)) {
      return false;
    }
    String v = constant(other);
    return v != null && (v.equals(constants.get(col)) || v.equals("''"));
  }

  private static String columnOf(Expression e) {
    return e instanceof Column c ? name(c) : null;
  }

  private static String name(Column c) {
    return c.getColumnName().replace("\"", "").toLowerCase(Locale.ROOT);
  }

  /** The literal text of a constant (a string, a number, a boolean or NULL), else null. */
  private static String constant(Expression e) {
    if (e instanceof NullValue) {
      return "NULL";
    }
    return SqlDml.isConstant(e) ? e.toString() : null;
  }
}
