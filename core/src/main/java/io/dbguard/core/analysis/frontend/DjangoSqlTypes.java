package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Operation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The previous column types of the SQL inside a Django {@code RunSQL}: an {@code ALTER COLUMN …
 * TYPE} whose SQL does not say what the column was is given the type the app's migrations declared
 * for it up to that operation — the field whose table ({@code db_table}, else {@code
 * <app_label>_<model>}) and column ({@code db_column}, else the field name) match, its class mapped
 * to PostgreSQL as Django maps it ({@link DjangoFieldChanges#knownType}), or the type an earlier
 * {@code RunSQL} gave the column when that came after the field's last declaration. A custom field
 * class stays unknown, and so does a {@code ForeignKey}/{@code OneToOneField}, whose type is the
 * referenced key's (integer or bigint, depending on that model and {@code DEFAULT_AUTO_FIELD}).
 * Each {@code ALTER COLUMN … TYPE} is recorded in turn, for the SQL and the migrations after it. A
 * varchar column of django.contrib's own tables ({@code auth_user.username}, …) that no model of
 * the app declares is given the longest length it has had in any Django version when the change
 * widens it to at least that ({@link #CONTRIB_VARCHAR}).
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
        if (before == null && c.oldType() == null) {
          before = contribWidening(history, declared, table, c.column(), c.newType());
        }
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

  /**
   * The longest {@code max_length} each {@code varchar} column of django.contrib's own tables has
   * had in any Django version, by {@code table.column}. From the Django documentation: {@code
   * django.contrib.auth} ("User model": {@code username} 150 characters since 1.10, 30 before;
   * {@code first_name} 150 since 3.1, 30 before, django/django#12581; {@code last_name} 150 since
   * 2.0, 30 before; {@code email} an {@code EmailField}, 254 since 1.8, 75 before, auth migration
   * {@code 0003_alter_user_email_max_length}; "Group model": {@code name} 150, "Group.name
   * max_length is increased from 80 to 150 characters" in the Django 2.2 release notes; "Permission
   * model": {@code name} 255 since 1.8, 50 before, auth migration {@code
   * 0002_alter_permission_name_max_length}; {@code codename} 100), {@code
   * django.contrib.contenttypes} ({@code ContentType.app_label} and {@code model} 100) and {@code
   * django.contrib.sessions} ({@code AbstractBaseSession.session_key} 40).
   */
  private static final Map<String, Integer> CONTRIB_VARCHAR =
      Map.of(
          "auth_user.username", 150,
          "auth_user.first_name", 150,
          "auth_user.last_name", 150,
          "auth_user.email", 254,
          "auth_group.name", 150,
          "auth_permission.name", 255,
          "auth_permission.codename", 100,
          "django_content_type.app_label", 100,
          "django_content_type.model", 100,
          "django_session.session_key", 40);

  /**
   * For a change of a django.contrib table's column ({@link #CONTRIB_VARCHAR}) that no model of the
   * app's migrations declares: {@code varchar(m)}, {@code m} the longest the column has had in any
   * Django version, when {@code newType} is {@code varchar(n)} with {@code n >= m} (a widening from
   * every version's column); {@code null} otherwise (a shorter length or another type stays judged
   * from an unknown previous type).
   */
  private static String contribWidening(
      DjangoFields history, DjangoFields declared, String table, String column, String newType) {
    Integer longest = CONTRIB_VARCHAR.get(table + "." + column);
    Matcher m = newType == null ? null : VARCHAR.matcher(newType);
    if (longest == null || m == null || !m.matches() || Integer.parseInt(m.group(1)) < longest) {
      return null;
    }
    Set<String> keys = new LinkedHashSet<>(history.fieldKeys());
    keys.addAll(declared.fieldKeys());
    for (String key : keys) {
      if (table.equals(table(history, declared, key.substring(0, key.indexOf('.'))))) {
        return null; // the project declares a model with this table: its fields decide
      }
    }
    return "varchar(" + longest + ")";
  }

  private static final Pattern VARCHAR = Pattern.compile("^varchar\\((\\d+)\\)$");

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
