package io.dbguard.core.analysis.frontend;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQLDelight migration files ({@code <version>.sqm}, the SQL migrations of Android and Kotlin
 * Multiplatform apps, mostly on SQLite) as the SQL they run. SQLDelight lets a file import Kotlin
 * types ({@code import kotlin.Boolean;}) and map a column to one ({@code is_legacy INTEGER AS
 * Boolean NOT NULL}); both exist only for the generated Kotlin code and never reach the database
 * (SQLDelight documentation, "Types" and "Migrations"). They are removed here so that the rest
 * reads as plain SQL.
 */
public final class SqlDelightText {

  /** An {@code import a.b.C;} line. */
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^[ \\t]*import[ \\t]+[\\w.]+;[ \\t]*$");

  /**
   * {@code AS Type}, {@code AS kotlin.collections.List<String>} after a SQL type name: the Kotlin
   * type a column maps to starts with a capital letter after its package.
   */
  private static final Pattern KOTLIN_TYPE =
      Pattern.compile(
          "(?i:\\b(INTEGER|TEXT|REAL|BLOB|NUMERIC|INT|BIGINT|VARCHAR(?:\\s*\\(\\s*\\d+\\s*\\))?|BOOLEAN))"
              + "\\s+(?i:AS)\\s+(?:[a-z_]\\w*\\.)*[A-Z]\\w*(?:\\s*<[^>;()]*>)?\\??");

  private SqlDelightText() {}

  /**
   * Whether a file is a SQLDelight migration, by its name.
   *
   * @param fileName the file name without directories
   */
  public static boolean isMigration(String fileName) {
    return fileName.endsWith(".sqm");
  }

  /**
   * The SQL a migration file runs: {@code text} itself, or for a SQLDelight migration ({@link
   * #isMigration}) {@code text} without its Kotlin imports and column type mappings. Lines are
   * kept, so line numbers still match the file.
   *
   * @param fileName the file name without directories
   */
  public static String asSql(String fileName, String text) {
    return isMigration(fileName) ? plain(text) : text;
  }

  private static String plain(String sql) {
    String s = IMPORT.matcher(sql).replaceAll("");
    return KOTLIN_TYPE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
  }
}
