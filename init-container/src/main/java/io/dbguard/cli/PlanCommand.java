package io.dbguard.cli;

import io.dbguard.core.analysis.Acknowledgement;
import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.plan.Plan;
import io.dbguard.core.plan.PlanRequest;
import io.dbguard.core.plan.Planner;
import io.dbguard.core.report.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dbguard plan}: what {@code dbguard run} would do, without changing anything — pending
 * migrations, the analysis of exactly those files, the database's size with the estimated backup
 * and restore time, the role's privileges and the command the run would execute. Exit codes as
 * {@code lint}: 0, 1 ({@code --fail-on warn|notice}), 2 (refused), 3, 4; 5 when the database cannot
 * be reached.
 */
@Command(
    name = "plan",
    description =
        "Show what `dbguard run` would do, changing nothing: pending migrations, their analysis,"
            + " database size and estimated backup/restore time, the role's privileges, the"
            + " command. Read-only: no lock, no backup.")
final class PlanCommand extends StepCommand {
  @Mixin MigrateCommand.Source source;
  @Mixin Options options;

  /** The options {@code plan} adds to the migration source; shared with {@code run --plan-only}. */
  static final class Options {
    @Option(
        names = "--plan-command",
        paramLabel = "CMD",
        description =
            "Read-only listing command to run instead of the one derived from --migrate-command"
                + " (Django showmigrations --plan, Rails db:migrate:status, Prisma migrate status,"
                + " Alembic current && history).")
    String planCommand;

    @Option(
        names = "--fail-on",
        paramLabel = "refuse|warn|notice",
        description = "The least severe level that fails the plan (default: refuse), as for lint.")
    String failOn;

    /** Whether any of these options was given (they only mean something for a plan). */
    boolean given() {
      return planCommand != null || failOn != null;
    }
  }

  @Option(
      names = "--environment",
      paramLabel = "ENV",
      description = "Environment (analysis, command guard); default production.")
  String environment = "production";

  @Option(
      names = "--acknowledge",
      paramLabel = "RULE:FILE[:SHA256]",
      description = "Accept one reviewed analysis finding (repeatable); reported as acknowledged.")
  List<String> acknowledgeFindings;

  @Option(
      names = "--acknowledge-command",
      paramLabel = "CMD",
      description = "Accept this exact dangerous migrate command in a protected environment.")
  List<String> acknowledgeCommands;

  @Override
  String stepName() {
    return "plan";
  }

  @Override
  StepResult execute(Console console) {
    return run(
        console,
        common.target(),
        source,
        options,
        environment,
        acknowledgeFindings,
        acknowledgeCommands);
  }

  /**
   * Plans and prints the plan; the result for {@code plan} and {@code run --plan-only}.
   *
   * @throws DbguardException {@code Usage} for a bad {@code --fail-on} or acknowledgement, and as
   *     {@link Planner#plan}
   */
  static StepResult run(
      Console console,
      DatabaseTarget target,
      MigrateCommand.Source source,
      Options options,
      String environment,
      List<String> acknowledgeFindings,
      List<String> acknowledgeCommands) {
    Verdict failOn;
    try {
      failOn =
          options.failOn == null
              ? Verdict.REFUSE
              : Verdict.valueOf(options.failOn.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new DbguardException(
          "Usage", "--fail-on must be refuse, warn or notice, not " + options.failOn);
    }
    List<Acknowledgement> acks = new ArrayList<>();
    if (acknowledgeFindings != null) {
      for (String a : acknowledgeFindings) {
        try {
          acks.add(Acknowledgement.parse(a));
        } catch (IllegalArgumentException e) {
          throw new DbguardException("Usage", "--acknowledge " + a + ": " + e.getMessage());
        }
      }
    }
    PlanRequest request =
        new PlanRequest(
            target,
            source.sqlDir,
            source.command,
            options.planCommand,
            source.workdir,
            Duration.ofSeconds(source.timeoutSeconds),
            new AnalysisOptions(environment, null, acks),
            acknowledgeCommands);
    console.heading(
        "dbguard plan — "
            + target.redacted()
            + " (environment "
            + request.environment()
            + "; read-only, nothing is changed)");
    Plan plan = new Planner().plan(request, console::output);
    StepResult r = plan.toStepResult(failOn);
    PlanPrinter.print(console, plan, r);
    return r;
  }
}
