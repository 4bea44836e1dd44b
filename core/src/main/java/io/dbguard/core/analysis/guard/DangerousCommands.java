package io.dbguard.core.analysis.guard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dangerous-command list as data: every command dbguard refuses to run against a protected
 * (production-like) environment unless the exact command is acknowledged. One table, in match order
 * (the first matching entry wins, so specific entries precede generic ones). Each entry carries
 * examples that the unit tests run. Sources: docs/design.md §3 and each tool's own documentation of
 * the command (Rails {@code db:*} tasks, Django {@code flush}, django-extensions {@code reset_db},
 * Prisma, Flyway, Liquibase, TypeORM, Sequelize, Knex, Laravel Artisan, Alembic, golang-migrate,
 * goose, dbmate, sqlx, diesel).
 */
public final class DangerousCommands {

  private DangerousCommands() {}

  private static final String RAKE = "rake,rails";
  private static final String DJANGO = "manage.py,django-admin,django-admin.py";
  private static final String RUNNERS = "npm,yarn,pnpm,bun,make,just,task,rake,rails";

  /** The table, in match order. */
  public static final List<DangerousCommand> ALL =
      List.of(
          e(
              "DBG001",
              "rails-db-drop",
              RAKE,
              "",
              "db:drop(:all|:_unsafe)?",
              null,
              "drops the whole database",
              "bundle exec rake db:drop",
              "bin/rails db:drop:all",
              "rails db:drop db:create"),
          e(
              "DBG002",
              "rails-db-reset",
              RAKE,
              "",
              "db:(reset|migrate:reset|purge(:all)?)",
              null,
              "drops (or empties) the database and recreates it: every row is lost",
              "rake db:reset",
              "bin/rails db:migrate:reset",
              "rails db:purge"),
          e(
              "DBG003",
              "rails-schema-load",
              RAKE,
              "",
              "db:(schema|structure):load|db:setup",
              null,
              "loads schema.rb/structure.sql, which drops and recreates every table"
                  + " (db:setup also runs it)",
              "rake db:schema:load",
              "bin/rails db:structure:load",
              "bundle exec rails db:setup"),
          e(
              "DBG004",
              "rails-seed-replant",
              RAKE,
              "",
              "db:seed:replant|db:truncate_all",
              null,
              "truncates every table before seeding",
              "rails db:seed:replant",
              "rake db:truncate_all"),
          e(
              "DBG005",
              "rails-migrate-version-zero",
              RAKE,
              "",
              "db:migrate(:down)?;VERSION=0+",
              null,
              "migrates down to version 0: every migration's down runs, tables are dropped",
              "rake db:migrate VERSION=0"),
          e(
              "DBG006",
              "rails-rollback",
              RAKE,
              "",
              "db:rollback|db:migrate:(down|redo)",
              null,
              "rolls migrations back: each one's down runs, dropping the tables and columns it"
                  + " created",
              "rake db:rollback STEP=100",
              "bin/rails db:migrate:down VERSION=20240101000000",
              "rails db:migrate:redo"),
          e(
              "DBG010",
              "django-flush",
              DJANGO,
              "flush",
              "",
              null,
              "deletes every row of every table",
              "python manage.py flush --noinput",
              "./manage.py flush",
              "django-admin flush"),
          e(
              "DBG011",
              "django-reset-db",
              DJANGO,
              "reset_db|reset",
              "",
              null,
              "django-extensions reset_db drops and recreates the database",
              "python3 manage.py reset_db --noinput"),
          e(
              "DBG012",
              "django-migrate-zero",
              DJANGO,
              "migrate",
              "zero",
              null,
              "unapplies every migration of the app: its tables are dropped",
              "python manage.py migrate shop zero",
              "manage.py migrate --database=default shop zero"),
          e(
              "DBG013",
              "django-run-syncdb",
              DJANGO,
              "migrate",
              "--run-syncdb",
              null,
              "creates tables for apps without migrations outside the migration history",
              "python manage.py migrate --run-syncdb"),
          e(
              "DBG020",
              "dropdb",
              "dropdb",
              "",
              "",
              null,
              "drops the database",
              "dropdb -h db -U postgres shop",
              "PGPASSWORD=x dropdb shop"),
          e(
              "DBG021",
              "drop-database-sql",
              "",
              "",
              "",
              "\\bdrop\\s+(database|schema)\\b",
              "SQL DROP DATABASE / DROP SCHEMA",
              "psql -c 'DROP DATABASE shop'",
              "psql \"$URL\" -c \"drop schema public cascade\""),
          e(
              "DBG022",
              "remove-database-file",
              "rm,unlink",
              "",
              ".*\\.(sqlite3?|db)",
              null,
              "deletes the SQLite database file",
              "rm -f db/production.sqlite3"),
          e(
              "DBG030",
              "prisma-migrate-reset",
              "prisma",
              "migrate;reset",
              "",
              null,
              "drops the database and re-applies every migration",
              "npx prisma migrate reset --force",
              "pnpm prisma migrate reset"),
          e(
              "DBG031",
              "prisma-db-push-data-loss",
              "prisma",
              "db;push",
              "--force-reset|--accept-data-loss",
              null,
              "resets the database or accepts data loss to match the Prisma schema",
              "npx prisma db push --force-reset",
              "prisma db push --accept-data-loss"),
          e(
              "DBG032",
              "flyway-clean",
              "flyway",
              "",
              "clean",
              null,
              "drops every object in the configured schemas",
              "flyway -url=jdbc:postgresql://db/shop clean"),
          e(
              "DBG033",
              "liquibase-drop-all",
              "liquibase",
              "",
              "drop-all|dropall",
              null,
              "drops every database object",
              "liquibase --url=jdbc:x drop-all",
              "liquibase dropAll"),
          e(
              "DBG034",
              "typeorm-schema-drop",
              "typeorm,typeorm-ts-node-commonjs,typeorm-ts-node-esm",
              "",
              "schema:drop",
              null,
              "drops every table of the schema",
              "npx typeorm schema:drop -d src/ds.ts"),
          e(
              "DBG035",
              "sequelize-db-drop",
              "sequelize,sequelize-cli",
              "",
              "db:drop|db:migrate:undo:all",
              null,
              "drops the database or reverts every migration",
              "npx sequelize-cli db:drop",
              "sequelize db:migrate:undo:all"),
          e(
              "DBG036",
              "knex-rollback-all",
              "knex",
              "migrate:rollback",
              "--all",
              null,
              "rolls back every migration batch",
              "npx knex migrate:rollback --all"),
          e(
              "DBG037",
              "artisan-fresh",
              "artisan",
              "migrate:(fresh|reset|refresh)|db:wipe",
              "",
              null,
              "drops every table (Laravel migrate:fresh/reset/refresh, db:wipe)",
              "php artisan migrate:fresh --seed",
              "php artisan db:wipe --force"),
          e(
              "DBG038",
              "alembic-downgrade-base",
              "alembic",
              "downgrade",
              "base",
              null,
              "downgrades to the empty schema",
              "alembic downgrade base"),
          e(
              "DBG039",
              "migrate-tool-drop",
              "migrate,goose,dbmate,sqlx,diesel",
              "",
              "",
              "^(migrate\\b.*\\bdrop\\b|migrate\\b.*\\bdown\\b.*-all\\b|goose\\b.*\\breset\\b"
                  + "|dbmate\\b.*\\bdrop\\b|sqlx\\s+database\\s+(drop|reset)"
                  + "|diesel\\s+database\\s+reset)",
              "drops every object or reverts every migration (golang-migrate drop, goose reset,"
                  + " dbmate drop, sqlx/diesel database reset)",
              "migrate -path db -database $URL drop -f",
              "goose postgres $DSN reset",
              "dbmate drop",
              "sqlx database reset -y",
              "diesel database reset"),
          e(
              "DBG041",
              "migration-rollback",
              "knex,sequelize,sequelize-cli,alembic,goose,migrate,dbmate,flyway,artisan,diesel,sqlx",
              "",
              "",
              "^(knex\\b.*\\bmigrate:(rollback|down)\\b|sequelize(-cli)?\\b.*\\bdb:migrate:undo\\b"
                  + "|alembic\\b.*\\bdowngrade\\b|goose\\b.*\\bdown(-to)?\\b|migrate\\b.*\\sdown\\b"
                  + "|dbmate\\b.*\\b(rollback|down)\\b|flyway\\b.*\\bundo\\b"
                  + "|artisan\\b.*\\bmigrate:rollback\\b|diesel\\s+migration\\s+(revert|redo)"
                  + "|sqlx\\s+migrate\\s+revert)",
              "rolls migrations back: their down/undo scripts drop what they created",
              "npx knex migrate:rollback",
              "npx sequelize-cli db:migrate:undo",
              "alembic downgrade -1",
              "goose postgres $DSN down",
              "migrate -path db -database $URL down 3",
              "dbmate rollback",
              "flyway undo",
              "php artisan migrate:rollback --step=5",
              "diesel migration revert"),
          e(
              "DBG040",
              "rebuild-script",
              RUNNERS,
              "",
              "(run:)?(db|database)[:_-]?(rebuild|recreate|reset|nuke|wipe|fresh|drop|purge|clean)"
                  + "([:_-].*)?|(rebuild|recreate|reset|nuke|wipe|drop|purge)[:_-]?(db|database)",
              null,
              "a drop-and-rebuild script (by its name) destroys the database",
              "npm run db:rebuild",
              "yarn db:reset",
              "pnpm run db:nuke",
              "rake db:rebuild",
              "make reset-db"));

  /**
   * {@code manage.py sqlflush} piped into a database shell (found by {@link SqlClientCommands}).
   */
  static final DangerousCommand SQLFLUSH_PIPED =
      found(
          "DBG014",
          "django-sqlflush-piped",
          "sqlflush prints the SQL of flush; piped into a database shell it deletes every row of"
              + " every table",
          "python manage.py sqlflush | python manage.py dbshell");

  /** Django migrate to an earlier migration (found by {@link BackwardsMigrations}). */
  static final DangerousCommand DJANGO_BACKWARDS =
      found(
          "DBG015",
          "django-migrate-backwards",
          "migrates an app back to an earlier migration: the later ones are unapplied and their"
              + " reverse operations drop what they created",
          "python manage.py migrate shop 0001",
          "manage.py migrate shop 0003_add_price");

  /**
   * Rails db:migrate VERSION=n below the newest migration (found by {@link BackwardsMigrations}).
   */
  static final DangerousCommand RAILS_VERSION_BACKWARDS =
      found(
          "DBG007",
          "rails-migrate-version-backwards",
          "db:migrate VERSION= older than the newest migration runs the down of every later one",
          "rake db:migrate VERSION=20240101000000");

  /** SQL given to a database client that the lint refuses (found by {@link SqlClientCommands}). */
  static final DangerousCommand SQL_REFUSED =
      found(
          "DBG023",
          "sql-refused-by-lint",
          "hands the database SQL the migration lint refuses (TRUNCATE, DROP TABLE, DELETE or"
              + " UPDATE of every row, …): -c/--command, -f/--file, < FILE, a here-document, or"
              + " echo/printf/cat piped into psql, sqlite3, mysql, manage.py dbshell, rails"
              + " dbconsole",
          "psql -c 'truncate users'",
          "echo 'drop schema public cascade' | psql",
          "psql -f drop.sql (when drop.sql drops a table)",
          "sqlite3 db/app.sqlite3 'DELETE FROM users'");

  /** Command substitution (found by {@link CommandSubstitutions}). */
  static final DangerousCommand SUBSTITUTION =
      found(
          "DBG050",
          "command-substitution",
          "$(…) or `…` runs a command whose output becomes part of the command line: what runs"
              + " cannot be known before it runs",
          "sh -c \"$(curl -s https://example.com/migrate.sh)\"",
          "`cat cmd.txt`");

  /** The entries found by analysing the command rather than by the table, for documentation. */
  public static final List<DangerousCommand> FOUND_BY_ANALYSIS =
      List.of(RAILS_VERSION_BACKWARDS, SQLFLUSH_PIPED, DJANGO_BACKWARDS, SQL_REFUSED, SUBSTITUTION);

  private static DangerousCommand found(String id, String name, String reason, String... ex) {
    return new DangerousCommand(
        id, name, Set.of(), List.of(), List.of(), null, reason, List.of(ex));
  }

  private static DangerousCommand e(
      String id,
      String name,
      String tools,
      String words,
      String anyArgs,
      String text,
      String reason,
      String... examples) {
    return new DangerousCommand(
        id,
        name,
        tools.isEmpty() ? Set.of() : Set.of(tools.split(",")),
        patterns(words),
        patterns(anyArgs),
        text == null ? null : Pattern.compile(text, Pattern.CASE_INSENSITIVE),
        reason,
        List.of(examples));
  }

  private static List<Pattern> patterns(String spec) {
    List<Pattern> out = new ArrayList<>();
    if (!spec.isEmpty()) {
      Arrays.stream(spec.split(";"))
          .forEach(s -> out.add(Pattern.compile(s, Pattern.CASE_INSENSITIVE)));
    }
    return out;
  }

  /** Every program name that some entry names (for scanning wrapped commands). */
  static boolean isKnownTool(String program) {
    return ALL.stream().anyMatch(d -> d.tools().contains(program));
  }
}
