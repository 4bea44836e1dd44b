package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.PythonSource.Call;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a Django migration imports from modules outside Django ({@code from jsonfield import
 * JSONField}, {@code from apiary.fields import MarkdownField as Md}), so that a field class used by
 * its bare name is told from Django's class of the same name: {@code JSONField(...)} imported from
 * {@code jsonfield} is {@code jsonfield.JSONField}, a text column, not {@code
 * django.db.models.JSONField}; and a Django module imported under another name ({@code from
 * django.contrib.postgres import fields as pg}) is followed, so {@code pg.CITextField} stays
 * Django's (Python language reference, "The import statement").
 */
final class DjangoImports {

  private static final Pattern IMPORT_AS =
      Pattern.compile("(?m)^[ \\t]*import[ \\t]+(django(?:\\.\\w+)*)[ \\t]+as[ \\t]+(\\w+)");

  private static final Pattern IMPORT =
      Pattern.compile("(?m)^[ \\t]*import[ \\t]+([\\w.]+)(?:[ \\t]+as[ \\t]+(\\w+))?[ \\t]*$");

  private static final Pattern FROM_IMPORT =
      Pattern.compile("(?m)^[ \\t]*from[ \\t]+([\\w.]+)[ \\t]+import[ \\t]+(\\([^)]*\\)|[^\\n#]+)");

  /** Bare name → qualified name, for names imported from modules outside Django. */
  private final Map<String, String> foreign = new HashMap<>();

  /** Local name → Django module, for modules imported under a name ({@code fields as pg}). */
  private final Map<String, String> djangoModules = new HashMap<>();

  /** Local name → {@code module:name}, for every name a {@code from} import binds. */
  private final Map<String, String> names = new HashMap<>();

  /**
   * Local name → module ({@code ._fake_utils}, {@code a.b}), for {@code import a.b [as m]} and for
   * each name a {@code from} import binds, which may be a module ({@code from . import _utils}).
   */
  private final Map<String, String> modules = new HashMap<>();

  private DjangoImports() {}

  /** The imports of Python source {@code src}. */
  static DjangoImports of(String src) {
    DjangoImports out = new DjangoImports();
    Matcher m = FROM_IMPORT.matcher(src);
    while (m.find()) {
      String module = m.group(1);
      boolean django = module.equals("django") || module.startsWith("django.");
      for (String part : m.group(2).replace("(", "").replace(")", "").split(",")) {
        String[] words = part.strip().split("\\s+");
        String local = words.length == 3 && words[1].equals("as") ? words[2] : words[0];
        if (!words[0].isEmpty() && !words[0].equals("*")) {
          out.names.put(local, module + ":" + words[0]);
          out.modules.put(
              local, module.endsWith(".") ? module + words[0] : module + "." + words[0]);
        }
        if (words.length != 1 && local.equals(words[0]) || local.isEmpty()) {
          continue;
        }
        (django ? out.djangoModules : out.foreign).put(local, module + "." + words[0]);
      }
    }
    Matcher as = IMPORT_AS.matcher(src);
    while (as.find()) {
      out.djangoModules.put(as.group(2), as.group(1));
    }
    Matcher im = IMPORT.matcher(src);
    while (im.find()) {
      out.modules.put(im.group(2) != null ? im.group(2) : im.group(1), im.group(1));
    }
    return out;
  }

  /**
   * The {@code module:name} a bare name was imported as ({@code from ._fake_utils import
   * create_fake_dataset as make} → {@code make} is {@code ._fake_utils:create_fake_dataset}), or
   * {@code null}.
   */
  String name(String local) {
    return names.get(local);
  }

  /**
   * The module a local name stands for ({@code import a.b as m} → {@code m} is {@code a.b}; {@code
   * from . import _utils} → {@code _utils} is {@code ._utils}), or {@code null}.
   */
  String module(String local) {
    return modules.get(local);
  }

  /** An instance that knows no imports. */
  static DjangoImports none() {
    return new DjangoImports();
  }

  /**
   * {@code field} with its callee qualified when it is a bare name imported from outside Django, or
   * named through a Django module imported under another name ({@code pg.CITextField} after {@code
   * from django.contrib.postgres import fields as pg}).
   */
  Call qualify(Call field) {
    String callee = field.callee();
    int dot = callee.indexOf('.');
    String q =
        dot < 0
            ? foreign.get(callee)
            : djangoModules.containsKey(callee.substring(0, dot))
                ? djangoModules.get(callee.substring(0, dot)) + callee.substring(dot)
                : null;
    return q == null
        ? field
        : new Call(q, field.args(), field.kwargs(), field.line(), field.receiver());
  }
}
