package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The database shape of Django model fields (column type, nullability, index, uniqueness, primary
 * key) as the migrations of an app declare them, keyed by model ({@code <app>_<model>}, lower case,
 * whatever {@code db_table} says) and column; and the table name each model was given ({@code
 * db_table} of {@code CreateModel}, {@code AlterModelTable}), which {@code RenameModel} carries
 * over and {@code DeleteModel} forgets. Filled from {@code CreateModel} fields, {@code AddField},
 * {@code AlterField}, {@code RenameField}, {@code RemoveField}, {@code RenameModel} and {@code
 * DeleteModel}; read by a later {@code AlterField} to judge what changes in the database. Also each
 * model's {@code unique_together} groups and which of its named constraints are unique ones, so
 * that a later {@code AlterUniqueTogether} or {@code RemoveConstraint} is seen to drop an index.
 *
 * <p>Besides the shapes, an instance keeps the ordered list of edits that made them, so that the
 * edits one migration makes can be replayed over the state of the migrations before it ({@link
 * #putAll}): a {@code RenameField} of a field declared two files earlier moves that field's shape.
 */
public final class DjangoFields {

  /**
   * One field's column.
   *
   * @param type its SQL type (lower case, PostgreSQL spelling), or {@code null} when the field
   *     class is not one of Django's built-in ones (a custom or third-party field)
   * @param fieldClass the field's class name ({@code CharField}, {@code ColorField} …)
   * @param nullable whether the column accepts NULL
   * @param indexed whether Django keeps a plain index on it ({@code db_index=True}, a {@code
   *     ForeignKey} or a {@code SlugField} unless {@code db_index=False})
   * @param unique whether Django keeps a unique constraint on it ({@code unique=True}, {@code
   *     OneToOneField}, primary key)
   * @param primaryKey whether it is the primary key
   * @param hasDefault whether the field declares a {@code default} or {@code db_default}
   * @param dbColumn the {@code db_column} the field declares (lower case), or {@code null}
   */
  public record Shape(
      String type,
      String fieldClass,
      boolean nullable,
      boolean indexed,
      boolean unique,
      boolean primaryKey,
      boolean hasDefault,
      String dbColumn) {

    /** A shape with only type and nullability known (no index, not unique, not a key). */
    public static Shape of(String type, boolean nullable) {
      return new Shape(type, null, nullable, false, false, false, false, null);
    }

    /**
     * The column of field {@code name} with this shape: {@code db_column}, else the name ({@code
     * _id} added for a {@code ForeignKey} / {@code OneToOneField}).
     */
    String column(String name) {
      if (dbColumn != null) {
        return dbColumn;
      }
      boolean fk = "ForeignKey".equals(fieldClass) || "OneToOneField".equals(fieldClass);
      return fk ? name + "_id" : name;
    }
  }

  /**
   * A column type a migration set in SQL ({@code RunSQL} with {@code ALTER COLUMN … TYPE}).
   *
   * @param type the new type, lower case
   * @param seq when it was set, in the order of this state's edits
   */
  record SqlType(String type, long seq) {}

  /** One recorded change, replayable over another state. */
  private sealed interface Edit {}

  private record Put(String model, String column, Shape shape) implements Edit {}

  private record Forget(String model, String column) implements Edit {}

  private record RenameField(String model, String from, String to) implements Edit {}

  private record RenameModel(String from, String to) implements Edit {}

  private record DropModel(String model) implements Edit {}

  private record Table(String model, String table) implements Edit {}

  private record SetSqlType(String table, String column, String type) implements Edit {}

  private record Together(String model, Set<String> groups) implements Edit {}

  private record Named(String model, String name, boolean unique) implements Edit {}

  /** Model → its {@code unique_together} groups ({@link #group} keys); absent when unknown. */
  private final Map<String, Set<String>> together = new HashMap<>();

  /** {@code model.name} of a named constraint → whether it is a unique one. */
  private final Map<String, Boolean> named = new HashMap<>();

  private final Map<String, Shape> shapes = new HashMap<>();

  /** Model → its own table name; a {@code null} value: Django's default name (hides earlier). */
  private final Map<String, String> tables = new HashMap<>();

  private final List<Edit> edits = new ArrayList<>();

  /** {@code model.field} → the edit number that last set or moved its shape. */
  private final Map<String, Long> shapeSeq = new HashMap<>();

  /** {@code table.column} → the type SQL last gave it. */
  private final Map<String, SqlType> sqlTypes = new HashMap<>();

  private long seq;

  /**
   * Records the table of {@code model}: the {@code db_table} of its {@code CreateModel} or of an
   * {@code AlterModelTable} (lower case), or {@code null} for Django's default name.
   */
  void table(String model, String table) {
    apply(new Table(model, table));
  }

  /** Whether this state says which table {@code model} has (its own, or the default). */
  boolean knowsTable(String model) {
    return tables.containsKey(model);
  }

  /**
   * The table name {@code model} was given, or {@code null} when it has Django's default name or
   * this state does not know ({@link #knowsTable}).
   */
  String table(String model) {
    return tables.get(model);
  }

  /** Records (or replaces) the shape of {@code model.column}. */
  void put(String model, String column, Shape shape) {
    apply(new Put(model, column, shape));
  }

  /** The shape of {@code model.column}, or {@code null} when it is not known. */
  Shape get(String model, String column) {
    return shapes.get(model + "." + column);
  }

  /** Whether {@code model.column} is recorded, as a shape or as {@linkplain #forget unknown}. */
  boolean has(String model, String column) {
    return shapes.containsKey(model + "." + column);
  }

  /**
   * Records that {@code model.column} is no longer known (removed): it hides what earlier
   * migrations declared.
   */
  void forget(String model, String column) {
    apply(new Forget(model, column));
  }

  /**
   * Moves the shape of {@code from} to {@code to}; {@code earlier} is looked up when this instance
   * does not know {@code from} (the edit itself is replayed by name, see {@link #putAll}).
   */
  void rename(String model, String from, String to, DjangoFields earlier) {
    String key = model + "." + from;
    if (!shapes.containsKey(key) && earlier != null && earlier.get(model, from) != null) {
      shapes.put(key, earlier.get(model, from));
    }
    apply(new RenameField(model, from, to));
  }

  /**
   * Moves every field of model {@code from} to model {@code to} ({@code RenameModel}); a table name
   * of its own goes with it (Django renames no table then).
   */
  void renameModel(String from, String to, DjangoFields earlier) {
    if (earlier != null && !tables.containsKey(from) && earlier.tables.containsKey(from)) {
      tables.put(from, earlier.tables.get(from));
    }
    if (earlier != null) {
      for (Map.Entry<String, Shape> e : earlier.shapes.entrySet()) {
        if (e.getKey().startsWith(from + ".")) {
          shapes.putIfAbsent(e.getKey(), e.getValue());
        }
      }
    }
    apply(new RenameModel(from, to));
  }

  /** Forgets every field of {@code model} and its table name ({@code DeleteModel}). */
  void dropModel(String model, DjangoFields earlier) {
    if (earlier != null) {
      for (String k : earlier.shapes.keySet()) {
        if (k.startsWith(model + ".")) {
          shapes.put(k, null);
        }
      }
    }
    apply(new DropModel(model));
  }

  /**
   * Records that SQL ({@code RunSQL}) changed the type of {@code table.column} to {@code type}: the
   * field's declaration no longer says what the column is, until a later edit of the field.
   */
  void sqlType(String table, String column, String type) {
    apply(new SetSqlType(table, column, type));
  }

  /** The type SQL last gave {@code table.column} in this state, or {@code null}. */
  SqlType sqlType(String table, String column) {
    return sqlTypes.get(table + "." + column);
  }

  /**
   * The key of one {@code unique_together} group: its field names, lower case, sorted, joined by
   * {@code ", "}.
   */
  static String group(List<String> fields) {
    return String.join(
        ", ", fields.stream().map(f -> f.toLowerCase(java.util.Locale.ROOT)).sorted().toList());
  }

  /** Records the {@code unique_together} groups of {@code model} ({@link #group} keys). */
  void together(String model, Set<String> groups) {
    apply(new Together(model, Set.copyOf(groups)));
  }

  /** The {@code unique_together} groups of {@code model}, or {@code null} when not known. */
  Set<String> together(String model) {
    return together.get(model);
  }

  /** Records that {@code model} has the named constraint {@code name}, unique or not. */
  void constraint(String model, String name, boolean unique) {
    apply(new Named(model, name, unique));
  }

  /**
   * Whether the named constraint {@code name} of {@code model} is a unique one, or {@code null}
   * when not known.
   */
  Boolean uniqueConstraint(String model, String name) {
    return named.get(model + "." + name);
  }

  /** The edit number that last set or moved the shape of {@code model.field}; -1 if none. */
  long shapeSeq(String model, String field) {
    return shapeSeq.getOrDefault(model + "." + field, -1L);
  }

  /** The {@code model.field} keys this state records (known or hidden), unmodifiable. */
  Set<String> fieldKeys() {
    return java.util.Collections.unmodifiableSet(shapes.keySet());
  }

  private void apply(Edit e) {
    edits.add(e);
    seq++;
    if (e instanceof Put p) {
      shapes.put(p.model() + "." + p.column(), p.shape());
      shapeSeq.put(p.model() + "." + p.column(), seq);
    } else if (e instanceof Forget f) {
      shapes.put(f.model() + "." + f.column(), null);
    } else if (e instanceof RenameField r) {
      Shape s = shapes.get(r.model() + "." + r.from());
      shapes.put(r.model() + "." + r.to(), s);
      shapes.put(r.model() + "." + r.from(), null);
      shapeSeq.put(r.model() + "." + r.to(), seq);
    } else if (e instanceof RenameModel r) {
      Map<String, Shape> moved = new HashMap<>();
      shapes
          .entrySet()
          .removeIf(
              x -> {
                if (x.getKey().startsWith(r.from() + ".")) {
                  moved.put(r.to() + x.getKey().substring(r.from().length()), x.getValue());
                  return true;
                }
                return false;
              });
      shapes.putAll(moved);
      if (together.containsKey(r.from())) {
        together.put(r.to(), together.remove(r.from()));
      }
      tables.put(r.to(), tables.get(r.from()));
      tables.put(r.from(), null);
    } else if (e instanceof DropModel d) {
      shapes.replaceAll((k, v) -> k.startsWith(d.model() + ".") ? null : v);
      together.remove(d.model());
      named.keySet().removeIf(k -> k.startsWith(d.model() + "."));
      tables.put(d.model(), null);
    } else if (e instanceof Table t) {
      tables.put(t.model(), t.table());
    } else if (e instanceof SetSqlType t) {
      sqlTypes.put(t.table() + "." + t.column(), new SqlType(t.type(), seq));
    } else if (e instanceof Together t) {
      together.put(t.model(), t.groups());
    } else if (e instanceof Named n) {
      named.put(n.model() + "." + n.name(), n.unique());
    }
  }

  /**
   * Replays every edit of {@code later} over this state, in order (later migrations win; renames
   * and removals move or hide what this state holds).
   */
  public void putAll(DjangoFields later) {
    for (Edit e : List.copyOf(later.edits)) {
      apply(e);
    }
  }

  /** Number of fields recorded (known or hidden). */
  public int size() {
    return shapes.size();
  }
}
