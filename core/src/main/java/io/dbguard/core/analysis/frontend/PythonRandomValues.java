package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.PythonSource.Node;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The random values of a Python seed: Faker ({@code fake.company()}, {@code fake.unique.word()} on
 * a name assigned {@code Faker(…)}, or {@code fake}/{@code faker}), the {@code random} and {@code
 * secrets} modules and the functions imported from {@code random}, {@code uuid.uuid1/uuid4}, {@code
 * get_random_string}, the current time ({@code timezone.now()}, {@code datetime.now()}, {@code
 * time.time()}), and a variable assigned one of them. A get-or-create looked up by such a value
 * finds no row on a rerun and creates one. Faker seeded with a constant ({@code Faker.seed(0)},
 * {@code fake.seed_instance(1)}) and {@code random} seeded with one ({@code random.seed(42)})
 * repeat their values after that line (Faker documentation, "Seeding the Generator").
 */
final class PythonRandomValues {

  private static final String CONSTANT =
      "\\(\\s*(?:\\d+|\"[^\"]*\"|'[^']*'|[A-Z][A-Z0-9_]*)\\s*\\)";
  private static final Pattern FAKER_SEED =
      Pattern.compile("\\bFaker\\.seed" + CONSTANT + "|\\.seed_instance" + CONSTANT);
  private static final Pattern RANDOM_SEED = Pattern.compile("\\brandom\\.seed" + CONSTANT);
  private static final Pattern FAKER_VAR =
      Pattern.compile("(?m)^[ \\t]*([\\w.]+)\\s*=\\s*(?:faker\\.)?Faker\\(");
  private static final Pattern FROM_RANDOM =
      Pattern.compile("(?m)^[ \\t]*from[ \\t]+(?:random|secrets)[ \\t]+import[ \\t]+([\\w ,]+)");
  private static final Pattern ALWAYS =
      Pattern.compile(
          "(?<![\\w.])(?:secrets\\.\\w+|(?:uuid\\.)?uuid[14]|(?:\\w+\\.)?get_random_string"
              + "|time\\.time)\\("
              + "|(?<!\\w)(?:timezone|datetime)\\.(?:now|utcnow)\\(");
  private static final Pattern RANDOM_MODULE =
      Pattern.compile("(?<![\\w])random\\.(?!seed\\b)\\w+\\(");

  private final Set<String> fakers = new HashSet<>(Set.of("fake", "faker"));
  private final Set<String> randomFunctions = new HashSet<>();
  private final Set<String> variables = new HashSet<>();
  private int fakerSeeded = Integer.MAX_VALUE;
  private int randomSeeded = Integer.MAX_VALUE;

  private PythonRandomValues() {}

  /** The random sources of seed source {@code src}. */
  static PythonRandomValues of(String src) {
    PythonRandomValues r = new PythonRandomValues();
    Matcher m = FAKER_VAR.matcher(src);
    while (m.find()) {
      r.fakers.add(m.group(1));
    }
    m = FROM_RANDOM.matcher(src);
    while (m.find()) {
      for (String part : m.group(1).split(",")) {
        String[] w = part.strip().split("\\s+");
        r.randomFunctions.add(w[w.length - 1]);
      }
    }
    r.fakerSeeded = firstLine(src, FAKER_SEED);
    r.randomSeeded = firstLine(src, RANDOM_SEED);
    return r;
  }

  private static int firstLine(String src, Pattern p) {
    Matcher m = p.matcher(src);
    return m.find()
        ? 1 + (int) src.substring(0, m.start()).chars().filter(c -> c == '\n').count()
        : Integer.MAX_VALUE;
  }

  /**
   * The random value {@code value} evaluated at line {@code line} reads (its text), or {@code null}
   * when it reads none: string contents count only through their f-string fields.
   */
  String random(Node value, int line) {
    String code = code(value);
    if (ALWAYS.matcher(code).find()) {
      return PythonSource.text(value);
    }
    if (line <= randomSeeded
        && (RANDOM_MODULE.matcher(code).find() || calls(code, randomFunctions, "("))) {
      return PythonSource.text(value);
    }
    if (line <= fakerSeeded && calls(code, fakers, ".")) {
      return PythonSource.text(value);
    }
    return calls(code, variables, "") ? PythonSource.text(value) : null;
  }

  /** Records that variable {@code name} was assigned {@code value} at line {@code line}. */
  void assigned(String name, Node value, int line) {
    if (value != null && random(value, line) != null) {
      variables.add(name);
    } else {
      variables.remove(name);
    }
  }

  /** Whether {@code code} names one of {@code names} (as a whole name) followed by {@code next}. */
  private static boolean calls(String code, Set<String> names, String next) {
    for (String n : names) {
      Matcher m =
          Pattern.compile(
                  "(?<![\\w.])(?:self\\.)?"
                      + Pattern.quote(n)
                      + (next.isEmpty() ? "(?![\\w(])" : Pattern.quote(next)))
              .matcher(code);
      if (m.find()) {
        return true;
      }
    }
    return false;
  }

  /** The code of {@code n}: like {@link PythonSource#text}, but a string shows only its fields. */
  private static String code(Node n) {
    if (n instanceof PythonSource.Str s) {
      StringBuilder sb = new StringBuilder();
      int at = s.value().indexOf(PythonSource.HOLE_START);
      while (at >= 0) {
        int end = s.value().indexOf(PythonSource.HOLE_END, at);
        if (end < 0) {
          break;
        }
        sb.append(' ').append(s.value(), at + 1, end);
        at = s.value().indexOf(PythonSource.HOLE_START, end);
      }
      return sb.toString();
    }
    if (n instanceof PythonSource.Call c) {
      StringBuilder sb = new StringBuilder(c.callee()).append('(');
      c.args().forEach(a -> sb.append(code(a)).append(','));
      c.kwargs().values().forEach(a -> sb.append(code(a)).append(','));
      return sb.append(')').toString();
    }
    if (n instanceof PythonSource.BinOp b) {
      return code(b.left()) + " " + b.op() + " " + code(b.right());
    }
    if (n instanceof PythonSource.Seq s) {
      StringBuilder sb = new StringBuilder();
      s.items().forEach(a -> sb.append(code(a)).append(','));
      return sb.toString();
    }
    if (n instanceof PythonSource.Dict d) {
      StringBuilder sb = new StringBuilder();
      d.entries().values().forEach(a -> sb.append(code(a)).append(','));
      return sb.toString();
    }
    if (n instanceof PythonSource.Subscript s) {
      return code(s.value());
    }
    return PythonSource.text(n);
  }
}
