package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation.CastCopy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * The columns a copy reads through {@code CAST} ({@code CAST(c AS INTEGER)}, {@code c::integer},
 * nested casts in the order applied): in the SELECT list of an {@code INSERT … SELECT} and in the
 * SET list of an {@code UPDATE}. Only a cast whose operand is a column (or a cast of one) counts; a
 * cast of a computed expression ({@code CAST(strftime('%s', t) AS INTEGER)}) converts on purpose
 * and is not read here.
 */
final class ColumnCasts {

  private ColumnCasts() {}

  /** The casts of columns in the SELECT list of {@code ps}, in order (source types unknown). */
  static List<CastCopy> inSelect(PlainSelect ps) {
    List<CastCopy> out = new ArrayList<>();
    for (SelectItem<?> item : ps.getSelectItems()) {
      collect(item.getExpression(), out);
    }
    return List.copyOf(out);
  }

  /**
   * The SET assignments of {@code u} whose value is a cast of a column: target column (lower case)
   * → the cast (source type unknown).
   */
  static Map<String, CastCopy> inSet(Update u) {
    Map<String, CastCopy> out = new LinkedHashMap<>();
    if (u.getUpdateSets() == null) {
      return out;
    }
    for (UpdateSet set : u.getUpdateSets()) {
      if (set.getValues().size() != set.getColumns().size()) {
        continue;
      }
      for (int i = 0; i < set.getValues().size(); i++) {
        CastCopy c = of(set.getValues().get(i));
        if (c != null) {
          out.put(Names.table(set.getColumns().get(i).getColumnName()), c);
        }
      }
    }
    return out;
  }

  private static void collect(Expression e, List<CastCopy> out) {
    if (e == null) {
      return;
    }
    e.accept(
        new ExpressionVisitorAdapter<Void>() {
          @Override
          public <S> Void visit(CastExpression cast, S context) {
            CastCopy c = of(cast);
            if (c != null) {
              out.add(c);
              return null;
            }
            return super.visit(cast, context);
          }
        },
        null);
  }

  /** The cast {@code e} is when its innermost operand is a column, else {@code null}. */
  private static CastCopy of(Expression e) {
    List<String> types = new ArrayList<>();
    while (e instanceof CastExpression c && c.getColDataType() != null) {
      types.add(0, c.getColDataType().toString().strip());
      e = c.getLeftExpression();
    }
    if (types.isEmpty() || !(e instanceof Column col)) {
      return null;
    }
    return new CastCopy(Names.table(col.getColumnName()), null, List.copyOf(types));
  }
}
