package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.PythonSource.Call;
import io.dbguard.core.analysis.frontend.PythonSource.Name;
import io.dbguard.core.analysis.frontend.PythonSource.Node;
import io.dbguard.core.analysis.frontend.PythonSource.Str;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a Django field declaration means in the database (its {@link DjangoFields.Shape}), and what
 * an {@code AlterField} changes there: compared with the field's previous shape when the app's
 * earlier migrations declare it, else judged from the new field alone.
 *
 * <p>With the previous shape known: a type change ({@link Operation.ChangeColumnType}, judged by
 * {@link SqlTypes}), NULL forbidden ({@link Operation.SetNotNull}) or allowed ({@link
 * Operation.DropNotNull}), an index added ({@link Operation.CreateIndex}) or dropped ({@link
 * Operation.DropIndex}), a unique constraint added ({@link Operation.AddConstraint}); nothing for
 * {@code blank}, {@code verbose_name}, {@code help_text}, {@code default}, {@code choices}.
 *
 * <p>With the previous shape unknown: {@code preserve_default=False} on a NOT NULL field means the
 * field was nullable (Django's {@code makemigrations} asks for a one-off default only when a
 * nullable field becomes NOT NULL), so NULL is forbidden; a bigint primary key, an explicit {@code
 * db_index=True} or {@code unique=True} may each rewrite the table or build an index ({@link
 * Operation.DjangoAlterMayLock}); anything else is a declared type with an unknown previous type.
 *
 * <p>A field class that is not one of Django's ({@link #builtIn}: a third-party or project class)
 * has no known type; an {@code AlterField} from such a class to one of Django's is judged as {@code
 * ALTER COLUMN … TYPE <new>} with an unknown previous type, the statement Django emits (with {@code
 * USING "<col>"::<new>}) when the database type changes.
 */
final class DjangoFieldChanges {

  private DjangoFieldChanges() {}

  /**
   * Appends the operations an {@code AlterField} performs.
   *
   * @param table the model's table
   * @param name the field name (lower case)
   * @param field the new field declaration
   * @param before the previous shape, {@code null} when unknown
   * @param oneOffDefault whether the AlterField says {@code preserve_default=False}
   */
  static void alter(
      String table,
      String name,
      Call field,
      DjangoFields.Shape before,
      boolean oneOffDefault,
      int line,
      List<Operation> ops) {
    DjangoFields.Shape after = shape(field);
    String col = column(name, field);
    if (before == null) {
      unknownBefore(table, col, field, after, oneOffDefault, line, ops);
      return;
    }
    if (before.type() != null && after.type() != null) {
      if (!before.type().equals(after.type())) {
        // Django's PostgreSQL schema editor changes a column's type with USING "col"::type
        ops.add(
            new Operation.ChangeColumnType(
                line,
                table,
                col,
                before.type(),
                after.type(),
                "\"" + col + "\"::" + after.type(),
                false));
      }
    } else if (before.type() == null
        && after.type() != null
        && !java.util.Objects.equals(after.fieldClass(), before.fieldClass())) {
      // from a class dbguard does not know to a built-in one: judged like ALTER COLUMN … TYPE
      // with an unknown previous type, which is what Django emits when the database type changes
      ops.add(new Operation.ChangeColumnType(line, table, col, null, after.type(), null, false));
    } else if (!java.util.Objects.equals(after.fieldClass(), before.fieldClass())) {
      ops.add(
          new Operation.ChangeColumnType(line, table, col, null, declaredType(field), null, true));
    }
    if (before.nullable() && !after.nullable()) {
      ops.add(new Operation.SetNotNull(line, table, col));
    } else if (!before.nullable() && after.nullable()) {
      ops.add(new Operation.DropNotNull(line, table, col));
    }
    if (before.unique() && !after.unique() && !before.primaryKey() && !after.primaryKey()) {
      // Django drops the field's unique constraint (<table>_<column>_<hash>_uniq)
      ops.add(new Operation.DropConstraint(line, table, "of column " + col, ConstraintKind.UNIQUE));
    }
    if (after.unique() && !before.unique() && !after.primaryKey()) {
      ops.add(new Operation.AddConstraint(line, table, null, ConstraintKind.UNIQUE, false, false));
    } else if (after.indexed() && !after.unique() && !before.indexed() && !before.unique()) {
      ops.add(new Operation.CreateIndex(line, table, null, false, false));
    } else if (before.indexed() && !after.indexed() && !after.unique()) {
      ops.add(new Operation.DropIndex(line, "on " + table + "(" + col + ")", false));
    }
  }

  private static void unknownBefore(
      String table,
      String col,
      Call field,
      DjangoFields.Shape after,
      boolean oneOffDefault,
      int line,
      List<Operation> ops) {
    List<Operation> found = new ArrayList<>();
    if (oneOffDefault && !after.nullable()) {
      found.add(new Operation.SetNotNull(line, table, col));
    }
    if (after.primaryKey() && ("bigserial".equals(after.type()) || "bigint".equals(after.type()))) {
      found.add(
          new Operation.DjangoAlterMayLock(
              line,
              table,
              col,
              "the primary key is declared "
                  + field.simpleName()
                  + ": if it was an integer key, the column and every foreign key column that"
                  + " references it are rewritten to bigint under ACCESS EXCLUSIVE"));
    }
    if (after.unique() && !after.primaryKey() && isTrue(field.kwargs().get("unique"))) {
      found.add(
          new Operation.DjangoAlterMayLock(
              line,
              table,
              col,
              "unique=True: if the previous field was not unique, its unique index is built"
                  + " while writes are blocked"));
    } else if (isTrue(field.kwargs().get("db_index")) && !after.unique()) {
      found.add(
          new Operation.DjangoAlterMayLock(
              line,
              table,
              col,
              "db_index=True: if the previous field had no index, the index is built without"
                  + " CONCURRENTLY while writes are blocked"));
    }
    if (found.isEmpty()) {
      ops.add(
          new Operation.ChangeColumnType(line, table, col, null, declaredType(field), null, true));
    } else {
      ops.addAll(found);
    }
  }

  /** The shape a field declaration gives its column. */
  static DjangoFields.Shape shape(Call field) {
    String kind = field.simpleName();
    boolean pk = isTrue(field.kwargs().get("primary_key"));
    boolean fk = kind.equals("ForeignKey") || kind.equals("OneToOneField");
    boolean unique = pk || kind.equals("OneToOneField") || isTrue(field.kwargs().get("unique"));
    boolean noIndex = isFalse(field.kwargs().get("db_index"));
    boolean indexed =
        isTrue(field.kwargs().get("db_index")) || (fk || kind.equals("SlugField")) && !noIndex;
    boolean nullable = kind.equals("NullBooleanField") || isTrue(field.kwargs().get("null"));
    boolean hasDefault =
        field.kwargs().containsKey("default") || field.kwargs().containsKey("db_default");
    return new DjangoFields.Shape(
        knownType(field),
        builtIn(field) ? kind : field.callee(),
        nullable,
        indexed,
        unique,
        pk || kind.contains("AutoField"),
        hasDefault,
        field.kwargs().get("db_column") instanceof Str s
            ? s.value().toLowerCase(Locale.ROOT)
            : null);
  }

  /**
   * The column of a field: {@code db_column} when given, else the field name ({@code _id} added for
   * a {@code ForeignKey} / {@code OneToOneField}). A {@code null} name is read from nothing but
   * {@code db_column} and yields {@code null} without it.
   */
  static String column(String name, Call field) {
    if (field.kwargs().get("db_column") instanceof Str s) {
      return s.value().toLowerCase(Locale.ROOT);
    }
    if (name == null) {
      return null;
    }
    String kind = field.simpleName();
    boolean fk = kind.equals("ForeignKey") || kind.equals("OneToOneField");
    String n = name.toLowerCase(Locale.ROOT);
    return fk ? n + "_id" : n;
  }

  /** The SQL type for an added column: {@link #knownType}, or {@code text} for any other class. */
  static String sqlType(Call field) {
    String t = knownType(field);
    return t == null ? "text" : t;
  }

  /** The declared type as reported: the SQL type, or the field class when that is not known. */
  private static String declaredType(Call field) {
    String t = knownType(field);
    return t == null ? field.simpleName() : t;
  }

  /**
   * The PostgreSQL column type of one of Django's built-in field classes ({@code CharField(
   * max_length=40)} → {@code varchar(40)}), or {@code null} for another class or a length that is
   * not a literal number.
   */
  static String knownType(Call field) {
    if (!builtIn(field)) {
      return null;
    }
    String kind = field.simpleName();
    return switch (kind) {
      case "CharField" -> varchar(field, null);
      case "SlugField" -> varchar(field, "50");
      case "EmailField" -> varchar(field, "254");
      case "URLField" -> varchar(field, "200");
      case "FileField", "ImageField", "FilePathField" -> varchar(field, "100");
      case "TextField" -> "text";
      case "CICharField", "CIEmailField", "CITextField" -> "citext";
      case "IntegerField", "PositiveIntegerField", "ForeignKey", "OneToOneField" -> "integer";
      case "SmallIntegerField", "PositiveSmallIntegerField" -> "smallint";
      case "BigIntegerField", "PositiveBigIntegerField" -> "bigint";
      case "BooleanField", "NullBooleanField" -> "boolean";
      case "DateTimeField" -> "timestamptz";
      case "DateField" -> "date";
      case "TimeField" -> "time";
      case "DurationField" -> "interval";
      case "DecimalField" -> decimal(field);
      case "FloatField" -> "double precision";
      case "JSONField" -> "jsonb";
      case "UUIDField" -> "uuid";
      case "BinaryField" -> "bytea";
      case "GenericIPAddressField", "IPAddressField" -> "inet";
      case "AutoField" -> "serial";
      case "BigAutoField" -> "bigserial";
      case "SmallAutoField" -> "smallserial";
      default -> null;
    };
  }

  /**
   * Whether {@code field} names one of Django's field classes: a bare name (imports from outside
   * Django are qualified first, see {@link DjangoImports}), or one qualified by {@code models} or a
   * {@code django.} module ({@code django.contrib.postgres.fields.CITextField}). A class of the
   * same name from another package ({@code jsonfield.fields.JSONField}, a text column) is not.
   */
  static boolean builtIn(Call field) {
    String callee = field.callee();
    int dot = callee.lastIndexOf('.');
    if (dot < 0) {
      return true;
    }
    String q = callee.substring(0, dot);
    return q.equals("models") || q.startsWith("models.") || q.startsWith("django.");
  }

  private static String varchar(Call field, String defaultLength) {
    Node ml = field.kwargs().get("max_length");
    if (ml == null) {
      return defaultLength == null ? "varchar" : "varchar(" + defaultLength + ")";
    }
    String len = PythonSource.text(ml).strip();
    return len.matches("\\d+") ? "varchar(" + len + ")" : null;
  }

  private static String decimal(Call field) {
    String digits = text(field.kwargs().get("max_digits"));
    String places = text(field.kwargs().get("decimal_places"));
    return digits.matches("\\d+") && places.matches("\\d+")
        ? "numeric(" + digits + "," + places + ")"
        : null;
  }

  private static String text(Node n) {
    return n == null ? "" : PythonSource.text(n).strip();
  }

  static boolean isTrue(Node n) {
    return n instanceof Name x && x.dotted().equals("True");
  }

  static boolean isFalse(Node n) {
    return n instanceof Name x && x.dotted().equals("False");
  }
}
