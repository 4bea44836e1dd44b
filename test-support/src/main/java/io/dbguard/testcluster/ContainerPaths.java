package io.dbguard.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local node's rules for container paths and env values (see {@link LocalNode}, "Process
 * environment and paths"): {@code $(VAR)} expansion, container path → host path rewriting, volume
 * env names, and the small file helpers the pod runner shares.
 */
final class ContainerPaths {
  private ContainerPaths() {}

  /** Kubernetes {@code $(VAR)} expansion: defined names are replaced, {@code $$} escapes. */
  static String expand(String value, Map<String, String> scope) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char ch = value.charAt(i);
      if (ch == '$' && i + 1 < value.length()) {
        char next = value.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (next == '(') {
          int close = value.indexOf(')', i + 2);
          if (close > 0) {
            String var = value.substring(i + 2, close);
            if (scope.containsKey(var)) {
              out.append(scope.get(var));
              i = close + 1;
              continue;
            }
          }
        }
      }
      out.append(ch);
      i++;
    }
    return out.toString();
  }

  // "//" also counts as a start, for URLs such as file:///backups/x or sqlite:///data/app.db;
  // so do the shell's redirections and separators (cmd >/plan/out 2>&1;/bin/x), as in a script.
  private static final String BEFORE = "(?<=^|[\\s=:'\"(,\\[<>|&;]|//)";

  private static final String AFTER = "(?=$|/|[\\s'\"),;:\\]}])";

  /**
   * Replaces container paths by host paths (see the class doc) in one pass: at each position the
   * longest matching container path wins, and a host path that was just written is never rewritten
   * again (a host directory under {@code /tmp} must survive a container mount at {@code /tmp}).
   */
  static String rewrite(String value, List<Map.Entry<String, String>> orderedRewrites) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    Map<String, String> targets = new HashMap<>();
    StringBuilder alternatives = new StringBuilder();
    List<Map.Entry<String, String>> longestFirst = new ArrayList<>(orderedRewrites);
    longestFirst.sort((a, b) -> b.getKey().length() - a.getKey().length());
    for (var e : longestFirst) {
      if (value.contains(e.getKey()) && targets.putIfAbsent(e.getKey(), e.getValue()) == null) {
        alternatives
            .append(alternatives.length() == 0 ? "" : "|")
            .append(Pattern.quote(e.getKey()));
      }
    }
    if (targets.isEmpty()) {
      return value;
    }
    Matcher m = Pattern.compile(BEFORE + "(" + alternatives + ")" + AFTER).matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(targets.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String envName(String volumeName) {
    return volumeName.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  static String stripSlash(String p) {
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  static String summary(List<String> argv) {
    String s = String.join(" ", argv);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  static void writeFile(Path p, byte[] bytes) {
    try {
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void mkdirs(Path p) {
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
