package io.dbguard.core.migrate;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells a schema conflict ("an object this migration creates already exists", the usual symptom of
 * a history table that does not match the schema: squashed migrations, a schema loaded by another
 * tool) from a data error (a duplicate key, a NOT NULL or foreign-key violation) and from anything
 * else. Only a schema conflict may lead to advice to baseline or "mark as applied": following that
 * advice after a data error would record a failed migration as applied.
 *
 * <p>Classified by, first match wins:
 *
 * <ol>
 *   <li>the SQLSTATE of an {@link SQLException} in the cause chain (PostgreSQL manual, appendix
 *       "PostgreSQL Error Codes"): {@code 42P07} duplicate_table, {@code 42701} duplicate_column,
 *       {@code 42710} duplicate_object, {@code 42P06} duplicate_schema, {@code 42723}
 *       duplicate_function, {@code 42P04} duplicate_database, {@code 42712} duplicate_alias; class
 *       {@code 23} (integrity constraint violation, e.g. {@code 23505} unique_violation) and class
 *       {@code 22} (data exception) are data errors; any other SQLSTATE is neither;
 *   <li>SQLite's result code (sqlite-jdbc {@code SQLiteException#getResultCode}, SQLite "Result and
 *       Error Codes"): {@code SQLITE_CONSTRAINT} and its extended codes are data errors; {@code
 *       SQLITE_ERROR} with SQLite's own "table|index|view|trigger X already exists" or "duplicate
 *       column name" text is a conflict;
 *   <li>the text (application commands, where only output is available): data-error texts first
 *       ({@code duplicate key value violates unique constraint}, {@code UNIQUE constraint failed},
 *       {@code UniqueViolation}, {@code IntegrityError}, {@code violates foreign key|not-null|check
 *       constraint}), then the servers' and frameworks' duplicate-object texts: {@code relation "x"
 *       already exists}, {@code column "c" of relation "x" already exists}, SQLite {@code table x
 *       already exists}, Rails {@code PG::DuplicateTable}, Django {@code ProgrammingError: relation
 *       … already exists}, Flyway {@code Found non-empty schema(s) … without schema history table}.
 *       "already exists" alone is not enough: PostgreSQL's DETAIL of a unique violation says {@code
 *       Key (id)=(1) already exists}, and its NOTICE for {@code CREATE … IF NOT EXISTS} says {@code
 *       relation "x" already exists, skipping}.
 * </ol>
 */
public final class SchemaConflicts {
  /** What a migration failure is. */
  public enum Kind {
    /** An object the migration creates already exists: baselining may be the fix. */
    SCHEMA_CONFLICT,
    /** The data violates a constraint or a type: never baseline, fix the data or the migration. */
    DATA_ERROR,
    /** Anything else. */
    OTHER
  }

  private static final Set<String> CONFLICT_STATES =
      Set.of("42P07", "42701", "42710", "42P06", "42723", "42P04", "42712");

  private static final List<Pattern> DATA_TEXTS =
      List.of(
          Pattern.compile("duplicate key value violates unique constraint"),
          Pattern.compile("unique constraint failed"),
          Pattern.compile("uniqueviolation|integrityerror|recordnotunique|invalidforeignkey"),
          Pattern.compile("violates (foreign key|not-null|check|exclusion) constraint"),
          Pattern.compile("(not null|foreign key|check) constraint failed"),
          Pattern.compile("sqlstate[ :=\\[]*2[23][0-9a-z]{3}"));

  private static final List<Pattern> CONFLICT_TEXTS =
      List.of(
          Pattern.compile(
              "\\b(relation|table|column|type|schema|index|sequence|function|procedure|constraint"
                  + "|view|trigger|extension|domain) (\"[^\"]*\"|[^\\s\"()]+)( of relation"
                  + " (\"[^\"]*\"|[^\\s\"()]+))? already exists"),
          Pattern.compile("duplicate column name"),
          Pattern.compile("duplicatetable|duplicatecolumn|duplicateobject|duplicateschema"),
          Pattern.compile("without (a )?schema history table"),
          Pattern.compile("but no schema history table"));

  private SchemaConflicts() {}

  /**
   * True when the text alone shows a schema conflict (and no data error), see {@link #classify}.
   */
  public static boolean matches(String text) {
    return classify(null, text) == Kind.SCHEMA_CONFLICT;
  }

  /**
   * Classifies a migration failure.
   *
   * @param error the exception, or null; its cause chain is searched for an {@link SQLException}
   * @param text the error text or the command's output, or null
   * @return the kind; never null
   */
  public static Kind classify(Throwable error, String text) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        Kind k = bySqlException(sql);
        if (k != null) {
          return k;
        }
      }
    }
    if (text == null) {
      return Kind.OTHER;
    }
    // PostgreSQL's NOTICE for CREATE … IF NOT EXISTS ("relation \"x\" already exists, skipping")
    // reports an object that was rightly left alone, not the failure
    String lower = text.toLowerCase(Locale.ROOT).replaceAll("already exists, skipping", "");
    if (DATA_TEXTS.stream().anyMatch(p -> p.matcher(lower).find())) {
      return Kind.DATA_ERROR;
    }
    return CONFLICT_TEXTS.stream().anyMatch(p -> p.matcher(lower).find())
        ? Kind.SCHEMA_CONFLICT
        : Kind.OTHER;
  }

  private static Kind bySqlException(SQLException e) {
    if (e instanceof org.sqlite.SQLiteException lite) {
      int primary = lite.getResultCode().code & 0xff;
      if (primary == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT.code) {
        return Kind.DATA_ERROR;
      }
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      return CONFLICT_TEXTS.stream().anyMatch(p -> p.matcher(m).find())
          ? Kind.SCHEMA_CONFLICT
          : Kind.OTHER;
    }
    String state = e.getSQLState();
    if (state == null || state.length() != 5) {
      return null;
    }
    if (CONFLICT_STATES.contains(state)) {
      return Kind.SCHEMA_CONFLICT;
    }
    if (state.startsWith("23") || state.startsWith("22")) {
      return Kind.DATA_ERROR;
    }
    return Kind.OTHER;
  }

  /** The SQLSTATE (or SQLite result code name) found in the cause chain, or null. */
  public static String errorCode(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.sqlite.SQLiteException lite) {
        return lite.getResultCode().name();
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return "SQLSTATE " + sql.getSQLState();
      }
    }
    return null;
  }

  /**
   * The advice after a data error: never baseline.
   *
   * @param code the SQLSTATE or SQLite code, or null
   */
  public static String dataErrorAdvice(String code) {
    return "the migration failed on the data"
        + (code == null ? "" : " (" + code + ")")
        + ", not because its objects already exist: do NOT mark it as applied or baseline past it;"
        + " fix the migration or the conflicting rows, then run again";
  }

  /**
   * The baseline advice for an application command: the command that records existing migrations as
   * applied without running them. Sources: Django {@code migrate --fake-initial}, Prisma {@code
   * migrate resolve --applied}, Flyway {@code baseline}, Rails (no built-in command: insert the
   * versions into {@code schema_migrations}).
   */
  public static String baselineAdvice(String command) {
    String c = command == null ? "" : command;
    if (c.contains("manage.py")) {
      return "the schema already has these tables: record the initial migrations as applied with"
          + " `python manage.py migrate --fake-initial` (after checking the tables match)";
    }
    if (c.contains("prisma")) {
      return "the schema already has these tables: mark the migration as applied with"
          + " `npx prisma migrate resolve --applied <migration_name>`";
    }
    if (c.contains("flyway")) {
      return "the schema already has these tables: baseline it with"
          + " `flyway baseline -baselineVersion=<last version already in the schema>`";
    }
    if (c.contains("rake") || c.contains("rails")) {
      return "the schema already has these tables: record the migration as applied with"
          + " `bin/rails runner \"ActiveRecord::SchemaMigration.create!(version: '<version>')\"`"
          + " (Rails < 7.1) or insert the version into schema_migrations";
    }
    return "the schema already has these tables: mark the already-present migrations as applied"
        + " in the tool's history table (its baseline command), then run again";
  }
}
