package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation.CastCopy;
import java.util.Locale;

/**
 * Whether a copy through {@code CAST} can lose values, judged by type affinity (SQLite docs,
 * "Datatypes In SQLite", section 3.1 "Determination Of Column Affinity": a type containing {@code
 * INT} is INTEGER; {@code CHAR}, {@code CLOB} or {@code TEXT} is TEXT; {@code BLOB} or no type is
 * BLOB; {@code REAL}, {@code FLOA} or {@code DOUB} is REAL; anything else NUMERIC) and by what CAST
 * does (SQLite docs, "CAST expressions"): a TEXT or BLOB value cast to INTEGER, REAL or NUMERIC
 * keeps only its longest numeric prefix ({@code CAST('5 kg' AS INTEGER)} is 5, {@code CAST('heavy'
 * AS INTEGER)} 0), and a REAL cast to INTEGER is truncated toward zero. PostgreSQL rejects such
 * text (the copy fails) and rounds a real. A cast to TEXT or BLOB, to the source's own affinity, or
 * from INTEGER to REAL or NUMERIC keeps every value. A NUMERIC-affinity column other than a boolean
 * or decimal one ({@code DATE}, {@code DATETIME}, {@code JSON}) holds the text it was given in
 * SQLite, so it counts as text; on SQLite a source whose type is unknown, too. On PostgreSQL a
 * source of unknown type is not judged here (a cast the column's values do not fit fails the
 * migration, which rolls back; {@code ALTER COLUMN … TYPE} is judged by its own rule).
 */
final class NarrowingCasts {

  private NarrowingCasts() {}

  private enum Affinity {
    INTEGER,
    TEXT,
    BLOB,
    REAL,
    NUMERIC
  }

  /**
   * Why {@code c} can lose values ({@code "varchar(20) to INTEGER keeps only a leading number"}),
   * or {@code null} when every value is kept. Each cast of a nested chain is judged on the type the
   * previous one produced.
   *
   * @param sqlite whether the copy runs on SQLite (else PostgreSQL, where an unknown source type is
   *     not judged)
   */
  static String lossy(CastCopy c, boolean sqlite) {
    String from = c.sourceType();
    if (from == null && !sqlite) {
      return null;
    }
    for (String to : c.castTypes()) {
      String why = lossy(from, to);
      if (why != null) {
        return why;
      }
      from = to;
    }
    return null;
  }

  private static String lossy(String from, String to) {
    Affinity target = affinity(to);
    if (target == Affinity.TEXT || target == Affinity.BLOB) {
      return null;
    }
    String what = (from == null ? "a column of unknown type" : from) + " to " + to;
    if (from == null) {
      return what + " keeps only a leading number of a text value";
    }
    String f = from.toLowerCase(Locale.ROOT);
    Affinity source = affinity(from);
    if (source == target || source == Affinity.INTEGER) {
      return null;
    }
    if (source == Affinity.REAL) {
      return target == Affinity.INTEGER ? what + " drops the fractional part" : null;
    }
    if (source == Affinity.NUMERIC && f.startsWith("bool")) {
      return null;
    }
    if (source == Affinity.NUMERIC && (f.startsWith("numeric") || f.startsWith("decimal"))) {
      return target == Affinity.INTEGER ? what + " drops the fractional part" : null;
    }
    return what + " keeps only a leading number of a text value";
  }

  private static Affinity affinity(String type) {
    String t = type == null ? "" : type.toUpperCase(Locale.ROOT);
    if (t.contains("INT")) {
      return Affinity.INTEGER;
    }
    if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
      return Affinity.TEXT;
    }
    if (t.isBlank() || t.contains("BLOB")) {
      return Affinity.BLOB;
    }
    if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
      return Affinity.REAL;
    }
    return Affinity.NUMERIC;
  }
}
