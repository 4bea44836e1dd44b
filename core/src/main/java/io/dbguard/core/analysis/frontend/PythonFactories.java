package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The factory_boy factories a Python seed can call, read from its imports and class definitions,
 * and whether a call saves rows. Calling a factory ({@code BookFactory(...)}), its {@code create}
 * and its {@code create_batch} use the create strategy, which saves a {@code DjangoModelFactory}'s
 * instances, and so, by their name, do class methods an application adds as {@code create_…};
 * {@code build}, {@code build_batch}, {@code stub} and {@code stub_batch} save nothing (factory_boy
 * documentation, "Using factories" and "Reference: Factory"). A factory is a name ending in {@code
 * Factory} imported from a module whose path names factories ({@code from library.tests.factories
 * import BookFactory}, {@code from .factories import *}), reached through such a module ({@code
 * factories.BookFactory}), or a class of the file derived from a factory class; any other {@code
 * ...Factory} ({@code django.test.RequestFactory}) saves nothing. A factory class of the file whose
 * {@code Meta} sets {@code django_get_or_create} looks its row up first ({@link #lookup}).
 */
final class PythonFactories {

  private static final Pattern FROM_IMPORT =
      Pattern.compile(
          "(?m)^[ \\t]*from\\s+([\\w.]+)\\s+import[ \\t]+(?:\\(([^)]*)\\)|([\\w \\t,*]+))");
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^[ \\t]*import[ \\t]+([\\w.]+)(?:[ \\t]+as[ \\t]+(\\w+))?");
  private static final Pattern CLASS =
      Pattern.compile("(?m)^\\s*class\\s+(\\w+)\\s*\\(([^)]*Factory[^)]*)\\)");
  private static final Set<String> CREATES = Set.of("create", "create_batch");

  private static final Pattern NEXT_CLASS = Pattern.compile("(?m)^class\\s");
  private static final Pattern GET_OR_CREATE =
      Pattern.compile("\\b(?:django|sqlalchemy)_get_or_create\\s*=\\s*[(\\[]([^)\\]]*)[)\\]]");
  private static final Pattern QUOTED = Pattern.compile("[\"']([\\w]+)[\"']");

  private final Map<String, List<String>> lookups = new HashMap<>();
  private final Set<String> names = new HashSet<>();
  private final Set<String> modules = new HashSet<>();
  private boolean wildcard;

  private PythonFactories() {}

  /** The factories {@code src} imports or defines. */
  static PythonFactories of(String src) {
    PythonFactories f = new PythonFactories();
    if (!src.contains("actor")) {
      return f;
    }
    Matcher m = FROM_IMPORT.matcher(src);
    while (m.find()) {
      boolean fromFactories = names(m.group(1));
      String list = m.group(2) != null ? m.group(2) : m.group(3);
      for (String part : list.split(",")) {
        String[] w = part.strip().split("\\s+as\\s+");
        String name = w[w.length - 1].strip();
        if (name.equals("*")) {
          f.wildcard |= fromFactories;
        } else if (names(w[0].strip()) && !w[0].strip().endsWith("Factory")) {
          f.modules.add(name); // from library.tests import factories
        } else if (fromFactories && w[0].strip().endsWith("Factory")) {
          f.names.add(name);
        }
      }
    }
    m = IMPORT.matcher(src);
    while (m.find()) {
      if (names(m.group(1))) {
        f.modules.add(m.group(2) != null ? m.group(2) : m.group(1));
      }
    }
    m = CLASS.matcher(src);
    while (m.find()) {
      f.names.add(m.group(1));
      Matcher next = NEXT_CLASS.matcher(src);
      String body = src.substring(m.end(), next.find(m.end()) ? next.start() : src.length());
      Matcher lookup = GET_OR_CREATE.matcher(body);
      if (lookup.find()) {
        List<String> fields = new ArrayList<>();
        Matcher q = QUOTED.matcher(lookup.group(1));
        while (q.find()) {
          fields.add(q.group(1));
        }
        f.lookups.put(m.group(1), fields);
      }
    }
    return f;
  }

  /**
   * The fields a factory of the file looks its row up by before creating it ({@code class Meta:
   * django_get_or_create = ("isbn",)}: factory_boy then calls {@code get_or_create}), when a call
   * with callee {@code callee} and keyword arguments {@code kwargs} gives all of them; else {@code
   * null}. A lookup field the call does not give is generated anew on every run (a sequence, a fake
   * value), so the lookup finds nothing and a row is created.
   */
  List<String> lookup(String callee, Set<String> kwargs) {
    String[] parts = callee.split("\\.");
    int n = parts.length;
    String name = n >= 2 && creates(parts[n - 1]) ? parts[n - 2] : parts[n - 1];
    List<String> fields = lookups.get(name);
    return fields != null && !fields.isEmpty() && kwargs.containsAll(fields) ? fields : null;
  }

  /**
   * Whether a module path or name names an application's factories ({@code factories}, {@code
   * tests.factory_defs}); factory_boy's own package {@code factory} ({@code factory.SubFactory},
   * {@code factory.django.DjangoModelFactory}) declares factories and saves nothing.
   */
  private static boolean names(String module) {
    if (module.equals("factory") || module.startsWith("factory.")) {
      return false;
    }
    for (String part : module.split("\\.")) {
      if (part.startsWith("factor")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a call with callee text {@code callee} ({@code BookFactory}, {@code
   * BookFactory.create_batch}, {@code factories.BookFactory}) saves rows through a factory.
   */
  boolean saves(String callee) {
    String[] parts = callee.split("\\.");
    int n = parts.length;
    if (n == 0) {
      return false;
    }
    if (isFactory(parts, n - 1)) {
      return true;
    }
    return n >= 2 && creates(parts[n - 1]) && isFactory(parts, n - 2);
  }

  /**
   * Whether a factory method creates: factory_boy's {@code create} and {@code create_batch}, and a
   * class method an application adds to its factory under a {@code create_} name ({@code
   * ExperimentFactory.create_with_status(...)}), which by that name builds with the create
   * strategy.
   */
  private static boolean creates(String method) {
    return CREATES.contains(method) || method.startsWith("create_");
  }

  /** Whether {@code parts[i]} is a factory, given the qualifier before it. */
  private boolean isFactory(String[] parts, int i) {
    String name = parts[i];
    if (name.equals("Factory") || !name.endsWith("Factory") && !(i == 0 && names.contains(name))) {
      return false;
    }
    if (i == 0) {
      return names.contains(name) || wildcard && name.endsWith("Factory");
    }
    String qualifier = String.join(".", java.util.Arrays.copyOfRange(parts, 0, i));
    return modules.contains(qualifier);
  }
}
