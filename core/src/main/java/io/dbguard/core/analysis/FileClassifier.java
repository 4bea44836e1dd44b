package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.SqlDelightText;
import io.dbguard.core.analysis.model.FileKind;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides what a file is from its path and content. Rules: a down or undo file ({@link #isDown}) →
 * skipped; {@code V<version>__*.sql}/{@code R__*.sql} → Flyway; {@code <n>_*.up.sql} →
 * golang-migrate; {@code up.sql} (one directory per migration) → Diesel; {@code <version>.sqm} →
 * SQLDelight (SQLite unless the path names PostgreSQL); a {@code .sql} file with a goose, dbmate or
 * sql-migrate up marker → that tool ({@link UpDownFile}); other {@code .sql} → plain (seed when the
 * path mentions {@code seed}); {@code .rb} under {@code db/migrate} or declaring {@code
 * ActiveRecord::Migration} → Rails migration, else Ruby seed; {@code .rake} (rake tasks, whose
 * bodies Rails runs like a seed) → Ruby seed; {@code .py} under {@code migrations/} or declaring
 * {@code migrations.Migration} → Django migration, else Python seed; {@code .json/.yaml/.yml} →
 * Django fixture (seed).
 */
final class FileClassifier {

  private static final Pattern FLYWAY = Pattern.compile("^(V[0-9][0-9._]*|R)__.+\\.sql$");
  private static final Pattern GOLANG_MIGRATE = Pattern.compile("^[0-9]+_.+\\.up\\.sql$");

  /**
   * Rollback files, which run only when a migration is reverted: golang-migrate and sqlx ({@code
   * 2_x.down.sql}), Diesel ({@code down.sql} beside {@code up.sql}), {@code x_down.sql}, Flyway
   * undo ({@code U2__x.sql}).
   */
  private static final Pattern DOWN =
      Pattern.compile("(?i)(?:.*[._-])?down\\.sql|u\\d[^_]*__.*\\.sql");

  record Classification(FileKind kind, String runner, String dialect) {}

  private FileClassifier() {}

  /** Whether a file found while walking a directory is worth analysing. */
  static boolean interesting(Path p) {
    String name = p.getFileName().toString();
    String path = p.toString().replace('\\', '/');
    if (name.equals("schema.rb") || name.equals("structure.sql") || name.equals("__init__.py")) {
      return false;
    }
    if (name.endsWith(".sql") || SqlDelightText.isMigration(name)) {
      return true;
    }
    if (name.endsWith(".rb") || name.endsWith(".py") || name.endsWith(".rake")) {
      return true; // read: a migration is recognised by its content too (see Analyzer#run)
    }
    if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
      return path.contains("fixtures/") || path.contains("seed");
    }
    return false;
  }

  static Classification classify(Path p, String content, String dialectOption, boolean seed) {
    String name = p.getFileName().toString();
    String path = p.toString().replace('\\', '/').toLowerCase(Locale.ROOT);
    String dialect = dialectOption != null ? dialectOption : sqlDialect(path, content);
    if (SqlDelightText.isMigration(name)) {
      // SQLDelight's default dialect is SQLite; a PostgreSQL project says so in its path
      String d = dialectOption != null || path.contains("postgres") ? dialect : "sqlite";
      return new Classification(FileKind.SQL_MIGRATION, "sqldelight", d);
    }
    if (name.endsWith(".sql")) {
      if (isDown(name)) {
        return new Classification(FileKind.SKIPPED, "rollback", dialect);
      }
      if (seed || path.contains("seed")) {
        return new Classification(FileKind.SEED_SQL, "seed", dialect);
      }
      if (FLYWAY.matcher(name).matches()) {
        return new Classification(FileKind.SQL_MIGRATION, "flyway", dialect);
      }
      if (GOLANG_MIGRATE.matcher(name).matches()) {
        return new Classification(FileKind.SQL_MIGRATION, "golang-migrate", dialect);
      }
      if (name.equals("up.sql")) {
        return new Classification(FileKind.SQL_MIGRATION, "diesel", dialect);
      }
      String runner = UpDownFile.runner(content).orElse("plain");
      return new Classification(FileKind.SQL_MIGRATION, runner, dialect);
    }
    if (name.endsWith(".rb")) {
      boolean migration =
          path.contains("db/migrate/") || content.contains("ActiveRecord::Migration");
      return migration && !seed
          ? new Classification(FileKind.RAILS_MIGRATION, "rails", "postgresql")
          : new Classification(FileKind.SEED_RUBY, "seed", "postgresql");
    }
    if (name.endsWith(".rake")) {
      // rake tasks (lib/tasks/seed_roles.rake): Ruby that Rails runs like a seed
      return new Classification(FileKind.SEED_RUBY, "seed", "postgresql");
    }
    if (name.endsWith(".py")) {
      boolean migration =
          content.contains("migrations.Migration")
              || (("/" + path).contains("/migrations/")
                  && DJANGO_MIGRATION_CLASS.matcher(content).find());
      return migration && !seed
          ? new Classification(FileKind.DJANGO_MIGRATION, "django", "postgresql")
          : new Classification(FileKind.SEED_PYTHON, "seed", "postgresql");
    }
    if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
      return new Classification(FileKind.SEED_FIXTURE, "seed", "postgresql");
    }
    return null;
  }

  /**
   * Whether a SQL file is a down or undo migration, by its name alone (see {@link #DOWN}).
   *
   * @param name the file name without directories
   */
  static boolean isDown(String name) {
    return DOWN.matcher(name).matches();
  }

  /**
   * Whether a Ruby/Python file (or rake file) found by walking a directory is to be analysed: under
   * {@code db/migrate/} or {@code migrations/}, in a path naming {@code seed} ({@code
   * lib/tasks/seed_roles.rake}), or declaring a migration class ({@code ActiveRecord::Migration},
   * {@code migrations.Migration}). Other code (models, settings, tests, other rake tasks) is listed
   * as skipped, not analysed as a seed.
   */
  static boolean analysedWhenWalked(Path p, String content) {
    String path = p.toString().replace('\\', '/').toLowerCase(Locale.ROOT);
    return path.contains("db/migrate/")
        || path.contains("/migrations/")
        || path.contains("seed")
        || content.contains("ActiveRecord::Migration")
        || content.contains("migrations.Migration");
  }

  /**
   * A Django migration whose class extends a project's own base ({@code class
   * Migration(AttributeMigration):}, itself a {@code migrations.Migration}) and lists its {@code
   * operations}: Django's loader takes the class named {@code Migration} of each module in an app's
   * {@code migrations} package ("Migration files", Django documentation), whatever it extends.
   */
  private static final Pattern DJANGO_MIGRATION_CLASS =
      Pattern.compile("(?m)^class\\s+Migration\\s*\\([\\w.]+\\)\\s*:[\\s\\S]*^\\s+operations\\s*=");

  /** SQLite-only syntax: a PRAGMA, AUTOINCREMENT, INSERT OR IGNORE / REPLACE / … . */
  private static final Pattern SQLITE_SYNTAX =
      Pattern.compile(
          "(?i)\\bPRAGMA\\s+\\w|\\bAUTOINCREMENT\\b"
              + "|\\bINSERT\\s+OR\\s+(?:IGNORE|REPLACE|ROLLBACK|ABORT|FAIL)\\b");

  /** Line ({@code --}) and block comments, removed before the dialect is sniffed. */
  private static final Pattern COMMENTS = Pattern.compile("--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

  /**
   * The dialect of a SQL file: SQLite when the path names it or the statements (not the comments)
   * use SQLite-only syntax, else PostgreSQL. A comment such as {@code -- applies to INSERT or
   * UPDATE} says nothing of the dialect.
   */
  private static String sqlDialect(String path, String content) {
    if (path.contains("sqlite")
        || SQLITE_SYNTAX.matcher(COMMENTS.matcher(content).replaceAll(" ")).find()) {
      return "sqlite";
    }
    return "postgresql";
  }
}
