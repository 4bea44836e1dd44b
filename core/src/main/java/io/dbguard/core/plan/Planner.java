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
   *     PlanFailed} (the history, the listing, a pending file or the catalogs could not be read)
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
        flyway ? flywayPending(request) : FrameworkListing.pending(request, listingOutput, notices);
    notices.addAll(missingFiles(pending, request));
    if (flyway) {
      UnrecordedSchema.check(
              target, pending.migrations().stream().map(PendingMigration::id).toList())
          .ifPresent(notices::add);
    }
    List<Path> files = pending.files();
    Framework unread =
        java.util.Arrays.stream(Framework.values())
            .filter(f -> !f.analysed() && f.label().equals(pending.source()))
            .findFirst()
            .orElse(null);
    if (unread != null && !files.isEmpty()) {
      // Alembic revisions (Python) and Knex/Sequelize migrations (JavaScript) are code dbguard's
      // analysis does not read (it would take Python for seeds)
      notices.add(
          new PlanNotice(
              Verdict.NOTICE,
              "pending",
              files.size()
                  + " "
                  + unread.label()
                  + " migration file(s) not analysed: not a migration format dbguard"
                  + " reads; review them by hand"));
      files = List.of();
    }
    AnalysisReport analysis = analyse(files, request);
    List<String> refusals = flyway ? List.of() : guard(request, notices);
    DatabaseFacts facts = DatabaseFacts.read(target, notices);
    return new Plan(
        target.redacted(),
        request.environment(),
        exists,
        pending,
        analysis,
        refusals,
        facts.cost(),
        facts.role(),
        notices,
        facts.leastPrivilege(),
        runCommand(request));
  }

  /** A {@code warn} notice for each pending migration whose file was not found. */
  private static List<PlanNotice> missingFiles(PendingMigrations pending, PlanRequest request) {
    return pending.migrations().stream()
        .filter(p -> p.file() == null)
        .map(
            p ->
                new PlanNotice(
                    Verdict.WARN,
                    "pending",
                    "pending migration "
                        + p.id()
                        + ": its file was not found under "
                        + request.workingDirectory()
                        + ", so it was not analysed"))
        .toList();
  }

  /**
   * The production guard on the migration command, as {@code run}'s analyze step: its refusals
   * (each blocks a run); an acknowledged match becomes a {@code notice}.
   */
  private static List<String> guard(PlanRequest request, List<PlanNotice> notices) {
    GuardResult g =
        new ProductionGuard()
            .check(
                request.migrateCommand(),
                request.environment(),
                request.acknowledgedCommands(),
                request.workingDirectory());
    if (!g.allowed()) {
      return List.of(redact(g.reason(), request.target()));
    }
    if (g.matched()) {
      notices.add(new PlanNotice(Verdict.NOTICE, "command", redact(g.reason(), request.target())));
    }
    return List.of();
  }

  /** What the plan reads from the database itself, in one read-only session. */
  private record DatabaseFacts(
      CostEstimate cost, RolePrivileges role, List<String> leastPrivilege) {

    /**
     * Size (and estimate) and, for PostgreSQL, the role's privileges; role notices go to {@code
     * notices}. All null/empty for a SQLite file that does not exist.
     */
    static DatabaseFacts read(DatabaseTarget target, List<PlanNotice> notices) {
      try (Connection c = ReadOnlySession.open(target)) {
        if (c == null) {
          return new DatabaseFacts(null, null, List.of());
        }
        CostEstimate cost = CostEstimate.of(target.kind(), size(c, target));
        if (target.kind() != EngineKind.POSTGRESQL) {
          return new DatabaseFacts(cost, null, List.of());
        }
        RolePrivileges role = RolePrivileges.read(c);
        List<String> advice = RoleAdvice.notices(role);
        advice.forEach(n -> notices.add(new PlanNotice(Verdict.NOTICE, "role", n)));
        return new DatabaseFacts(
            cost,
            role,
            advice.isEmpty()
                ? List.of()
                : RoleAdvice.leastPrivilegeSql(target.database(), "public"));
      } catch (SQLException e) {
        throw new DbguardException(
            "PlanFailed",
            "cannot read the database's size or the role's privileges: "
                + redact(String.valueOf(e.getMessage()), target),
            e);
      }
    }
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
