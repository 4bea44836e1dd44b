package io.dbguard.core.migrate;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognizes "the object this migration creates already exists" errors, the usual symptom of a
 * database whose history table does not match its schema (squashed migrations, a schema loaded by
 * another tool). Messages recognized: PostgreSQL SQLSTATE 42P07/42701/42710 texts ({@code relation
 * "x" already exists}, {@code column "c" of relation "x" already exists}), SQLite ({@code table x
 * already exists}, {@code duplicate column name}), Rails ({@code PG::DuplicateTable}), Django
 * ({@code django.db.utils.ProgrammingError: relation … already exists}), Flyway ({@code Found
 * non-empty schema(s) … without schema history table}).
 */
public final class SchemaConflicts {
  private static final List<Pattern> PATTERNS =
      List.of(
          Pattern.compile("already exists"),
          Pattern.compile("duplicate column name"),
          Pattern.compile("duplicatetable|duplicatecolumn|duplicateobject"),
          Pattern.compile("without (a )?schema history table"),
          Pattern.compile("but no schema history table"));

  private SchemaConflicts() {}

  /** True when the text looks like a schema conflict. */
  public static boolean matches(String text) {
    if (text == null) {
      return false;
    }
    String t = text.toLowerCase(Locale.ROOT);
    return PATTERNS.stream().anyMatch(p -> p.matcher(t).find());
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
