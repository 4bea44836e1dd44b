package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Whether a query selects some rows only — its outermost {@code SELECT} has a {@code WHERE} or
 * {@code HAVING} — and which FROM items of an {@code UPDATE … FROM} are such queries. An update
 * that only joins its target to a query of selected rows touches the rows the query chose (a dedupe
 * through {@code WITH dups AS (SELECT … WHERE n > 1)}, a subquery of expired accounts), not every
 * row: its WHERE is a real filter. A query without such a clause (a copy of a whole table, a {@code
 * GROUP BY} of every row) selects every row.
 */
final class SelectedRowsQuery {

  private SelectedRowsQuery() {}

  private static final Pattern CREATE_TABLE_AS =
      Pattern.compile(
          "(?is)^\\s*CREATE\\s+(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\\s+)*TABLE\\s+"
              + "(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:\"[^\"]*\"|[^\\s(\"])+\\s+AS\\s+(.*)$");

  /**
   * Whether the query of {@code createTableAs}, a {@code CREATE TABLE name AS query} statement,
   * keeps only some rows; false when the statement has no such query or JSqlParser cannot read it.
   */
  static boolean filtersTableQuery(String createTableAs) {
    Matcher m = CREATE_TABLE_AS.matcher(createTableAs);
    if (!m.matches()) {
      return false;
    }
    try {
      return GeneralSqlParser.parse(m.group(1)) instanceof Select s && filters(s);
    } catch (net.sf.jsqlparser.JSQLParserException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether {@code select}'s outermost query keeps only some rows: it has a {@code WHERE} or {@code
   * HAVING}. A {@code LIMIT}, {@code OFFSET} or {@code FETCH} alone is no filter: it is how a
   * batched update walks every row, one slice per run of a loop.
   */
  static boolean filters(Select select) {
    Select s = select;
    while (s instanceof ParenthesedSelect p && p.getSelect() != null) {
      s = p.getSelect();
    }
    return s instanceof PlainSelect ps && (ps.getWhere() != null || ps.getHaving() != null);
  }

  /**
   * Whether a FROM item of {@code u} is a subquery, or names a {@code WITH} query of {@code u},
   * that keeps only some rows.
   */
  static boolean joinsSelectedRows(Update u) {
    List<FromItem> items = new ArrayList<>();
    if (u.getFromItem() != null) {
      items.add(u.getFromItem());
    }
    for (List<Join> joins : java.util.Arrays.asList(u.getJoins(), u.getStartJoins())) {
      if (joins != null) {
        joins.forEach(j -> items.add(j.getFromItem()));
      }
    }
    for (FromItem item : items) {
      if (item instanceof ParenthesedSelect sub && filters(sub)) {
        return true;
      }
      if (item instanceof net.sf.jsqlparser.schema.Table t && u.getWithItemsList() != null) {
        String name = clean(t.getName());
        for (WithItem<?> w : u.getWithItemsList()) {
          if (name.equals(clean(w.getAliasName()))
              && w.getSelect() != null
              && filters(w.getSelect())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String clean(String name) {
    return name == null ? "" : name.replace("\"", "").toLowerCase(Locale.ROOT);
  }
}
