package io.dbguard.core.analysis.rules;

/**
 * The Markdown table of type changes that keep every value of a known source type, part of the
 * DBG108 explanation in {@code docs/rules.md}. It documents what {@code SqlTypes.classify} decides;
 * the ranges are those of the PostgreSQL manual, sections 8.1 "Numeric Types" and 8.5 "Date/Time
 * Types", and the casts those of chapter 10 "Type Conversion" and {@code CREATE CAST}.
 */
final class LosslessCasts {

  private LosslessCasts() {}

  /** Markdown: a lead sentence, the table, and the casts that are not lossless. */
  static final String TABLE =
      "Type changes that keep every value of a known previous type rewrite the table and"
          + " warn (DBG209) instead; ranges and casts from the PostgreSQL manual, sections 8.1"
          + " \"Numeric Types\" and 8.5 \"Date/Time Types\", chapter 10 \"Type Conversion\" and"
          + " `CREATE CAST`:\n\n"
          + "| from | to | why every value is kept |\n"
          + "| --- | --- | --- |\n"
          + "| any type but an array | `text`, `varchar` without a length | every type has a"
          + " text output"
          + " (the I/O conversion cast); a bounded `varchar(n)` only when every value's text"
          + " form fits (`integer` 11, `bigint` 20, `uuid` 36, `inet` 49 characters) |\n"
          + "| `text`, `varchar` | `citext` | the citext extension's casts from them are binary"
          + " coercible (Appendix F \"citext\"): no table rewrite, but the column's indexes are"
          + " rebuilt under the lock and a unique one fails on values that differ only in case |\n"
          + "| `json` | `jsonb`, and back | assignment casts (I/O conversion) that keep every"
          + " value; `jsonb` drops insignificant whitespace, orders keys and keeps the last of"
          + " duplicate keys |\n"
          + "| `smallint` | `integer`, `bigint` | the ranges nest |\n"
          + "| `integer` | `bigint` | the ranges nest |\n"
          + "| `smallint`, `integer`, `bigint` | `numeric`; `numeric(p,s)` with p−s at least 5,"
          + " 10, 19 | `numeric(p,s)` holds magnitudes below 10^(p−s): `integer` (up to"
          + " 2147483647, 10 digits) fits `numeric(12,2)`; `numeric(4,1)` rejects 1000 |\n"
          + "| `numeric(p,s)` | `numeric(p2,s2)` with s2 ≥ s and p2−s2 ≥ p−s | no fewer digits on"
          + " either side of the point |\n"
          + "| `smallint` | `real`, `double precision` | `real` holds integers exactly up to"
          + " 2^24 |\n"
          + "| `integer`, `real` | `double precision` | `double precision` holds integers exactly"
          + " up to 2^53 and every `real` value |\n"
          + "| `date` | `timestamp`, `timestamptz` (any precision) | the date at midnight"
          + " (`timestamptz`: in the session's `TimeZone`; cast back to `date` there it is the"
          + " same date); only a date after 294276 AD, where the timestamp range ends (`date`"
          + " reaches 5874897 AD), fails |\n"
          + "| `timestamp` | `timestamptz` with no lower precision | the value is read in the"
          + " session's `TimeZone` (a wall-clock time in that zone's daylight-saving gap, which"
          + " no clock showed, moves by the gap) |\n\n"
          + "The same holds when a `USING` expression (Rails: the `using:` option of"
          + " `change_column`) only casts the column to the new type"
          + " (`USING id::text`, `USING CAST(n AS bigint)`; for a `text` or `varchar` target also"
          + " `COALESCE(col::text, 'literal')`, which fills NULLs with the literal); with the"
          + " previous type unknown, only for a `text` or unbounded `varchar` target; a cast"
          + " of a `text` or `varchar` column, or one of unknown type, to a `json` or `jsonb`"
          + " target (`USING body::jsonb`) keeps every value that is valid JSON and fails the"
          + " migration on any other (DBG209, saying so). Not"
          + " lossless (DBG108): `bigint` or `numeric` to `double precision` (9007199254740993"
          + " becomes 9007199254740992), `integer` to `real`, `double precision` to `real`,"
          + " `timestamptz` to `timestamp` or `date`, `timestamp` to `date`, a lower"
          + " fractional-second precision (rounds), `numeric(p,s)` with fewer digits on either"
          + " side, a change between an array and a non-array type (`text[]` to `text`, Rails"
          + " `change_column` dropping or adding `array: true`: even where the cast keeps the"
          + " text, `{a,b}`, the running version reads a string instead of a list; an array to"
          + " an array follows the rules for its element type). Unchanged and exempt (no"
          + " rewrite): raising"
          + " or removing the fractional-second precision of `timestamp`, `timestamptz`, `time`,"
          + " `timetz` or `interval` (checked on PostgreSQL 15: the table's file is kept).";
}
