package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Names;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code USING} expression of {@code ALTER COLUMN … TYPE} that only casts the column
 * itself: {@code col::T}, {@code (col)::T}, {@code CAST(col AS T)}, optionally wrapped in {@code
 * COALESCE(…, 'literal')}. Anything else (a function call, an operator, another column, two casts
 * in a row) is not such a cast.
 */
final class UsingCast {

  private UsingCast() {}

  /**
   * A cast of the column.
   *
   * @param type the type cast to, as written ({@code character varying(20)})
   * @param coalesced whether NULL is replaced by a string literal ({@code COALESCE(col::text,
   *     'x')})
   */
  record Cast(String type, boolean coalesced) {}

  private static final String NAME = "(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*)";
  private static final String TYPE =
      "([A-Za-z][A-Za-z ]*(?:\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?)";
  private static final Pattern COLON =
      Pattern.compile("^(?:" + NAME + "|\\(\\s*" + NAME + "\\s*\\))\\s*::\\s*" + TYPE + "$");
  private static final Pattern CAST =
      Pattern.compile("(?i)^CAST\\s*\\(\\s*" + NAME + "\\s+AS\\s+" + TYPE + "\\s*\\)$");
  private static final Pattern COALESCE =
      Pattern.compile("(?is)^COALESCE\\s*\\((.+),\\s*'(?:[^']|'')*'\\s*\\)$");

  /**
   * The cast {@code expression} applies to {@code column}, or {@code null} when it does anything
   * else.
   *
   * @param expression the text after {@code USING}
   * @param column the altered column's name as {@link Names#table} gives it
   */
  static Cast of(String expression, String column) {
    String e = expression.strip();
    Matcher c = COALESCE.matcher(e);
    if (c.matches()) {
      String inner = plain(c.group(1).strip(), column);
      return inner == null ? null : new Cast(inner, true);
    }
    String type = plain(e, column);
    return type == null ? null : new Cast(type, false);
  }

  private static String plain(String e, String column) {
    Matcher m = COLON.matcher(e);
    if (m.matches()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      return column.equals(Names.table(name)) ? m.group(3).strip() : null;
    }
    m = CAST.matcher(e);
    if (m.matches()) {
      return column.equals(Names.table(m.group(1))) ? m.group(2).strip() : null;
    }
    return null;
  }
}
