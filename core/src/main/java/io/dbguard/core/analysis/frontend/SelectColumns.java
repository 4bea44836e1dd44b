package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Names;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The source columns an {@code INSERT … SELECT} copies: every column its SELECT list reads, inside
 * expressions too ({@code unixepoch(created_at)} copies {@code created_at}, converted). Used to
 * tell a table rebuild that keeps every column from one that leaves a column behind.
 */
final class SelectColumns {

  private SelectColumns() {}

  /**
   * @return lower-case column names, {@code ["*"]} for {@code SELECT *} or {@code t.*}
   */
  static List<String> read(PlainSelect ps) {
    List<String> out = new ArrayList<>();
    for (SelectItem<?> item : ps.getSelectItems()) {
      if (item.getExpression() instanceof AllColumns) {
        return List.of("*");
      }
      item.getExpression()
          .accept(
              new ExpressionVisitorAdapter<Void>() {
                @Override
                public <S> Void visit(Column c, S context) {
                  out.add(Names.table(c.getColumnName()));
                  return null;
                }
              },
              null);
    }
    return out;
  }
}
