package io.dbguard.core.plan;

import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.Analyzer;
import io.dbguard.core.analysis.guard.GuardResult;
import io.dbguard.core.analysis.guard.ProductionGuard;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.engine.ConnectionProbe;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.Secrets;
import io.dbguard.core.migrate.CommandRunner;
import io.dbguard.core.migrate.FlywayRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code dbguard plan}: finds out what {@code dbguard run} would do, changing nothing. It takes no
 * lock, makes no backup and writes nothing: its own sessions are read-only ({@link
 * ReadOnlySession}), Flyway's history is read as {@code flyway info} does, and a framework's
 * listing command gets {@code PGOPTIONS=-c default_transaction_read_only=on} in its environment
 * (honoured by libpq-based clients: Django's psycopg2, Rails' pg, Alembic's psycopg2; Prisma's own
 * engine does not read it).
 *
 * <p>Steps: connect (as {@link ConnectionProbe}); list the pending migrations (Flyway history, or
 * the framework's listing, see {@link Framework} and {@link ListingParser}); find their files
 * ({@link MigrationFiles}) and analyse exactly those as one batch ({@link Analyzer}); run the
 * production guard on the migration command; measure the database's size ({@link CostEstimate});
 * read the role's privileges (PostgreSQL, {@link RolePrivileges}, {@link RoleAdvice}).
 */
public final class Planner {

  /**
   * Makes the plan.
   *
   * @param request what to plan
   * @param listingOutput receives the listing command's output, line by line, secrets redacted
   * @throws DbguardException {@code Usage} (neither or both of a Flyway directory and a command; a
   *     {@code --plan-command} whose framework cannot be told), {@code InvalidMigrations}, {@code
   *     ConnectionFailed}, {@code AuthenticationFailed}, {@code DatabaseNotFound}, {@code
   *     PlanFailed} (the history or the listing could not be read, or a file not analysed)
   */
  public Plan plan(PlanRequest request, Consumer<String> listingOutput) {
    DatabaseTarget target = request.target();
    boolean flyway = !request.sqlDirs().isEmpty();
    if (flyway == (request.migrateCommand() != null)) {
      throw new DbguardException("Usage", "give exactly one of --migrate-command or --sql-dir");
    }
    if (flyway && request.planCommand() != null) {
      throw new DbguardException(
          "Usage", "--plan-command goes with --migrate-command; --sql-dir reads Flyway's history");
    }
    ConnectionProbe.check(target);
    boolean exists = target.kind() != EngineKind.SQLITE || Files.exists(target.sqliteFile());
    List<PlanNotice> notices = new ArrayList<>();
    PendingMigrations pending =
        flyway ? flywayPending(request) : commandPending(request, listingOutput, notices);
    for (PendingMigration p : pending.migrations()) {
      if (p.file() == null) {
        notices.add(
            new PlanNotice(
                Verdict.WARN,
                "pending",
                "pending migration "
                    + p.id()
                    + ": its file was not found under "
                    + request.workingDirectory()
                    + ", so it was not analysed"));
      }
    }
    AnalysisReport analysis = analyse(pending.files(), request);
    List<String> refusals = new ArrayList<>();
    if (!flyway) {
      GuardResult g =
          new ProductionGuard()
              .check(
                  request.migrateCommand(),
                  request.environment(),
                  request.acknowledgedCommands(),
                  request.workingDirectory());
      if (!g.allowed()) {
        refusals.add(redact(g.reason(), target));
      } else if (g.matched()) {
        notices.add(new PlanNotice(Verdict.NOTICE, "command", redact(g.reason(), target)));
      }
    }
    CostEstimate cost = null;
    RolePrivileges role = null;
    List<String> leastPrivilege = List.of();
    try (Connection c = ReadOnlySession.open(target)) {
      if (c != null) {
        cost = CostEstimate.of(target.kind(), size(c, target));
        if (target.kind() == EngineKind.POSTGRESQL) {
          role = RolePrivileges.read(c);
          for (String n : RoleAdvice.notices(role)) {
            notices.add(new PlanNotice(Verdict.NOTICE, "role", n));
          }
          if (notices.stream().anyMatch(n -> n.topic().equals("role"))) {
            leastPrivilege = RoleAdvice.leastPrivilegeSql(target.database(), "public");
          }
        }
      }
    } catch (SQLException e) {
      throw new DbguardException(
          "PlanFailed",
          "cannot read the database's size or the role's privileges: "
              + redact(String.valueOf(e.getMessage()), target),
          e);
    }
    return new Plan(
        target.redacted(),
        request.environment(),
        exists,
        pending,
        analysis,
        refusals,
        cost,
        role,
        notices,
        leastPrivilege,
        runCommand(request));
  }

  private static PendingMigrations flywayPending(PlanRequest request) {
    FlywayRunner runner = new FlywayRunner(request.sqlDirs(), null);
    List<PendingMigration> list = new ArrayList<>();
    for (Path f :
        runner.pendingFiles(request.target(), ReadOnlySession.jdbcUrl(request.target()))) {
      String name = f.getFileName().toString();
      int sep = name.indexOf("__");
      String id = sep > 0 ? name.substring(0, sep) : name;
      String description =
          sep > 0 ? name.substring(sep + 2).replaceFirst("\\.sql$", "").replace('_', ' ') : "";
      list.add(new PendingMigration(id, description, f));
    }
    return new PendingMigrations(
        "flyway",
        "flyway_schema_history against "
            + String.join(", ", runner.directories().stream().map(Path::toString).toList()),
        list,
        true);
  }

  private static PendingMigrations commandPending(
      PlanRequest request, Consumer<String> listingOutput, List<PlanNotice> notices) {
    DatabaseTarget target = request.target();
    Framework.Listing listing;
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
                              + " db:migrate:status, Prisma migrate status and Alembic"
                              + " current/history"));
      listing = new Framework.Listing(framework, request.planCommand());
    } else {
      var recognised = Framework.recognise(request.migrateCommand());
      if (recognised.isEmpty()) {
        notices.add(
            new PlanNotice(
                Verdict.WARN,
                "pending",
                "`"
                    + redact(request.migrateCommand(), target)
                    + "` is not a migration command dbguard recognises (Django, Rails, Prisma,"
                    + " Alembic): the pending migrations are unknown. Give --plan-command with the"
                    + " framework's read-only listing."));
        return PendingMigrations.unknown();
      }
      listing = recognised.get();
    }
    StringBuilder out = new StringBuilder();
    String shown = redact(listing.command(), target);
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
    AbsentSqlite absent = AbsentSqlite.of(target);
    try {
      runner.run(
          absent == null ? target : absent.standIn(),
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
    if (c.contains("db:migrate:status")) {
      return java.util.Optional.of(Framework.RAILS);
    }
    if (c.contains("prisma")) {
      return java.util.Optional.of(Framework.PRISMA);
    }
    if (c.contains("alembic")) {
      return java.util.Optional.of(Framework.ALEMBIC);
    }
    return java.util.Optional.empty();
  }

  private static AnalysisReport analyse(List<Path> files, PlanRequest request) {
    if (files.isEmpty()) {
      return null;
    }
    try {
      return new Analyzer().analyze(files, request.analysis());
    } catch (IOException e) {
      throw new DbguardException(
          "PlanFailed", "cannot read the pending migration files: " + e.getMessage(), e);
    }
  }

  private static long size(Connection c, DatabaseTarget target) throws SQLException {
    if (target.kind() == EngineKind.SQLITE) {
      Path f = target.sqliteFile();
      Path wal = f.resolveSibling(f.getFileName() + "-wal");
      try {
        return Files.size(f) + (Files.exists(wal) ? Files.size(wal) : 0);
      } catch (IOException e) {
        throw new SQLException("cannot read the size of " + f + ": " + e.getMessage(), e);
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * What {@code run}'s migrate step would execute: the application's command as {@code /bin/sh -c}
   * runs it, where, and with which database variables (values redacted); or Flyway's migrate.
   */
  static String runCommand(PlanRequest r) {
    DatabaseTarget t = r.target();
    if (!r.sqlDirs().isEmpty()) {
      return "Flyway migrate (built into dbguard) of "
          + String.join(
              ", ",
              r.sqlDirs().stream().map(d -> d.toAbsolutePath().normalize().toString()).toList())
          + ", history in flyway_schema_history";
    }
    List<String> vars = new ArrayList<>(CommandRunner.databaseEnvironment(t).keySet());
    return "/bin/sh -c '"
        + redact(r.migrateCommand(), t).replace("'", "'\\''")
        + "' in "
        + r.workingDirectory()
        + " with DATABASE_URL="
        + t.redacted()
        + (vars.size() > 1 ? " and " + String.join(" ", vars.subList(1, vars.size())) : "");
  }

  private static String redact(String text, DatabaseTarget target) {
    return DatabaseTarget.redact(Secrets.scrub(text, target.password()));
  }
}
