package io.dbguard.core.analysis.frontend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The module of a Python project that a seed imports a function from ({@code from ._fake_utils
 * import create_fake_dataset}, {@code from dataworks.apps.catalog.seeding import make}), and the
 * text of that function. A relative module is found from the seed's package directory (one
 * directory up per extra leading dot); an absolute dotted module under the nearest ancestor
 * directory of the seed that holds it as {@code a/b/c.py} or {@code a/b/c/__init__.py} (Python
 * language reference, "The import system": regular packages). A library's module is not in the
 * project and is not found.
 */
public final class PythonModuleFiles {

  /** Ancestor directories of the seed searched at most. */
  private static final int UP = 12;

  private PythonModuleFiles() {}

  /**
   * The file of module {@code module} ({@code ._fake_utils}, {@code ..seeding}, {@code
   * dataworks.apps.catalog.seeding}) as imported by {@code seedFile}, or empty when the project has
   * none.
   */
  public static Optional<Path> find(Path seedFile, String module) {
    Path dir = seedFile.toAbsolutePath().getParent();
    int dots = 0;
    while (dots < module.length() && module.charAt(dots) == '.') {
      dots++;
    }
    String rest = module.substring(dots).replace('.', '/');
    if (dots > 0) {
      for (int up = 1; up < dots && dir != null; up++) {
        dir = dir.getParent();
      }
      return dir == null || rest.isEmpty() ? Optional.empty() : at(dir, rest);
    }
    for (int up = 0; up < UP && dir != null; up++, dir = dir.getParent()) {
      Optional<Path> f = at(dir, rest);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> at(Path dir, String rest) {
    Path file = dir.resolve(rest + ".py");
    if (Files.isRegularFile(file)) {
      return Optional.of(file);
    }
    Path init = dir.resolve(rest).resolve("__init__.py");
    return Files.isRegularFile(init) ? Optional.of(init) : Optional.empty();
  }

  /** What a module does with a name. */
  public enum Defines {
    /** A top-level {@code def}. */
    FUNCTION,
    /**
     * A top-level class or assignment, or a name the module imports from elsewhere (a re-export):
     * not a function whose body can be read here.
     */
    OTHER,
    /** Nothing: the module never names it (and imports nothing with {@code *}). */
    NOTHING
  }

  /** What module source {@code src} defines under top-level name {@code name}. */
  public static Defines defines(String src, String name) {
    String n = Pattern.quote(name);
    if (Pattern.compile("(?m)^(?:async[ \\t]+)?def[ \\t]+" + n + "\\s*\\(").matcher(src).find()) {
      return Defines.FUNCTION;
    }
    if (Pattern.compile("(?m)^(?:class[ \\t]+" + n + "\\b|" + n + "\\s*(?::[^=\\n]*)?=(?!=))")
        .matcher(src)
        .find()) {
      return Defines.OTHER;
    }
    // a name re-exported by an import (from ._theme import set_theme; from .x import *), or made
    // any other way the module names it, is defined elsewhere: not followed, not unknown either
    return Pattern.compile("\\b" + n + "\\b|\\bimport\\s+\\*").matcher(src).find()
        ? Defines.OTHER
        : Defines.NOTHING;
  }

  /**
   * {@code src} with only its top-level imports and the top-level function {@code name} left (the
   * other lines blank, so that lines keep their numbers).
   */
  public static String function(String src, String name) {
    String[] lines = src.split("\n", -1);
    StringBuilder out = new StringBuilder();
    Pattern def = Pattern.compile("^(?:async[ \\t]+)?def[ \\t]+" + Pattern.quote(name) + "\\s*\\(");
    boolean inDef = false;
    int open = 0;
    for (String line : lines) {
      boolean top = !line.isBlank() && !Character.isWhitespace(line.charAt(0));
      if (top && open == 0 && !line.startsWith("#") && !line.startsWith(")")) {
        inDef = def.matcher(line).find();
      }
      boolean keep = inDef || open > 0 || top && line.matches("(?:import|from)\\s.*");
      if (!inDef && keep) {
        open = Math.max(0, open + count(line, '(') - count(line, ')'));
      }
      out.append(keep ? line : "").append('\n');
    }
    return out.substring(0, Math.max(0, out.length() - 1));
  }

  /**
   * The parameter names of the top-level function {@code name} of module source {@code src} ({@code
   * def f(schedule, *args, user: User = None, **kw)} → {@code schedule, args, user, kw}); empty
   * when it is not found.
   */
  public static java.util.Set<String> parameters(String src, String name) {
    java.util.regex.Matcher m =
        Pattern.compile("(?m)^(?:async[ \\t]+)?def[ \\t]+" + Pattern.quote(name) + "\\s*\\(")
            .matcher(src);
    if (!m.find()) {
      return java.util.Set.of();
    }
    int depth = 1;
    int k = m.end();
    while (k < src.length() && depth > 0) {
      char c = src.charAt(k++);
      depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
    }
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String p : src.substring(m.end(), Math.max(m.end(), k - 1)).split(",")) {
      String n = p.strip().replaceFirst("^\\*{1,2}", "").split("[:=\\s]", 2)[0];
      if (n.matches("[A-Za-z_]\\w*")) {
        out.add(n);
      }
    }
    return out;
  }

  /** The name a call chain starts from: {@code schedule.talks.filter(x).delete()} → schedule. */
  public static String receiverRoot(String text) {
    java.util.regex.Matcher m =
        Pattern.compile("^\\s*(?:\\w+\\s*=\\s*)?([A-Za-z_]\\w*)\\s*\\.").matcher(text);
    return m.find() ? m.group(1) : "";
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }
}
