package io.dbguard.core.analysis.frontend;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-template placeholders in SQL migrations that a Go migrator renders before running them (for
 * example {@code {{ index .Options "Namespace" }}.users}, the schema name filled in at run time).
 */
final class GoTemplates {

  private static final Pattern PLACEHOLDER = Pattern.compile("(?s)\\{\\{.*?\\}\\}");

  private GoTemplates() {}

  /**
   * {@code sql} with each {@code {{ … }}} placeholder replaced by the word {@code
   * dbguard_template}, so that {@code {{ … }}.users} reads as a schema-qualified name; line breaks
   * inside a placeholder are kept so that line numbers still match the file. Text without a
   * placeholder is returned as is.
   */
  static String withoutPlaceholders(String sql) {
    if (!sql.contains("{{")) {
      return sql;
    }
    return PLACEHOLDER
        .matcher(sql)
        .replaceAll(
            m ->
                Matcher.quoteReplacement(
                    "dbguard_template"
                        + "\n".repeat((int) m.group().chars().filter(c -> c == '\n').count())));
  }
}
