package io.dbguard.core.analysis.frontend;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Type-change classification for PostgreSQL (knowledge from the PostgreSQL documentation of ALTER
 * TABLE: a change that is binary coercible, or that only relaxes a length/precision limit, needs no
 * rewrite; other changes rewrite the table, and conversions that need {@code USING} or narrow a
 * type can fail or lose data). Which casts keep every value of their source type follows the ranges
 * of chapter 8 "Data Types" of the PostgreSQL manual: see {@link #classify(String, String,
 * boolean)}.
 */
public final class SqlTypes {

  private SqlTypes() {}

  /** How a column type change behaves. */
  public enum Change {
    /** Binary coercible or a relaxed limit: catalog-only. */
    SAFE,
    /** Keeps every value but rewrites the table. */
    REWRITE,
    /**
     * Binary coercible, so the table is not rewritten, but the column's indexes are rebuilt under
     * the ACCESS EXCLUSIVE lock because their operator class changes: {@code text} or {@code
     * varchar} to {@code citext} (the citext extension declares those casts {@code WITHOUT
     * FUNCTION}; PostgreSQL manual, Appendix F "citext"). A unique index fails to rebuild when two
     * values differ only in case. Also a change that only sets a collation ({@link
     * #withCollation}).
     */
    REINDEX,
    /** May fail, truncate or convert values, or break readers. */
    INCOMPATIBLE
  }

  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("character varying", "varchar"),
          Map.entry("int", "integer"),
          Map.entry("int4", "integer"),
          Map.entry("int8", "bigint"),
          Map.entry("int2", "smallint"),
          Map.entry("float8", "double precision"),
          Map.entry("float4", "real"),
          Map.entry("decimal", "numeric"),
          Map.entry("bool", "boolean"),
          Map.entry("timestamp without time zone", "timestamp"),
          Map.entry("timestamp with time zone", "timestamptz"),
          Map.entry("character", "char"),
          Map.entry("serial4", "serial"),
          Map.entry("serial8", "bigserial"));

  /**
   * Lower case, aliases resolved, spaces normalised: {@code CHARACTER VARYING(20)} → {@code
   * varchar(20)}.
   */
  public static String normalise(String type) {
    if (type == null) {
      return null;
    }
    String t = type.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ").replace(" (", "(");
    Matcher zone = ZONE.matcher(t);
    if (zone.matches()) { // timestamp(6) without time zone → timestamp(6)
      String tz = zone.group(3).equals("with") ? "tz" : "";
      t = zone.group(1) + tz + zone.group(2) + (zone.group(4) == null ? "" : "[]");
    }
    String base = t.replaceAll("\\(.*", "").trim();
    String args = t.contains("(") ? t.substring(t.indexOf('(')) : "";
    Matcher fl = FLOAT.matcher(t);
    if (fl.matches()) {
      // float is double precision, float(1..24) real (PostgreSQL manual, "Floating-Point Types")
      boolean single = fl.group(1) != null && Integer.parseInt(fl.group(1)) <= 24;
      return (single ? "real" : "double precision") + (fl.group(2) == null ? "" : "[]");
    }
    String mapped = ALIASES.getOrDefault(base, base);
    return mapped + args.replace(" ", "");
  }

  /** {@code float}, {@code float(p)}, with an array mark. */
  private static final Pattern FLOAT = Pattern.compile("^float(?:\\((\\d+)\\))?(\\[\\])?$");

  private static final Pattern ZONE =
      Pattern.compile("^(timestamp|time)(\\(\\d+\\)) (with|without) time zone(\\[\\])?$");

  /**
   * A normalised type: its name (also a user-defined one: an enum or domain, schema-qualified or
   * quoted, {@code public.order_state}, {@code "OrderState"}), up to two arguments, an array mark.
   */
  private static final Pattern ARGS =
      Pattern.compile("^([a-z_\"][a-z0-9_ .\"$]*)(?:\\((\\d+)(?:,(\\d+))?\\))?(\\[\\])?$");

  /**
   * Classifies {@code from} → {@code to}. When {@code from} is unknown ({@code null}) the target
   * decides: types that can hold any value of the usual source types ({@code text}, unbounded
   * {@code varchar}, {@code bigint}, unbounded {@code numeric}, {@code double precision}, {@code
   * timestamptz}, {@code jsonb}) → REWRITE (warn); everything else, including a bounded {@code
   * varchar(n)} that may be narrower than the current type → INCOMPATIBLE. An explicit {@code
   * USING} is always INCOMPATIBLE (a conversion, not a widening). Serial pseudo-types compare as
   * the integer type they store ({@code serial} → {@code bigint} is REWRITE). A known source type
   * whose every value's text form fits a bounded {@code varchar(n)} (an {@code integer} into {@code
   * varchar(11)}, an {@code inet} into {@code varchar(49)}) is REWRITE, and so is every other cast
   * that keeps each value of a known source type: any type to {@code text} or unbounded {@code
   * varchar}; a smaller to a larger integer type; an integer type to {@code numeric} without
   * precision or with at least its digits before the point ({@code integer} needs 10, {@code
   * smallint} 5, {@code bigint} 19: {@code numeric(12,2)}, not {@code numeric(4,1)}); {@code
   * numeric(p,s)} to one with no fewer digits on either side of the point; {@code smallint} to
   * {@code real}, {@code smallint} or {@code integer} to {@code double precision} (exact below 2^24
   * and 2^53; {@code bigint} and {@code numeric} are not); {@code real} to {@code double
   * precision}; {@code date} to {@code timestamp} or {@code timestamptz} (midnight; only a date
   * past 294276 AD, the end of the timestamp range, fails); {@code timestamp} to {@code
   * timestamptz}; {@code json} to {@code jsonb} and back (assignment casts that keep every value,
   * only whitespace, key order and duplicate keys of {@code jsonb} are normalised). A change
   * between an array and a non-array type is INCOMPATIBLE, also to {@code text}: the value the
   * running version reads changes shape. Raising or removing the fractional-second precision of the
   * same date/time type is SAFE (no rewrite).
   *
   * @param from the previous type, {@code null} when unknown
   * @param to the new type
   * @param using whether an explicit {@code USING} expression is given whose text is not judged
   * @return how the change behaves
   */
  public static Change classify(String from, String to, boolean using) {
    if (using) {
      return Change.INCOMPATIBLE;
    }
    String t = normalise(to);
    if (from == null) {
      t = storage(t);
      return switch (base(t)) {
        case "text", "bigint", "double precision", "timestamptz", "jsonb", "citext" ->
            Change.REWRITE;
        case "varchar" -> t.equals("varchar") ? Change.REWRITE : Change.INCOMPATIBLE;
        case "numeric" -> t.equals("numeric") ? Change.REWRITE : Change.INCOMPATIBLE;
        default -> Change.INCOMPATIBLE;
      };
    }
    String f = storage(normalise(from));
    t = storage(t);
    if (f.equals(t)) {
      return Change.SAFE;
    }
    Matcher mf = ARGS.matcher(f);
    Matcher mt = ARGS.matcher(t);
    if (!mf.matches() || !mt.matches()) {
      return Change.INCOMPATIBLE;
    }
    String bf = mf.group(1).trim();
    String bt = mt.group(1).trim();
    Integer lf = mf.group(2) == null ? null : Integer.valueOf(mf.group(2));
    Integer lt = mt.group(2) == null ? null : Integer.valueOf(mt.group(2));
    if ((mf.group(4) == null) != (mt.group(4) == null)) {
      // an array on one side only: even to text, which every array casts to ('{a,b}'), the
      // running version reads a value of another shape (a string, not a list)
      return Change.INCOMPATIBLE;
    }
    if ((bf.equals("varchar") || bf.equals("text")) && bt.equals("text")) {
      return Change.SAFE;
    }
    if (JSON.contains(bf) && JSON.contains(bt)) {
      return Change.REWRITE; // the assignment casts json ↔ jsonb keep every value
    }
    if ((bf.equals("varchar") || bf.equals("text")) && bt.equals("citext")) {
      return Change.REINDEX;
    }
    if (bf.equals("varchar") && bt.equals("varchar")) {
      return lt == null || (lf != null && lt >= lf) ? Change.SAFE : Change.INCOMPATIBLE;
    }
    if (bf.equals("text") && bt.equals("varchar")) {
      return lt == null ? Change.SAFE : Change.INCOMPATIBLE;
    }
    int sf = mf.group(3) == null ? 0 : Integer.parseInt(mf.group(3));
    int st = mt.group(3) == null ? 0 : Integer.parseInt(mt.group(3));
    if (bf.equals("numeric") && bt.equals("numeric")) {
      if (lt == null || lf != null && lt >= lf && st == sf) {
        return Change.SAFE;
      }
    }
    if (bf.equals(bt) && TEMPORAL.contains(bf) && precisionKept(lf, lt)) {
      return Change.SAFE;
    }
    if (bf.equals("cidr") && bt.equals("inet")) {
      return Change.SAFE;
    }
    int rf = rank(bf);
    int rt = rank(bt);
    if (rf > 0 && rt > rf) {
      return Change.REWRITE;
    }
    if (lossless(bf, lf, sf, bt, lt, st)) {
      return Change.REWRITE;
    }
    if (bt.equals("text") || bt.equals("varchar") && lt == null) {
      return Change.REWRITE; // everything has a text form
    }
    Integer longest = longestText(bf, lf);
    if (bt.equals("varchar") && longest != null && lt >= longest) {
      return Change.REWRITE; // every value's text form fits the new limit
    }
    return Change.INCOMPATIBLE;
  }

  /**
   * Classifies {@code from} → {@code to} with the {@code USING} expression {@code using}. An
   * expression that only casts the column to the new type ({@code id::text}, {@code CAST(n AS
   * bigint)}; to {@code text} or {@code varchar} for a target of either, also inside {@code
   * COALESCE(…, 'literal')}, which fills NULLs with the literal) performs the cast the change
   * performs without {@code USING}, so it is judged as {@link #classify(String, String, boolean)}
   * with no {@code USING}; for an unknown source type only when the target is {@code text} or
   * unbounded {@code varchar} (a cast to another type can fail where the change without {@code
   * USING} would be refused by PostgreSQL outright). A cast of a character column (or one of
   * unknown type) to the {@code json} or {@code jsonb} target is REWRITE: the author declares the
   * column to hold JSON, every valid value is kept and any other fails the statement ({@link
   * #parsesJson(String, String, String, String)}). Any other expression, or {@code null}, is
   * INCOMPATIBLE.
   *
   * @param from the previous type, {@code null} when unknown
   * @param to the new type
   * @param using the text after {@code USING}, {@code null} when it was not read
   * @param column the altered column's name
   * @return how the change behaves
   */
  public static Change classify(String from, String to, String using, String column) {
    if (parsesJson(from, to, using, column)) {
      return Change.REWRITE;
    }
    UsingCast.Cast cast = using == null || column == null ? null : UsingCast.of(using, column);
    if (cast == null) {
      return Change.INCOMPATIBLE;
    }
    String t = storage(normalise(to));
    String c = storage(normalise(cast.type()));
    boolean textual = t.equals("text") || t.equals("varchar");
    boolean same = c.equals(t) || textual && (c.equals("text") || c.equals("varchar"));
    if (!same || (cast.coalesced() || from == null) && !textual) {
      return Change.INCOMPATIBLE;
    }
    return classify(from, to, false);
  }

  /** {@code json} and {@code jsonb}. */
  private static final Set<String> JSON = Set.of("json", "jsonb");

  /** Character types whose values a cast to {@code json} or {@code jsonb} parses. */
  private static final Set<String> CHARACTER = Set.of("text", "varchar", "char", "citext");

  /**
   * Whether a change to {@code to} (normalised) through a {@code USING} cast of the column to
   * {@code to} parses the column's text as JSON: {@code to} is {@code json} or {@code jsonb} and
   * {@code from} a character type ({@code text}, {@code varchar}, {@code char}, {@code citext}) or
   * unknown. The author declares the column to hold JSON; PostgreSQL keeps every value that is
   * valid JSON and fails the statement on the first that is not.
   */
  private static boolean parsesJson(String from, String to) {
    return JSON.contains(to) && (from == null || CHARACTER.contains(base(normalise(from))));
  }

  /**
   * Whether the change {@code from} → {@code to} with the {@code USING} expression {@code using}
   * ({@code null} when none) casts a character column, or one of unknown type, to {@code json} or
   * {@code jsonb} through a cast of the column itself to either ({@code body::jsonb}, {@code
   * CAST(body AS json)}, {@code body::json} into a {@code jsonb} column): it keeps every value and
   * fails on any that is not valid JSON (see {@link #classify(String, String, String, String)}).
   *
   * @param column the altered column's name
   */
  public static boolean parsesJson(String from, String to, String using, String column) {
    UsingCast.Cast cast = using == null || column == null ? null : UsingCast.of(using, column);
    if (cast == null || cast.coalesced() || to == null) {
      return false;
    }
    String t = storage(normalise(to));
    String c = storage(normalise(cast.type()));
    // body::json into a jsonb column parses the text too (then json → jsonb by assignment)
    return (t.equals(c) || JSON.contains(t) && JSON.contains(c)) && parsesJson(from, t);
  }

  /**
   * Whether the change {@code from} → {@code to} without {@code USING} asks PostgreSQL for a cast
   * from a known character type to {@code json} or {@code jsonb}: there is no assignment cast from
   * {@code text} to either (only the explicit I/O conversion), so ALTER TABLE fails with "column …
   * cannot be cast automatically to type jsonb" on any table, empty or not.
   */
  public static boolean noAssignmentCastToJson(String from, String to) {
    return from != null
        && to != null
        && CHARACTER.contains(base(normalise(from)))
        && JSON.contains(storage(normalise(to)));
  }

  /**
   * {@code change} for a type change that also names a collation ({@code TYPE t COLLATE c}): a
   * change that would be catalog-only ({@link Change#SAFE}) becomes {@link Change#REINDEX}, since
   * PostgreSQL rebuilds the column's indexes when the collation changes, under the ACCESS EXCLUSIVE
   * lock of ALTER TABLE (PostgreSQL manual, ALTER TABLE: a change of collation requires the indexes
   * to be rebuilt, though the table is not rewritten when the old type is binary coercible to the
   * new one). The column's current collation is not known, so a collation that names the current
   * one is judged the same. Other verdicts are kept: a rewrite rebuilds the indexes anyway.
   *
   * @param change the verdict of the type change alone
   * @param collation the collation after {@code COLLATE}, {@code null} when none is given
   */
  public static Change withCollation(Change change, String collation) {
    return collation != null && change == Change.SAFE ? Change.REINDEX : change;
  }

  /** Whether every value of {@code from} survives the cast to {@code to} (bases and arguments). */
  private static boolean lossless(String from, Integer fp, int fs, String to, Integer tp, int ts) {
    Integer digits = integerDigits(from);
    if (digits != null && to.equals("numeric")) {
      return tp == null || tp - ts >= digits;
    }
    if (from.equals("numeric") && to.equals("numeric")) {
      return fp != null && tp != null && ts >= fs && tp - ts >= fp - fs;
    }
    if (to.equals("double precision")) {
      return from.equals("smallint") || from.equals("integer") || from.equals("real");
    }
    if (to.equals("real")) {
      return from.equals("smallint");
    }
    if (from.equals("date")) {
      return to.equals("timestamp") || to.equals("timestamptz");
    }
    return from.equals("timestamp") && to.equals("timestamptz") && precisionKept(fp, tp);
  }

  /** Decimal digits of the largest value of an integer type, null for other types. */
  private static Integer integerDigits(String base) {
    return switch (base) {
      case "smallint" -> 5; // 32767
      case "integer" -> 10; // 2147483647
      case "bigint" -> 19; // 9223372036854775807
      default -> null;
    };
  }

  private static final Set<String> TEMPORAL =
      Set.of("timestamp", "timestamptz", "time", "timetz", "interval");

  /** Fractional-second digits kept: none given means the maximum, 6. */
  private static boolean precisionKept(Integer from, Integer to) {
    return to == null || to >= (from == null ? 6 : from);
  }

  /**
   * The longest text form (characters) a value of this type has when cast to {@code varchar}, for
   * types whose output does not depend on settings (PostgreSQL documentation, chapter 8: numeric,
   * boolean, UUID, network address and character types); null when unbounded or setting-dependent
   * (dates and times follow {@code DateStyle}, {@code numeric} has no bound).
   *
   * @param base the type without its arguments ({@code char}, {@code inet})
   * @param length its length argument, or null
   */
  private static Integer longestText(String base, Integer length) {
    return switch (base) {
      case "boolean" -> 5; // true, false
      case "smallint" -> 6; // -32768
      case "integer" -> 11; // -2147483648
      case "bigint" -> 20; // -9223372036854775808
      case "uuid" -> 36;
      case "inet", "cidr" -> 49; // ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128
      case "macaddr" -> 17;
      case "macaddr8" -> 23;
      case "char" -> length == null ? 1 : length;
      default -> null;
    };
  }

  /**
   * The stored type of a serial pseudo-type ({@code bigserial} → {@code bigint}): a column keeps
   * its sequence default across a type change, so only the storage type decides.
   */
  private static String storage(String t) {
    return switch (t) {
      case "smallserial", "serial2" -> "smallint";
      case "serial" -> "integer";
      case "bigserial" -> "bigint";
      default -> t;
    };
  }

  private static int rank(String base) {
    return switch (base) {
      case "smallint" -> 1;
      case "integer" -> 2;
      case "bigint" -> 3;
      default -> 0;
    };
  }

  private static String base(String t) {
    return t.replaceAll("\\(.*", "").trim();
  }
}
