package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Operation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The previous column types of the SQL inside a Django {@code RunSQL}: an {@code ALTER COLUMN …
 * TYPE} whose SQL does not say what the column was is given the type the app's migrations declared
 * for it up to that operation — the field whose table ({@code db_table}, else {@code
 * <app_label>_<model>}) and column ({@code db_column}, else the field name) match, its class mapped
 * to PostgreSQL as Django maps it ({@link DjangoFieldChanges#knownType}), or the type an earlier
 * {@code RunSQL} gave the column when that came after the field's last declaration. A custom field
 * class stays unknown, and so does a {@code ForeignKey}/{@code OneToOneField}, whose type is the
 * referenced key's (integer or bigint, depending on that model and {@code DEFAULT_AUTO_FIELD}).
 * Each {@code ALTER COLUMN … TYPE} is recorded in turn, for the SQL and the migrations after it.
 */
final class DjangoSqlTypes {

  private DjangoSqlTypes() {}

  /**
   * {@code ops} (the operations of one {@code RunSQL}) with known previous types filled in.
   *
   * @param history the shapes the app's earlier migrations declared
   * @param declared the shapes the file declared before this operation; each type change of {@code
   *     ops} is recorded in it
   * @return a new list of the same size and order
   */
  static List<Operation> withPreviousTypes(
      List<Operation> ops, DjangoFields history, DjangoFields declared) {
    List<Operation> out = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      if (op instanceof Operation.ChangeColumnType c && c.table() != null && c.column() != null) {
        String table = c.table().startsWith("public.") ? c.table().substring(7) : c.table();
        String before = c.oldType() != null ? null : previous(history, declared, table, c.column());
        out.add(before == null ? op : c.withOldType(before));
        declared.sqlType(table, c.column(), c.newType());
      } else {
        out.add(op);
      }
    }
    return out;
  }

  /** The type of {@code table.column} before the change, or {@code null} when not known. */
  private static String previous(
      DjangoFields history, DjangoFields declared, String table, String column) {
    Set<String> keys = new LinkedHashSet<>(history.fieldKeys());
    keys.addAll(declared.fieldKeys());
    for (String key : keys) {
      int dot = key.indexOf('.');
      String model = key.substring(0, dot);
      String field = key.substring(dot + 1);
      boolean own = declared.has(model, field);
      DjangoFields.Shape s = own ? declared.get(model, field) : history.get(model, field);
      if (s == null
          || !table.equals(table(history, declared, model))
          || !column.equals(s.column(field))) {
        continue;
      }
      DjangoFields.SqlType sql = declared.sqlType(table, column);
      if (sql != null && sql.seq() > declared.shapeSeq(model, field)) {
        return sql.type();
      }
      if (!own) {
        sql = history.sqlType(table, column);
        if (sql != null && sql.seq() > history.shapeSeq(model, field)) {
          return sql.type();
        }
      }
      return columnType(s);
    }
    DjangoFields.SqlType sql = declared.sqlType(table, column);
    sql = sql != null ? sql : history.sqlType(table, column);
    return sql == null ? null : sql.type();
  }

  /** The table of model key {@code model}: its own {@code db_table}, else the key itself. */
  private static String table(DjangoFields history, DjangoFields declared, String model) {
    String t = declared.knowsTable(model) ? declared.table(model) : history.table(model);
    return t == null ? model : t;
  }

  /** The column type of a field shape; {@code null} for a key reference or an unknown class. */
  private static String columnType(DjangoFields.Shape s) {
    if ("ForeignKey".equals(s.fieldClass()) || "OneToOneField".equals(s.fieldClass())) {
      return null;
    }
    String t = s.type();
    if (t == null) {
      return null;
    }
    return switch (t) {
      case "serial" -> "integer";
      case "bigserial" -> "bigint";
      case "smallserial" -> "smallint";
      default -> t;
    };
  }
}
