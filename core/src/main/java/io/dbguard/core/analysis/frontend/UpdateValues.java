package io.dbguard.core.analysis.frontend;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Tells a backfill from an overwrite in an {@code UPDATE} without {@code WHERE}. A backfill
 * computes every new value from the row's own columns ({@code SET total = price * qty}, {@code SET
 * email_lower = lower(email)}): it rewrites every row under row locks — a lock and scan risk — but
 * loses nothing. An overwrite sets a constant ({@code SET status = 'x'}, {@code NULL}), a value
 * from elsewhere (a sub-select), or a lossy function of the row (truncation, rounding, a narrowing
 * cast), and the old values are gone.
 */
final class UpdateValues {

  private UpdateValues() {}

  /** Functions whose result keeps less than their input (rounding, truncation, cutting). */
  private static final Set<String> LOSSY =
      Set.of(
          "left",
          "right",
          "substr",
          "substring",
          "trunc",
          "round",
          "floor",
          "ceil",
          "ceiling",
          "date_trunc",
          "split_part",
          "md5",
          "random",
          "now",
          "current_timestamp",
          "coalesce");

  /** Whether every value set by {@code u} is derived from the row without loss. */
  static boolean backfill(Update u) {
    if (u.getUpdateSets() == null || u.getUpdateSets().isEmpty()) {
      return false;
    }
    for (UpdateSet set : u.getUpdateSets()) {
      for (Expression value : set.getValues()) {
        if (!derivedFromRow(value)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean derivedFromRow(Expression value) {
    AtomicBoolean column = new AtomicBoolean();
    AtomicBoolean lossy = new AtomicBoolean();
    value.accept(
        new ExpressionVisitorAdapter<Void>() {
          @Override
          public <S> Void visit(Column c, S context) {
            String n = c.getColumnName().toLowerCase(Locale.ROOT);
            if (!n.equals("true") && !n.equals("false") && !n.equals("default")) {
              column.set(true);
            }
            return null;
          }

          @Override
          public <S> Void visit(Function f, S context) {
            if (f.getName() != null && LOSSY.contains(f.getName().toLowerCase(Locale.ROOT))) {
              lossy.set(true);
            }
            return super.visit(f, context);
          }

          @Override
          public <S> Void visit(CastExpression c, S context) {
            String type = c.getColDataType().toString().toLowerCase(Locale.ROOT);
            if (type.matches(".*\\(.*") || type.matches("(small)?int.*|date")) {
              lossy.set(true); // a bounded or narrower type can cut the value
            }
            return super.visit(c, context);
          }

          @Override
          public <S> Void visit(ParenthesedSelect s, S context) {
            lossy.set(true); // a value from elsewhere replaces the row's own
            return null;
          }
        },
        null);
    return column.get() && !lossy.get();
  }
}
