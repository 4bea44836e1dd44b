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
