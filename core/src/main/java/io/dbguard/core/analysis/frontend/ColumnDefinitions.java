package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a {@code CREATE TABLE} statement declares beyond its column names: each column's type and
 * whether it is generated, and whether the table is partitioned (PostgreSQL manual, "CREATE TABLE":
 * {@code PARTITION BY} after the column list; SQLite docs, "CREATE TABLE", "Generated Columns").
 */
final class ColumnDefinitions {

  private ColumnDefinitions() {}

  /** {@code ) PARTITION BY}, optionally after {@code INHERITS (…)}, following the column list. */
  private static final Pattern PARTITION_BY =
      Pattern.compile("(?is)\\)\\s*(?:INHERITS\\s*\\([^)]*\\)\\s*)?PARTITION\\s+BY\\b");

  /** Whether the CREATE TABLE statement {@code text} declares a partitioned table. */
  static boolean partitioned(String text) {
    return PARTITION_BY.matcher(text).find();
  }

  /**
   * Whether the column definition {@code def} (name first) declares a generated column: {@code AS
   * (} at its top level, as in {@code GENERATED ALWAYS AS (expr) STORED} and SQLite's {@code AS
   * (expr)}; {@code GENERATED … AS IDENTITY} is not one.
   */
  static boolean generated(List<Token> def) {
    int depth = 0;
    for (int i = 1; i + 1 < def.size(); i++) {
      String text = def.get(i).text();
      depth += text.equals("(") ? 1 : text.equals(")") ? -1 : 0;
      if (depth == 0 && def.get(i).upper().equals("AS") && def.get(i + 1).text().equals("(")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The normalised type of the column definition {@code def} (name first), {@code ""} when none.
   */
  static String type(List<Token> def) {
    List<Token> type = new ArrayList<>();
    int depth = 0;
    for (int i = 1; i < def.size(); i++) {
      String text = def.get(i).text();
      depth += text.equals("(") ? 1 : text.equals(")") ? -1 : 0;
      if (depth < 0 || SqlFrontEnd.COLUMN_CONSTRAINT_WORDS.contains(def.get(i).upper())) {
        break; // the last column's definition runs on to the table's closing parenthesis
      }
      type.add(def.get(i));
    }
    return SqlTypes.normalise(SqlTokens.join(type));
  }
}
