package io.dbguard.core.plan;

import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.Secrets;
import io.dbguard.core.migrate.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pending migrations of an application's migration command, from the framework's own read-only
 * listing ({@link Framework}, {@link ListingParser}), with their files ({@link MigrationFiles}).
 * The listing runs as the migration would ({@link CommandRunner}: {@code /bin/sh -c}, the working
 * directory, {@code DATABASE_URL} and {@code PG*} in its environment, output redacted) plus {@code
 * PGOPTIONS=-c default_transaction_read_only=on} ({@link ReadOnlySession}).
 */
final class FrameworkListing {
  private FrameworkListing() {}

  /**
   * Lists what {@code request}'s migration command would apply.
   *
   * @param notices receives a {@code warn} notice when the command is not recognised (then the
   *     result is {@link PendingMigrations#unknown()}) or the listing created an absent SQLite file
   * @throws DbguardException {@code Usage} when the framework of a {@code --plan-command} cannot be
   *     told; {@code PlanFailed} when the listing fails or prints no listing; {@code Terminated}
   *     when stopped by a signal
   */
  static PendingMigrations pending(
      PlanRequest request, Consumer<String> listingOutput, List<PlanNotice> notices) {
    DatabaseTarget target = request.target();
    Framework.Listing listing = choose(request, notices);
    if (listing == null) {
      return PendingMigrations.unknown();
    }
    StringBuilder out = new StringBuilder();
    String shown = redact(listing.command(), target);
    DbguardException failed = run(listing, request, out, listingOutput, notices);
    List<PendingMigration> parsed;
    try {
      parsed = ListingParser.parse(listing.framework(), out.toString());
    } catch (IllegalArgumentException e) {
      throw new DbguardException(
          "PlanFailed",
          "cannot list the pending migrations with `"
              + shown
              + "`: "
              + (failed != null ? failed.getMessage() : e.getMessage()),
          failed != null ? failed : e);
    }
    if (failed != null && listing.framework() != Framework.PRISMA) {
      // Prisma's migrate status exits 1 when migrations are pending; any other failure counts
      throw new DbguardException(
          "PlanFailed",
          "cannot list the pending migrations with `" + shown + "`: " + failed.getMessage(),
          failed);
    }
    List<PendingMigration> located =
        MigrationFiles.under(request.workingDirectory()).locate(listing.framework(), parsed);
    return new PendingMigrations(listing.framework().label(), shown, located, true);
  }

  /** The listing to run, or null (with a notice) when the command is not recognised. */
  private static Framework.Listing choose(PlanRequest request, List<PlanNotice> notices) {
    if (request.planCommand() != null) {
      Framework framework =
          Framework.recognise(request.migrateCommand())
              .map(Framework.Listing::framework)
              .or(() -> frameworkOfListing(request.planCommand()))
              .orElseThrow(
                  () ->
                      new DbguardException(
                          "Usage",
                          "cannot tell which framework's listing --plan-command prints: dbguard"
                              + " reads Django showmigrations/migrate --plan, Rails"
                              + " db:migrate:status, Prisma migrate status, Alembic"
                              + " current/history, Knex migrate:list and Sequelize"
                              + " db:migrate:status"));
      return new Framework.Listing(framework, request.planCommand());
    }
    var recognised = Framework.recognise(request.migrateCommand());
    if (recognised.isEmpty()) {
      notices.add(
          new PlanNotice(
              Verdict.WARN,
              "pending",
              "`"
                  + redact(request.migrateCommand(), request.target())
                  + "` is not a migration command dbguard recognises (Django, Rails, Prisma,"
                  + " Alembic, Knex, Sequelize): the pending migrations are unknown. Give"
                  + " --plan-command with the framework's read-only listing."));
      return null;
    }
    return recognised.get();
  }

  /**
   * Runs the listing, collecting its output into {@code out}.
   *
   * @return the failure of a listing that exited non-zero, or null
   */
  private static DbguardException run(
      Framework.Listing listing,
      PlanRequest request,
      StringBuilder out,
      Consumer<String> listingOutput,
      List<PlanNotice> notices) {
    String existing = System.getenv("PGOPTIONS");
    Map<String, String> env =
        Map.of(
            "PGOPTIONS",
            (existing == null || existing.isBlank() ? "" : existing + " ")
                + ReadOnlySession.READ_ONLY_OPTION);
    CommandRunner runner =
        new CommandRunner(
            listing.command(), request.workingDirectory(), env, request.listingTimeout());
    DbguardException failed = null;
    AbsentSqlite absent = AbsentSqlite.of(request.target());
    try {
      runner.run(
          absent == null ? request.target() : absent.standIn(),
          line -> {
            out.append(line).append('\n');
            listingOutput.accept(line);
          });
    } catch (DbguardException e) {
      if (e.reason().equals("Terminated")) {
        throw e;
      }
      failed = e;
    } finally {
      if (absent != null) {
        absent
            .close()
            .ifPresent(text -> notices.add(new PlanNotice(Verdict.WARN, "pending", text)));
      }
    }
    return failed;
  }

  /**
   * A SQLite database that does not exist yet: the listing command is pointed at a stand-in path in
   * a temporary directory (its {@code DATABASE_URL} and {@code DATABASE_PATH}), because SQLite
   * clients create the file they open. The stand-in is deleted afterwards; should the real file
   * appear anyway (the application does not take its database from the environment), an empty one
   * is removed again and either case is reported.
   */
  private record AbsentSqlite(Path file, Path directory, DatabaseTarget standIn) {
    static AbsentSqlite of(DatabaseTarget target) {
      if (target.kind() != EngineKind.SQLITE || Files.exists(target.sqliteFile())) {
        return null;
      }
      try {
        Path dir = Files.createTempDirectory("dbguard-plan-");
        return new AbsentSqlite(
            target.sqliteFile(),
            dir,
            DatabaseTarget.sqlite(dir.resolve(target.sqliteFile().getFileName())));
      } catch (IOException e) {
        throw new DbguardException(
            "PlanFailed", "cannot create a temporary directory: " + e.getMessage(), e);
      }
    }

    /** Deletes the stand-in; returns a notice when the real file was created by the listing. */
    java.util.Optional<String> close() {
      try (java.util.stream.Stream<Path> s = Files.walk(directory)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        // a temporary directory left behind is harmless
      }
      if (!Files.exists(file)) {
        return java.util.Optional.empty();
      }
      try {
        if (Files.size(file) == 0) {
          Files.delete(file);
          return java.util.Optional.of(
              "the listing command created the empty database file "
                  + file
                  + " (the application does not read DATABASE_URL or DATABASE_PATH); dbguard"
                  + " removed it again");
        }
      } catch (IOException e) {
        // reported below
      }
      return java.util.Optional.of(
          "the listing command created the database file "
              + file
              + " (the application does not read DATABASE_URL or DATABASE_PATH)");
    }
  }

  private static java.util.Optional<Framework> frameworkOfListing(String command) {
    String c = command.toLowerCase(java.util.Locale.ROOT);
    if (c.contains("showmigrations") || c.contains("manage.py") || c.contains("django-admin")) {
      return java.util.Optional.of(Framework.DJANGO);
    }
    if (c.contains("sequelize")) {
      return java.util.Optional.of(Framework.SEQUELIZE);
    }
    if (c.contains("db:migrate:status")) {
      return java.util.Optional.of(Framework.RAILS);
    }
    if (c.contains("knex") || c.contains("migrate:list")) {
      return java.util.Optional.of(Framework.KNEX);
    }
    if (c.contains("prisma")) {
      return java.util.Optional.of(Framework.PRISMA);
    }
    if (c.contains("alembic")) {
      return java.util.Optional.of(Framework.ALEMBIC);
    }
    return java.util.Optional.empty();
  }

  private static String redact(String text, DatabaseTarget target) {
    return DatabaseTarget.redact(Secrets.scrub(text, target.password()));
  }
}
