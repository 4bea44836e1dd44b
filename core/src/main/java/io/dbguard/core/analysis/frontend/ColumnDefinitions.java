package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

  /**
   * Whether the column of definition {@code def} (name first) cannot hold NULL: declared {@code NOT
   * NULL} or {@code PRIMARY KEY}, an identity column ({@code GENERATED … AS IDENTITY}) or a serial
   * one (PostgreSQL manual, "CREATE TABLE" and "Serial Types": each is NOT NULL).
   */
  static boolean notNull(List<Token> def) {
    int depth = 0;
    for (int i = 1; i < def.size(); i++) {
      String text = def.get(i).text();
      depth += text.equals("(") ? 1 : text.equals(")") ? -1 : 0;
      String up = def.get(i).upper();
      if (depth == 0
          && (up.equals("PRIMARY")
              || up.equals("IDENTITY")
              || up.equals("NOT") && i + 1 < def.size() && def.get(i + 1).upper().equals("NULL"))) {
        return true;
      }
    }
    return type(def).endsWith("serial");
  }

  /**
   * The columns of the table constraint {@code def} when it is {@code [CONSTRAINT n] PRIMARY KEY
   * (a, b, …)}, as written; empty otherwise.
   */
  static List<String> primaryKey(List<Token> def) {
    List<String> out = new ArrayList<>();
    int i = 0;
    if (i < def.size() && def.get(i).upper().equals("CONSTRAINT")) {
      i += 2;
    }
    if (i + 2 < def.size()
        && def.get(i).upper().equals("PRIMARY")
        && def.get(i + 1).upper().equals("KEY")
        && def.get(i + 2).text().equals("(")) {
      for (int j = i + 3; j < def.size() && !def.get(j).text().equals(")"); j++) {
        if (def.get(j).word()) {
          out.add(def.get(j).text());
        }
      }
    }
    return out;
  }

  /**
   * Whether an {@code INSERT} must supply the column of definition {@code def} (name first): it is
   * declared {@code NOT NULL} without a {@code DEFAULT}, is not generated, not an identity ({@code
   * GENERATED … AS IDENTITY}) or serial column, and on SQLite not the rowid ({@code INTEGER PRIMARY
   * KEY}, SQLite docs, "CREATE TABLE", "ROWIDs and the INTEGER PRIMARY KEY"; a table-level key is
   * seen by {@link #rowidKey}).
   */
  static boolean required(List<Token> def, boolean sqlite) {
    boolean notNull = false;
    boolean primary = false;
    int depth = 0;
    for (int i = 1; i < def.size(); i++) {
      String text = def.get(i).text();
      depth += text.equals("(") ? 1 : text.equals(")") ? -1 : 0;
      String up = def.get(i).upper();
      if (depth != 0) {
        continue;
      }
      if (Set.of("DEFAULT", "GENERATED", "IDENTITY", "AUTOINCREMENT").contains(up)) {
        return false;
      }
      notNull |= up.equals("NOT") && i + 1 < def.size() && def.get(i + 1).upper().equals("NULL");
      primary |= up.equals("PRIMARY");
    }
    String type = type(def);
    return notNull
        && !generated(def)
        && !type.endsWith("serial")
        && !(sqlite && primary && integerType(def));
  }

  /**
   * Whether the column definition {@code def} declares the type {@code INTEGER} (with a size in
   * parentheses too: read as the rowid's type, so that no value is asked of it).
   */
  static boolean integerType(List<Token> def) {
    return def.size() > 1
        && def.get(1).upper().equals("INTEGER")
        && (def.size() == 2
            || SqlFrontEnd.COLUMN_CONSTRAINT_WORDS.contains(def.get(2).upper())
            || def.get(2).text().equals(")")
            || def.get(2).text().equals("("));
  }

  /**
   * The column a table-level {@code PRIMARY KEY (c)} constraint {@code def} names when it names
   * exactly one, else {@code null}.
   */
  static String rowidKey(List<Token> def) {
    int i = 0;
    if (i < def.size() && def.get(i).upper().equals("CONSTRAINT")) {
      i += 2;
    }
    boolean key =
        i + 4 < def.size()
            && def.get(i).upper().equals("PRIMARY")
            && def.get(i + 1).upper().equals("KEY")
            && def.get(i + 2).text().equals("(")
            && def.get(i + 4).text().equals(")");
    return key ? def.get(i + 3).text() : null;
  }
}
