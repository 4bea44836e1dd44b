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
 *
 * <p>model_bakery (and model_mommy, its former name) makes rows the same way ({@link #bakes}):
 * {@code baker.make(...)} and {@code baker.make_recipe(...)} save instances, {@code prepare} and
 * {@code prepare_recipe} do not (model_bakery documentation, "Basic Usage": "make … persists the
 * instance"; "Recipes": a {@code Recipe}'s {@code make()} creates and its {@code prepare()} does
 * not).
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

  /** model_bakery's modules, model_mommy's ({@code baker}, {@code mommy}) and their other names. */
  private static final Set<String> BAKER_MODULES =
      Set.of("model_bakery.baker", "model_mommy.mommy", "baker", "mommy");

  /** The names a model_bakery / model_mommy module's {@code make} functions have in a seed. */
  private static final Set<String> BAKER_MAKES = Set.of("make", "make_recipe");

  /** A {@code Recipe} assigned to a name of the file: {@code customer = Recipe(Customer, …)}. */
  private static final Pattern RECIPE =
      Pattern.compile("(?m)^[ \\t]*(\\w+)\\s*=\\s*(?:[\\w.]*\\.)?Recipe\\(");

  /** Names of the baker module ({@code baker}, {@code mommy}, an alias). */
  private final Set<String> bakers = new HashSet<>();

  /** Names of baker functions that save ({@code make_recipe}, {@code make} from the module). */
  private final Set<String> bakeFunctions = new HashSet<>();

  /** Names of model_bakery recipes and of modules of recipes ({@code baker_recipes}). */
  private final Set<String> recipes = new HashSet<>();

  private final Map<String, List<String>> lookups = new HashMap<>();
  private final Set<String> names = new HashSet<>();
  private final Set<String> modules = new HashSet<>();
  private boolean wildcard;

  private PythonFactories() {}

  /** The factories {@code src} imports or defines. */
  static PythonFactories of(String src) {
    PythonFactories f = new PythonFactories();
    if (src.contains("bake") || src.contains("mommy") || src.contains("make_recipe")) {
      f.readBakers(src);
    }
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
   * Reads the model_bakery / model_mommy names {@code src} binds: the module ({@code from
   * model_bakery import baker}, {@code import model_bakery.baker as b}, and a project module
   * re-exporting {@code baker} or {@code mommy}), its saving functions ({@code from
   * model_bakery.baker import make, make_recipe}; {@code make_recipe} from any module, a project
   * helper re-exporting it), and recipes ({@code x = Recipe(…)}, names from a {@code baker_recipes}
   * or {@code mommy_recipes} module, that module itself).
   */
  private void readBakers(String src) {
    Matcher m = FROM_IMPORT.matcher(src);
    while (m.find()) {
      String module = m.group(1);
      boolean bakerModule = BAKER_MODULES.contains(module) || module.endsWith(".baker");
      boolean recipeModule = module.endsWith("baker_recipes") || module.endsWith("mommy_recipes");
      String list = m.group(2) != null ? m.group(2) : m.group(3);
      for (String part : list.split(",")) {
        String[] w = part.strip().split("\\s+as\\s+");
        String imported = w[0].strip();
        String name = w[w.length - 1].strip();
        if (imported.equals("baker") || imported.equals("mommy")) {
          bakers.add(name);
        } else if (imported.equals("make_recipe")
            || imported.equals("make") && (bakerModule || module.endsWith(".mommy"))) {
          bakeFunctions.add(name);
        } else if (recipeModule
            || imported.equals("baker_recipes")
            || imported.equals("mommy_recipes")) {
          recipes.add(name);
        }
      }
    }
    m = IMPORT.matcher(src);
    while (m.find()) {
      if (BAKER_MODULES.contains(m.group(1))) {
        bakers.add(m.group(2) != null ? m.group(2) : m.group(1));
      }
    }
    m = RECIPE.matcher(src);
    while (m.find()) {
      recipes.add(m.group(1));
    }
  }

  /**
   * Whether a call with callee text {@code callee} saves rows through model_bakery or model_mommy:
   * {@code baker.make}, {@code baker.make_recipe}, an imported {@code make_recipe} or {@code make},
   * a recipe's {@code make} ({@code customer.make}, {@code baker_recipes.customer.make}).
   */
  boolean bakes(String callee) {
    int dot = callee.lastIndexOf('.');
    if (dot < 0) {
      return bakeFunctions.contains(callee);
    }
    String qualifier = callee.substring(0, dot);
    String method = callee.substring(dot + 1);
    return BAKER_MAKES.contains(method) && bakers.contains(qualifier)
        || method.equals("make")
            && (recipes.contains(qualifier)
                || recipes.contains(qualifier.substring(0, Math.max(0, qualifier.indexOf('.')))));
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
