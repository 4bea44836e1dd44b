package io.dbguard.core.analysis.model;

import java.util.Locale;

/** Name normalisation shared by every front end. */
public final class Names {
  private Names() {}

  /**
   * {@code "public"."Users"} → {@code users}; {@code :users} → {@code users}; null-safe.
   *
   * @return unquoted, lower-case name without schema, or {@code null}
   */
  public static String table(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    if (s.startsWith(":")) {
      s = s.substring(1);
    }
    int dot = lastDotOutsideQuotes(s);
    if (dot >= 0) {
      s = s.substring(dot + 1);
    }
    s = s.replace("\"", "").replace("`", "").replace("[", "").replace("]", "");
    if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'"))) {
      s = s.substring(1, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * The table Rails gives a model class by default (ActiveRecord's {@code table_name}: the class
   * name underscored and pluralised): {@code Account} → {@code accounts}, {@code LineItem} → {@code
   * line_items}, {@code Category} → {@code categories}, {@code Admin::Person} → {@code people}. The
   * common English rules only (ActiveSupport's inflections have more irregular words); a model that
   * sets {@code self.table_name} is not seen here.
   *
   * @param model the class name as written, possibly with a {@code ::} namespace
   * @return the lower-case table name, or {@code null} for null
   */
  public static String railsTable(String model) {
    if (model == null) {
      return null;
    }
    String m = model.strip();
    int ns = m.lastIndexOf("::");
    if (ns >= 0) {
      m = m.substring(ns + 2);
    }
    String snake = underscore(m);
    int cut = snake.lastIndexOf('_') + 1;
    String head = snake.substring(0, cut);
    String word = snake.substring(cut);
    return head + plural(word);
  }

  /**
   * A Ruby class name as ActiveSupport's {@code underscore} writes it: {@code CountryCode} → {@code
   * country_code}, {@code HTTPLog} → {@code http_log} (no namespace handling).
   */
  public static String underscore(String className) {
    return className
        .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
        .replaceAll("([a-z\\d])([A-Z])", "$1_$2")
        .toLowerCase(Locale.ROOT);
  }

  private static String plural(String w) {
    switch (w) {
      case "person":
        return "people";
      case "child":
        return "children";
      case "man":
        return "men";
      case "woman":
        return "women";
      default:
        break;
    }
    if (w.endsWith("y") && w.length() > 1 && "aeiou".indexOf(w.charAt(w.length() - 2)) < 0) {
      return w.substring(0, w.length() - 1) + "ies";
    }
    if (w.endsWith("s")
        || w.endsWith("x")
        || w.endsWith("z")
        || w.endsWith("ch")
        || w.endsWith("sh")) {
      return w + "es";
    }
    return w + "s";
  }

  private static int lastDotOutsideQuotes(String s) {
    boolean q = false;
    int last = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        q = !q;
      } else if (c == '.' && !q) {
        last = i;
      }
    }
    return last;
  }
}
