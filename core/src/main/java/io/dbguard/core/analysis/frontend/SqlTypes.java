package io.dbguard.core.analysis.frontend;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Type-change classification for PostgreSQL (knowledge from the PostgreSQL documentation of ALTER
 * TABLE: a change that is binary coercible, or that only relaxes a length/precision limit, needs no
 * rewrite; other changes rewrite the table, and conversions that need {@code USING} or narrow a
 * type can fail or lose data).
 */
public final class SqlTypes {

  private SqlTypes() {}

  /** How a column type change behaves. */
  public enum Change {
    /** Binary coercible or a relaxed limit: catalog-only. */
    SAFE,
    /** Keeps every value but rewrites the table. */
    REWRITE,
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
    String base = t.replaceAll("\\(.*", "").trim();
    String args = t.contains("(") ? t.substring(t.indexOf('(')) : "";
    String mapped = ALIASES.getOrDefault(base, base);
    return mapped + args.replace(" ", "");
  }

  private static final Pattern ARGS =
      Pattern.compile("^([a-z ]+)(?:\\((\\d+)(?:,(\\d+))?\\))?(\\[\\])?$");

  /**
   * Classifies {@code from} → {@code to}. When {@code from} is unknown ({@code null}) the target
   * decides: types that can hold any value of the usual source types ({@code text}, unbounded
   * {@code varchar}, {@code bigint}, unbounded {@code numeric}, {@code double precision}, {@code
   * timestamptz}, {@code jsonb}) → REWRITE (warn); everything else, including a bounded {@code
   * varchar(n)} that may be narrower than the current type → INCOMPATIBLE. An explicit {@code
   * USING} is always INCOMPATIBLE (a conversion, not a widening). Serial pseudo-types compare as
   * the integer type they store ({@code serial} → {@code bigint} is REWRITE). A known source type
   * whose every value's text form fits a bounded {@code varchar(n)} (an {@code integer} into {@code
   * varchar(11)}, an {@code inet} into {@code varchar(49)}) is REWRITE.
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
    if ((bf.equals("varchar") || bf.equals("text")) && bt.equals("text")) {
      return Change.SAFE;
    }
    if (bf.equals("varchar") && bt.equals("varchar")) {
      return lt == null || (lf != null && lt >= lf) ? Change.SAFE : Change.INCOMPATIBLE;
    }
    if (bf.equals("text") && bt.equals("varchar")) {
      return lt == null ? Change.SAFE : Change.INCOMPATIBLE;
    }
    if (bf.equals("numeric") && bt.equals("numeric")) {
      Integer sf = mf.group(3) == null ? 0 : Integer.valueOf(mf.group(3));
      Integer st = mt.group(3) == null ? 0 : Integer.valueOf(mt.group(3));
      if (lt == null) {
        return Change.SAFE;
      }
      return lf != null && lt >= lf && st.equals(sf) ? Change.SAFE : Change.INCOMPATIBLE;
    }
    if (bf.equals("cidr") && bt.equals("inet")) {
      return Change.SAFE;
    }
    int rf = rank(bf);
    int rt = rank(bt);
    if (rf > 0 && rt > 0) {
      return rt > rf ? Change.REWRITE : Change.INCOMPATIBLE;
    }
    if (bf.equals("timestamp") && bt.equals("timestamptz")) {
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
      case "numeric" -> 4;
      default -> 0;
    };
  }

  private static String base(String t) {
    return t.replaceAll("\\(.*", "").trim();
  }
}
