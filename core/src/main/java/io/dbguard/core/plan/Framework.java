package io.dbguard.core.plan;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migration frameworks whose own read-only listing {@code dbguard plan} runs, how each is
 * recognised in a migration command, and the listing command derived from it:
 *
 * <ul>
 *   <li>Django: {@code … manage.py migrate …} or {@code django-admin migrate …} → {@code …
 *       manage.py showmigrations --plan} (keeping {@code --settings}, {@code --database}, {@code
 *       --pythonpath}). {@code showmigrations} only reads the {@code django_migrations} table;
 *       {@code migrate --plan} would first run the backend's {@code prepare_database()} hook
 *       (Django's {@code migrate.py}), which may write (PostGIS creates its extension there).
 *   <li>Rails: {@code … rake db:migrate …} / {@code … rails db:migrate …} → {@code …
 *       db:migrate:status}.
 *   <li>Prisma: {@code … prisma migrate deploy …} → {@code … prisma migrate status …}.
 *   <li>Alembic: {@code … alembic [options] upgrade …} → {@code … alembic [options] current && …
 *       alembic [options] history}.
 *   <li>Knex: {@code … knex [options] migrate:latest [options]} → {@code … knex [options]
 *       migrate:list [options]} (knex's CLI, https://knexjs.org/guide/migrations.html).
 *   <li>Sequelize: {@code … sequelize[-cli] db:migrate [options]} → {@code … sequelize[-cli]
 *       db:migrate:status [options]} (sequelize-cli's commands).
 * </ul>
 *
 * golang-migrate has no listing of pending migrations (only {@code version}): give {@code
 * --plan-command} with one of the listings above, or the pending migrations are unknown.
 *
 * <p>Only the shell segment that invokes the framework is rewritten: what comes before it (e.g.
 * {@code cd app &&}) is kept, what comes after it (e.g. {@code && ./seed.sh}) is dropped, so the
 * listing runs where and as the migration would, and runs nothing else after it.
 */
public enum Framework {
  DJANGO("django"),
  RAILS("rails"),
  PRISMA("prisma"),
  ALEMBIC("alembic"),
  KNEX("knex"),
  SEQUELIZE("sequelize");

  private static final Pattern SEGMENT_SEPARATOR = Pattern.compile("&&|\\|\\||;|\\|");
  private static final Pattern DJANGO_MIGRATE =
      Pattern.compile("^(.*?(?:\\bmanage\\.py|\\bdjango-admin(?:\\.py)?))\\s+migrate\\b(.*)$");
  private static final Pattern DJANGO_KEPT_OPTION =
      Pattern.compile("(--(?:settings|database|pythonpath))(?:=|\\s+)(\\S+)");
  private static final Pattern RAILS_MIGRATE =
      Pattern.compile("^(.*?\\b(?:rake|rails)\\b.*?)\\bdb:migrate(?![:\\w])(.*)$");
  private static final Pattern PRISMA_DEPLOY =
      Pattern.compile("^(.*?\\bprisma\\s+)migrate\\s+deploy\\b(.*)$");
  private static final Pattern KNEX_LATEST =
      Pattern.compile("^(.*?\\bknex\\b.*?)\\bmigrate:latest\\b(.*)$");
  private static final Pattern SEQUELIZE_MIGRATE =
      Pattern.compile("^(.*?\\bsequelize(?:-cli)?\\b.*?)\\bdb:migrate(?![:\\w])(.*)$");
  private static final Pattern ALEMBIC_UPGRADE =
      Pattern.compile("^(.*?\\balembic\\b.*?)\\s+upgrade\\b.*$");

  private final String label;

  Framework(String label) {
    this.label = label;
  }

  /**
   * Whether dbguard's analysis reads this framework's migration files (Python and JavaScript
   * revisions of Alembic, Knex and Sequelize are not read: they are reported as not analysed).
   */
  public boolean analysed() {
    return this == DJANGO || this == RAILS || this == PRISMA;
  }

  /** The lower-case name used in output ({@code django}, {@code rails} …). */
  public String label() {
    return label;
  }

  /**
   * The framework and its read-only listing command for a migration command.
   *
   * @param migrateCommand a shell command line, e.g. {@code cd app && python manage.py migrate}
   * @return empty when no segment of the command invokes a recognised framework
   */
  public static Optional<Listing> recognise(String migrateCommand) {
    if (migrateCommand == null) {
      return Optional.empty();
    }
    Matcher sep = SEGMENT_SEPARATOR.matcher(migrateCommand);
    int start = 0;
    while (true) {
      boolean more = sep.find();
      int end = more ? sep.start() : migrateCommand.length();
      String prefix = migrateCommand.substring(0, start);
      String segment = migrateCommand.substring(start, end);
      Optional<Listing> l = rewrite(prefix, segment.strip());
      if (l.isPresent()) {
        return l;
      }
      if (!more) {
        return Optional.empty();
      }
      start = sep.end();
    }
  }

  private static Optional<Listing> rewrite(String prefix, String segment) {
    String p = prefix.isEmpty() || prefix.endsWith(" ") ? prefix : prefix + " ";
    Matcher m = DJANGO_MIGRATE.matcher(segment);
    if (m.matches()) {
      StringBuilder kept = new StringBuilder();
      Matcher o = DJANGO_KEPT_OPTION.matcher(m.group(2));
      while (o.find()) {
        kept.append(' ').append(o.group(1)).append('=').append(o.group(2));
      }
      return Optional.of(new Listing(DJANGO, p + m.group(1) + " showmigrations --plan" + kept));
    }
    m = RAILS_MIGRATE.matcher(segment);
    if (m.matches()) {
      return Optional.of(new Listing(RAILS, p + m.group(1) + "db:migrate:status"));
    }
    m = PRISMA_DEPLOY.matcher(segment);
    if (m.matches()) {
      return Optional.of(new Listing(PRISMA, p + m.group(1) + "migrate status" + m.group(2)));
    }
    m = KNEX_LATEST.matcher(segment);
    if (m.matches()) {
      return Optional.of(new Listing(KNEX, p + m.group(1) + "migrate:list" + m.group(2)));
    }
    m = SEQUELIZE_MIGRATE.matcher(segment);
    if (m.matches()) {
      return Optional.of(new Listing(SEQUELIZE, p + m.group(1) + "db:migrate:status" + m.group(2)));
    }
    m = ALEMBIC_UPGRADE.matcher(segment);
    if (m.matches()) {
      String head = m.group(1).strip();
      return Optional.of(new Listing(ALEMBIC, p + head + " current && " + head + " history"));
    }
    return Optional.empty();
  }

  /**
   * A framework and the shell command that lists its migrations without applying any.
   *
   * @param framework the framework
   * @param command the read-only listing command line
   */
  public record Listing(Framework framework, String command) {}
}
