package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.SqlTokens.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.InsertKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The {@code CREATE TABLE} statement of the SQL front end ({@link SqlFrontEnd}), read after {@code
 * CREATE … TABLE}: its columns (names, types, generated ones, those an insert must supply) or, for
 * {@code CREATE TABLE name AS SELECT … FROM t}, the columns the query names and the copy of {@code
 * t} it makes (an {@link Operation.Insert} of kind {@link InsertKind#TABLE_QUERY}), so that a table
 * copied aside this way and copied back is seen as a rebuild.
 */
final class CreateTableReader {

  private CreateTableReader() {}

  private static final Set<String> TABLE_CONSTRAINTS =
      Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE", "LIKE");

  /**
   * The query of {@code CREATE TABLE name AS query}, without PostgreSQL's {@code WITH [NO] DATA}.
   */
  private static final Pattern AS_QUERY =
      Pattern.compile(
          "(?is)^\\s*CREATE\\s+(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\\s+)*TABLE\\s+"
              + "(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:\"[^\"]*\"|[^\\s(\"])+\\s+AS\\s+(.*?)"
              + "(\\s+WITH\\s+(?:NO\\s+)?DATA)?\\s*;?\\s*$");

  /**
   * Reads the rest of a {@code CREATE TABLE} statement from {@code t} (positioned after {@code
   * TABLE}) into {@code ops}, recording its column types in {@code declaredTypes}.
   */
  static void read(
      SqlTokens t,
      String text,
      int line,
      boolean sqlite,
      Map<String, String> declaredTypes,
      List<Operation> ops) {
    t.accept("IF", "NOT", "EXISTS");
    String table = Names.table(t.name());
    Declared d = new Declared();
    if (!t.atEnd() && t.peek().text().equals("(")) {
      t.next();
      while (!t.atEnd() && !t.peek().text().equals(")")) {
        d.add(t.untilTopLevelComma(), table, sqlite, declaredTypes);
      }
    }
    if (sqlite && d.key != null && d.integers.contains(d.key)) {
      d.required.remove(d.key); // PRIMARY KEY (id) of an INTEGER column: the rowid
    }
    Operation.Insert copy = t.accept("AS") ? tableQuery(text, line, table) : null;
    if (copy != null && d.columns.isEmpty() && copy.targetColumns() != null) {
      d.columns.addAll(copy.targetColumns());
    }
    ops.add(
        new Operation.CreateTable(
            line,
            table,
            false,
            d.columns,
            List.copyOf(d.generated),
            ColumnDefinitions.partitioned(text),
            List.copyOf(d.required),
            List.copyOf(d.notNull)));
    if (copy != null) {
      ops.add(copy);
    }
    if (SelectedRowsQuery.filtersTableQuery(text)) {
      ops.add(new Operation.SelectedRows(line, table));
    }
  }

  /** What the column list of a {@code CREATE TABLE} declares, read one definition at a time. */
  private static final class Declared {
    final List<String> columns = new ArrayList<>();
    final List<String> generated = new ArrayList<>();
    final List<String> required = new ArrayList<>();
    final List<String> integers = new ArrayList<>();
    final java.util.Set<String> notNull = new java.util.LinkedHashSet<>();

    /** The column of the first table-level {@code PRIMARY KEY (c)}, {@code null} when none. */
    String key;

    /** Reads the column or table constraint definition {@code def} of {@code table}. */
    void add(List<Token> def, String table, boolean sqlite, Map<String, String> declaredTypes) {
      if (def.isEmpty() || !def.get(0).word()) {
        return;
      }
      if (TABLE_CONSTRAINTS.contains(def.get(0).upper())) {
        key = key != null ? key : Names.table(ColumnDefinitions.rowidKey(def));
        ColumnDefinitions.primaryKey(def).forEach(c -> notNull.add(Names.table(c)));
        return;
      }
      String column = Names.table(def.get(0).text());
      columns.add(column);
      if (ColumnDefinitions.generated(def)) {
        generated.add(column);
      }
      if (ColumnDefinitions.required(def, sqlite)) {
        required.add(column);
      }
      if (ColumnDefinitions.integerType(def)) {
        integers.add(column);
      }
      if (ColumnDefinitions.notNull(def)) {
        notNull.add(column);
      }
      declaredTypes.put(table + "." + column, ColumnDefinitions.type(def));
    }
  }

  /**
   * The copy a {@code CREATE TABLE table AS SELECT … FROM t} makes of {@code t}, its target columns
   * being the names the query gives its columns ({@code null} when one of them is an expression
   * without an alias or {@code *}); {@code null} when the query reads no single table, joins,
   * filters its rows or creates the table without data.
   */
  private static Operation.Insert tableQuery(String text, int line, String table) {
    Matcher m = AS_QUERY.matcher(text);
    if (!m.matches()
        || (m.group(2) != null && m.group(2).matches("(?is)\\s+WITH\\s+NO\\s+DATA"))
        || SelectedRowsQuery.filtersTableQuery(text)) {
      return null;
    }
    try {
      if (!(GeneralSqlParser.parse(m.group(1)) instanceof PlainSelect ps)
          || !(ps.getFromItem() instanceof Table from)
          || ps.getJoins() != null) {
        return null;
      }
      return new Operation.Insert(
          line,
          table,
          InsertKind.TABLE_QUERY,
          Names.table(from.getName()),
          SelectColumns.read(ps),
          null,
          List.of(),
          ColumnCasts.inSelect(ps),
          outputNames(ps));
    } catch (net.sf.jsqlparser.JSQLParserException | RuntimeException e) {
      return null;
    }
  }

  /** The names of the columns of {@code ps}'s result, {@code null} when one is not known. */
  private static List<String> outputNames(PlainSelect ps) {
    List<String> out = new ArrayList<>();
    for (SelectItem<?> item : ps.getSelectItems()) {
      Alias alias = item.getAlias();
      if (alias != null) {
        out.add(Names.table(alias.getName()));
      } else if (item.getExpression() instanceof Column c) {
        out.add(Names.table(c.getColumnName()));
      } else {
        return null;
      }
    }
    return List.copyOf(out);
  }
}
