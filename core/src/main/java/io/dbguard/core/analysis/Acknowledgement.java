package io.dbguard.core.analysis;

import java.util.Locale;

/**
 * A reviewed acknowledgement passed in options (the CR's {@code safety.acknowledge[]} or the CLI's
 * {@code --acknowledge RULE:FILE[:SHA256]}).
 *
 * @param rule rule id or name ({@code DBG102}, {@code drop-column})
 * @param file the file path, matched exactly, by path suffix ({@code db/migrate/x.rb} matches
 *     {@code /app/db/migrate/x.rb}) or by file name
 * @param sha256 lower-case hex SHA-256 of the file, or {@code null}; when given the file must still
 *     have exactly this content, so an edited file needs a new review
 */
public record Acknowledgement(String rule, String file, String sha256) {

  /**
   * Parses {@code RULE:FILE[:SHA256]}.
   *
   * @throws IllegalArgumentException when the text has no {@code :} or an empty part
   */
  public static Acknowledgement parse(String text) {
    int first = text.indexOf(':');
    if (first <= 0 || first == text.length() - 1) {
      throw new IllegalArgumentException("expected RULE:FILE[:SHA256], got: " + text);
    }
    String rule = text.substring(0, first);
    String rest = text.substring(first + 1);
    String sha = null;
    int last = rest.lastIndexOf(':');
    if (last > 0 && rest.substring(last + 1).matches("[0-9a-fA-F]{64}")) {
      sha = rest.substring(last + 1).toLowerCase(Locale.ROOT);
      rest = rest.substring(0, last);
    }
    return new Acknowledgement(rule, rest, sha);
  }

  /** Whether this acknowledgement names {@code path} with content hash {@code fileSha256}. */
  public boolean matchesFile(String path, String fileSha256) {
    return matchesPath(path) && (sha256 == null || sha256.equalsIgnoreCase(fileSha256));
  }

  /** Whether this acknowledgement names {@code path} (content not checked). */
  public boolean matchesPath(String path) {
    String p = path.replace('\\', '/');
    String f = file.replace('\\', '/');
    boolean pathOk =
        p.equals(f)
            || p.endsWith("/" + f)
            || f.endsWith("/" + p)
            || (!f.contains("/") && p.substring(p.lastIndexOf('/') + 1).equals(f));
    return pathOk;
  }

  @Override
  public String toString() {
    return rule + ":" + file + (sha256 == null ? "" : ":" + sha256);
  }
}
