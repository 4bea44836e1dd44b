package io.dbguard.core.analysis.frontend;

import java.util.HashMap;
import java.util.Map;

/**
 * The database shape of Django model fields (column type and nullability) as the migrations of an
 * app declare them, keyed {@code table.column}. Filled from {@code CreateModel} fields, {@code
 * AddField} and {@code AlterField}; read by a later {@code AlterField} to tell a real type change
 * from one that only relaxes {@code null}/{@code blank} or changes nothing in the database.
 */
public final class DjangoFields {

  /** One field's column: its SQL type (lower case) and whether it accepts NULL. */
  public record Shape(String type, boolean nullable) {}

  private final Map<String, Shape> shapes = new HashMap<>();

  /** Records (or replaces) the shape of {@code table.column}. */
  void put(String table, String column, Shape shape) {
    shapes.put(table + "." + column, shape);
  }

  /** The shape of {@code table.column}, or {@code null} when no earlier migration declares it. */
  Shape get(String table, String column) {
    return shapes.get(table + "." + column);
  }

  /** Whether {@code table.column} is recorded, as a shape or as {@linkplain #forget unknown}. */
  boolean has(String table, String column) {
    return shapes.containsKey(table + "." + column);
  }

  /**
   * Records that {@code table.column} is no longer known (renamed from a field of unknown shape,
   * removed): it hides what earlier migrations declared.
   */
  void forget(String table, String column) {
    shapes.put(table + "." + column, null);
  }

  /**
   * Moves the shape of {@code from} to {@code to} ({@code to} becomes unknown if {@code from} is).
   */
  void rename(String table, String from, String to, DjangoFields earlier) {
    Shape s = has(table, from) ? get(table, from) : earlier.get(table, from);
    if (s == null) {
      forget(table, to);
    } else {
      put(table, to, s);
    }
    forget(table, from);
  }

  /** Adds every shape of {@code later} over this one's (later migrations win). */
  public void putAll(DjangoFields later) {
    shapes.putAll(later.shapes);
  }

  /** Number of fields known. */
  public int size() {
    return shapes.size();
  }
}
