package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The column type a PL/pgSQL {@code IF} guard states: {@code IF EXISTS (SELECT 1 FROM
 * information_schema.columns WHERE table_name = 'x' AND column_name = 'y' AND
 * character_maximum_length = 7) THEN ALTER TABLE x ALTER COLUMN y TYPE varchar(14)} runs the ALTER
 * only while {@code x.y} is {@code varchar(7)}, so that is its previous type.
 *
 * <p>Read: a condition that is a conjunction ({@code AND}, no {@code OR}) with an {@code EXISTS
 * (subquery)} conjunct (not {@code NOT EXISTS}) whose {@code WHERE} is itself a conjunction naming
 * the table ({@code table_name}, {@code relname}, {@code attrelid = 'x'::regclass}), the column
 * ({@code column_name}, {@code attname}) and the type with {@code =}: information_schema.columns'
 * {@code data_type}, {@code udt_name}, {@code character_maximum_length}, {@code numeric_precision}
 * with {@code numeric_scale} (PostgreSQL manual, "The Information Schema", {@code columns}), or
 * pg_attribute's {@code format_type(atttypid, atttypmod)}, {@code atttypid = 't'::regtype} or
 * {@code attlen = 2} (only {@code smallint} among the usual column types is two bytes wide; manual,
 * "System Catalogs", {@code pg_attribute}). A type that takes a length ({@code varchar}, {@code
 * char}) is stated only with its length, {@code numeric} only with precision and scale; a {@code
 * character_maximum_length} without a data type is read as {@code varchar}. Anything else ({@code
 * <>}, {@code !=}, {@code IS NULL}, a comparison the other way round, other columns) states
 * nothing, and other conjuncts are ignored: they can only make the ALTER run less often.
 */
final class TypeGuards {

  private TypeGuards() {}

  private static final String Q = "(?:[A-Za-z_][A-Za-z0-9_]*\\.)?";
  private static final String LIT = "'((?:[^']|'')*)'";
  private static final Pattern EXISTS = Pattern.compile("(?is)^EXISTS\\s*\\((.*)\\)$");
  private static final Pattern EQ_LIT =
      Pattern.compile("(?is)^" + Q + "([A-Za-z_]+)\\s*=\\s*" + LIT + "(?:\\s*::\\s*(\\w+))?$");
  private static final Pattern EQ_NUM =
      Pattern.compile("(?is)^" + Q + "([A-Za-z_]+)\\s*=\\s*(\\d+)$");
  private static final Pattern FORMAT_TYPE =
      Pattern.compile(
          "(?is)^format_type\\s*\\(\\s*"
              + Q
              + "atttypid\\s*,\\s*"
              + Q
              + "atttypmod\\s*\\)\\s*=\\s*"
              + LIT
              + "$");

  /** The facts one guard states about a column. */
  private static final class Facts {
    String table;
    String column;
    String dataType;
    String udt;
    String formatted;
    Integer length;
    Integer precision;
    Integer scale;
    Integer attlen;
  }

  /**
   * The type of {@code table.column} that one of {@code conditions} (PL/pgSQL {@code IF}
   * conditions, all holding) states, normalised ({@link SqlTypes#normalise}), or {@code null}.
   *
   * @param table the altered table as {@link Names#table} gives it
   * @param column the altered column as {@link Names#table} gives it
   */
  static String pinned(List<String> conditions, String table, String column) {
    if (table == null || column == null) {
      return null;
    }
    for (String condition : conditions) {
      List<String> conjuncts = conjuncts(condition);
      if (conjuncts == null) {
        continue;
      }
      for (String c : conjuncts) {
        Matcher m = EXISTS.matcher(unwrap(c));
        if (!m.matches()) {
          continue;
        }
        Facts f = facts(m.group(1));
        if (f != null
            && table.equals(Names.table(f.table))
            && column.equals(Names.table(f.column))) {
          String type = type(f);
          if (type != null) {
            return type;
          }
        }
      }
    }
    return null;
  }

  /** What the {@code WHERE} of {@code subquery} states with {@code =}; null without a WHERE. */
  private static Facts facts(String subquery) {
    int where = PlpgsqlBody.topLevelWord(subquery, "WHERE");
    if (where < 0) {
      return null;
    }
    String condition = subquery.substring(where + "WHERE".length());
    for (String end : List.of("GROUP", "ORDER", "LIMIT")) {
      int e = PlpgsqlBody.topLevelWord(condition, end);
      if (e >= 0) {
        condition = condition.substring(0, e);
      }
    }
    List<String> conjuncts = conjuncts(condition);
    if (conjuncts == null) {
      return null;
    }
    Facts f = new Facts();
    for (String raw : conjuncts) {
      String c = unwrap(raw);
      Matcher m = FORMAT_TYPE.matcher(c);
      if (m.matches()) {
        f.formatted = unquote(m.group(1));
        continue;
      }
      m = EQ_LIT.matcher(c);
      if (m.matches()) {
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String value = unquote(m.group(2));
        String cast = m.group(3) == null ? "" : m.group(3).toLowerCase(Locale.ROOT);
        switch (name) {
          case "table_name", "relname" -> f.table = value;
          case "attrelid" -> f.table = cast.equals("regclass") ? value : f.table;
          case "column_name", "attname" -> f.column = value;
          case "data_type" -> f.dataType = value.toLowerCase(Locale.ROOT);
          case "udt_name" -> f.udt = value.toLowerCase(Locale.ROOT);
          case "atttypid" -> f.formatted = cast.equals("regtype") ? value : f.formatted;
          default -> {}
        }
        continue;
      }
      m = EQ_NUM.matcher(c);
      if (m.matches()) {
        int n = Integer.parseInt(m.group(2));
        switch (m.group(1).toLowerCase(Locale.ROOT)) {
          case "character_maximum_length" -> f.length = n;
          case "numeric_precision" -> f.precision = n;
          case "numeric_scale" -> f.scale = n;
          case "attlen" -> f.attlen = n;
          default -> {}
        }
      }
    }
    return f;
  }

  /** The type the facts state, or null when they do not state a whole type. */
  private static String type(Facts f) {
    if (f.formatted != null) {
      String t = SqlTypes.normalise(f.formatted);
      return needsArguments(t) ? null : t;
    }
    String base = f.dataType;
    if (base == null || base.equals("user-defined") || base.equals("array")) {
      base = f.udt == null || f.udt.startsWith("_") ? null : f.udt;
    }
    if (base == null) {
      if (f.length != null) {
        return "varchar(" + f.length + ")";
      }
      return f.attlen != null && f.attlen == 2 ? "smallint" : null;
    }
    String t = SqlTypes.normalise(base.equals("bpchar") ? "char" : base);
    if ((t.equals("varchar") || t.equals("char")) && f.length != null) {
      return t + "(" + f.length + ")";
    }
    if (t.equals("numeric") && f.precision != null && f.scale != null) {
      return "numeric(" + f.precision + "," + f.scale + ")";
    }
    return needsArguments(t) ? null : t;
  }

  /**
   * Whether the type {@code t} (normalised) leaves out arguments that decide its values: a {@code
   * varchar}, {@code char}, {@code bit} or {@code varbit} without its length, a {@code numeric}
   * without precision (any of those could be one of several types).
   */
  private static boolean needsArguments(String t) {
    return List.of("varchar", "char", "bit", "varbit", "bit varying", "numeric").contains(t);
  }

  private static String unquote(String literal) {
    return literal.replace("''", "'");
  }

  /** {@code s} without the parentheses that enclose all of it. */
  private static String unwrap(String s) {
    String t = s.strip();
    while (t.startsWith("(") && t.endsWith(")") && closing(t, 0) == t.length() - 1) {
      t = t.substring(1, t.length() - 1).strip();
    }
    return t;
  }

  /**
   * The top-level {@code AND} operands of {@code condition}; null when it has a top-level {@code
   * OR} (a disjunction states nothing for sure) or starts with {@code NOT}.
   */
  private static List<String> conjuncts(String condition) {
    if (condition == null) {
      return null;
    }
    String c = unwrap(condition);
    if (PlpgsqlBody.topLevelWord(c, "OR") >= 0 || PlpgsqlBody.topLevelWord(c, "NOT") == 0) {
      return null;
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    int and;
    while ((and = PlpgsqlBody.topLevelWord(c.substring(start), "AND")) >= 0) {
      out.add(c.substring(start, start + and));
      start += and + 3;
    }
    out.add(c.substring(start));
    return out;
  }

  /** Index of the closing parenthesis of the one at {@code open}, skipping quotes; -1 if none. */
  private static int closing(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\'' || ch == '"') {
        int j = s.indexOf(ch, i + 1);
        if (j < 0) {
          return -1;
        }
        i = j;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
