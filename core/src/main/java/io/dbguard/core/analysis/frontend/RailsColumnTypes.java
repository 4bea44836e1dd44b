package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import java.util.Locale;

/** Rails column types as the PostgreSQL adapter writes them in SQL. */
final class RailsColumnTypes {

  private RailsColumnTypes() {}

  /**
   * The SQL type text of a Rails column type ({@code :string, limit: 40} → {@code varchar(40)},
   * {@code :datetime} → {@code timestamp}); an unlisted type is returned lower-cased. With {@code
   * array: true} the PostgreSQL adapter makes an array of that type ({@code :text, array: true} →
   * {@code text[]}; Rails guides, "Active Record and PostgreSQL", Array).
   *
   * @param type the Rails type name without its colon, or {@code null}
   * @param c the call whose {@code limit:}, {@code precision:} and {@code scale:} options apply
   * @return the type text, or {@code null} when {@code type} is
   */
  static String sqlType(String type, Call c) {
    if (type == null) {
      return null;
    }
    String limit = option(c, "limit");
    String precision = option(c, "precision");
    String scale = option(c, "scale");
    String array = "true".equals(c.kw("array")) ? "[]" : "";
    return scalar(type, limit, precision, scale) + array;
  }

  /** A keyword option's value; {@code limit: nil} is no limit, as the adapter reads it. */
  private static String option(Call c, String key) {
    String v = c.kw(key);
    return "nil".equals(v) ? null : v;
  }

  private static String scalar(String type, String limit, String precision, String scale) {
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "string" -> limit != null ? "varchar(" + limit + ")" : "varchar";
      case "text" -> "text";
      case "integer" -> "8".equals(limit) ? "bigint" : "2".equals(limit) ? "smallint" : "integer";
      case "bigint" -> "bigint";
      case "boolean" -> "boolean";
      case "datetime", "timestamp" -> "timestamp";
      case "timestamptz" -> "timestamptz";
      case "decimal", "numeric" ->
          precision != null
              ? "numeric(" + precision + (scale != null ? "," + scale : "") + ")"
              : "numeric";
      case "float" -> "double precision";
      default -> type.toLowerCase(Locale.ROOT);
    };
  }
}
