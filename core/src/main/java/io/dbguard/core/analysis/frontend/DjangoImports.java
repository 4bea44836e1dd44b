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
 * django.db.models.JSONField} (Python language reference, "The import statement").
 */
final class DjangoImports {

  private static final Pattern FROM_IMPORT =
      Pattern.compile("(?m)^[ \\t]*from[ \\t]+([\\w.]+)[ \\t]+import[ \\t]+(\\([^)]*\\)|[^\\n#]+)");

  /** Bare name → qualified name, for names imported from modules outside Django. */
  private final Map<String, String> foreign = new HashMap<>();

  private DjangoImports() {}

  /** The imports of Python source {@code src}. */
  static DjangoImports of(String src) {
    DjangoImports out = new DjangoImports();
    Matcher m = FROM_IMPORT.matcher(src);
    while (m.find()) {
      String module = m.group(1);
      if (module.equals("django") || module.startsWith("django.")) {
        continue;
      }
      for (String part : m.group(2).replace("(", "").replace(")", "").split(",")) {
        String[] words = part.strip().split("\\s+");
        if (words.length == 1 && !words[0].isEmpty()) {
          out.foreign.put(words[0], module + "." + words[0]);
        } else if (words.length == 3 && words[1].equals("as")) {
          out.foreign.put(words[2], module + "." + words[0]);
        }
      }
    }
    return out;
  }

  /** An instance that knows no imports. */
  static DjangoImports none() {
    return new DjangoImports();
  }

  /**
   * {@code field} with its callee qualified when it is a bare name imported from outside Django.
   */
  Call qualify(Call field) {
    String q = field.callee().contains(".") ? null : foreign.get(field.callee());
    return q == null
        ? field
        : new Call(q, field.args(), field.kwargs(), field.line(), field.receiver());
  }
}
