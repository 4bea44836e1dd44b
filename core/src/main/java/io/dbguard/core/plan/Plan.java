package io.dbguard.core.plan;

import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.model.FileKind;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code dbguard run} would do to a database, found out without changing it (see {@link
 * Planner}).
 *
 * @param database the database, credentials redacted
 * @param environment the target environment
 * @param databaseExists false for a SQLite file that does not exist yet (a new database: no backup)
 * @param pending the pending migrations and how they were listed
 * @param analysis the analysis of the pending files that were found, or null when there were none
 * @param commandRefusals the production guard's refusals of the migration command (each blocks a
 *     run)
 * @param cost size and estimated backup/restore time, or null for a database that does not exist
 * @param role the PostgreSQL role's privileges, or null for SQLite (no roles)
 * @param notices role notices and what the plan could not determine
 * @param leastPrivilegeSql the least-privilege setup, when a role notice was given; else empty
 * @param runCommand what {@code run}'s migrate step would execute, secrets redacted
 */
public record Plan(
    String database,
    String environment,
    boolean databaseExists,
    PendingMigrations pending,
    AnalysisReport analysis,
    List<String> commandRefusals,
    CostEstimate cost,
    RolePrivileges role,
    List<PlanNotice> notices,
    List<String> leastPrivilegeSql,
    String runCommand) {

  /** Characters of the findings summary in {@link #toStepResult}. */
  static final int FINDINGS_SUMMARY_CHARS = 600;

  public Plan {
    commandRefusals = List.copyOf(commandRefusals);
    notices = List.copyOf(notices);
    leastPrivilegeSql = List.copyOf(leastPrivilegeSql);
  }

  /**
   * The exit code, as {@code dbguard lint} decides it: {@link ExitCode#REFUSED} (2) when a pending
   * file has an unacknowledged refuse finding or the production guard refuses the command; {@link
   * ExitCode#WARNINGS} (1) when an unacknowledged finding or a plan notice is at or above {@code
   * failOn} ({@code warn} or {@code notice}); else {@link ExitCode#OK}.
   */
  public ExitCode exitCode(Verdict failOn) {
    if (!commandRefusals.isEmpty()) {
      return ExitCode.REFUSED;
    }
    ExitCode byFindings = analysis == null ? ExitCode.OK : analysis.exitCode(failOn);
    if (byFindings != ExitCode.OK) {
      return byFindings;
    }
    if (failOn != Verdict.REFUSE && notices.stream().anyMatch(n -> n.level().atLeast(failOn))) {
      return ExitCode.WARNINGS;
    }
    return ExitCode.OK;
  }

  /** Pending files the analysis skipped because they are no migration format dbguard reads. */
  public long skippedFiles() {
    return analysis == null
        ? 0
        : analysis.files().stream().filter(f -> f.kind() == FileKind.SKIPPED).count();
  }

  /**
   * The step result ({@code step} {@code plan}): reason {@code Planned} (0), {@code PlanWarnings}
   * (1) or {@code Blocked} (2); {@code details} hold the plan in short, stable keys (see
   * docs/cli.md, {@code dbguard plan}).
   */
  public StepResult toStepResult(Verdict failOn) {
    ExitCode code = exitCode(failOn);
    String reason =
        switch (code) {
          case REFUSED -> "Blocked";
          case WARNINGS -> "PlanWarnings";
          default -> "Planned";
        };
    Map<String, String> d = new LinkedHashMap<>();
    d.put("pendingSource", pending.source());
    if (pending.known()) {
      d.put("pendingCount", Integer.toString(pending.migrations().size()));
      d.put(
          "pending",
          String.join(", ", pending.migrations().stream().map(PendingMigration::id).toList()));
    }
    if (pending.listingCommand() != null) {
      d.put("listingCommand", pending.listingCommand());
    }
    if (analysis != null) {
      d.put("findingsRefused", Integer.toString(analysis.blocking().size()));
      d.put("findingsWarn", Integer.toString(analysis.warnings().size()));
      d.put("findingsNotice", Integer.toString(analysis.notices().size()));
      d.put("findingsAcknowledged", Integer.toString(analysis.acknowledged().size()));
      d.put("findings", analysis.summary(FINDINGS_SUMMARY_CHARS));
    }
    if (!commandRefusals.isEmpty()) {
      d.put("commandRefusals", String.join(" | ", commandRefusals));
    }
    d.put("databaseExists", Boolean.toString(databaseExists));
    if (cost != null) {
      d.put("databaseSizeBytes", Long.toString(cost.databaseBytes()));
      d.put("estimatedBackupSeconds", seconds(cost.backupSeconds()));
      d.put("estimatedRestoreSeconds", seconds(cost.restoreSeconds()));
      d.put("estimateBasis", cost.basis());
    }
    if (role != null) {
      d.put("role", role.role());
      d.put("roleSuperuser", Boolean.toString(role.superuser()));
      d.put("roleOwnsTables", role.ownedTables() + "/" + role.tables());
      d.put("roleCanDropTables", role.droppableTables() + "/" + role.tables());
      d.put("roleCanTruncateTables", role.truncatableTables() + "/" + role.tables());
      d.put("roleCreateDb", Boolean.toString(role.createDb()));
    }
    List<String> roleNotices = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (PlanNotice n : notices) {
      (n.topic().equals("role") ? roleNotices : other).add(n.text());
    }
    if (!roleNotices.isEmpty()) {
      d.put("roleNotices", String.join(" | ", roleNotices));
      d.put("leastPrivilege", String.join(" ", leastPrivilegeSql));
    }
    if (!other.isEmpty()) {
      d.put("notices", String.join(" | ", other));
    }
    d.put("runCommand", runCommand);
    return new StepResult("plan", code.code(), reason, message(code), null, d);
  }

  /** One sentence: pending, findings, cost, role notices, and what the run would do. */
  public String message(ExitCode code) {
    StringBuilder m = new StringBuilder();
    if (!pending.known()) {
      m.append("pending migrations unknown (give --plan-command)");
    } else {
      int n = pending.migrations().size();
      m.append(n).append(n == 1 ? " pending migration" : " pending migrations");
    }
    if (analysis != null) {
      m.append("; ")
          .append(analysis.blocking().size())
          .append(" refused, ")
          .append(analysis.warnings().size())
          .append(" warning(s), ")
          .append(analysis.notices().size())
          .append(" notice(s)");
    }
    if (cost != null) {
      m.append("; database ")
          .append(bytes(cost.databaseBytes()))
          .append(", backup ")
          .append(duration(cost.backupSeconds()))
          .append(", restore ")
          .append(duration(cost.restoreSeconds()));
    } else if (!databaseExists) {
      m.append("; the database does not exist yet (nothing to back up)");
    }
    long roleNotices = notices.stream().filter(x -> x.topic().equals("role")).count();
    if (roleNotices > 0) {
      m.append("; ").append(roleNotices).append(" role notice(s)");
    }
    m.append(
        code == ExitCode.REFUSED
            ? ". dbguard run would be blocked before touching the database."
            : ". Nothing was changed.");
    return m.toString();
  }

  /** Seconds rounded up to a whole second, at least 1: {@code "12"}. */
  static String seconds(double s) {
    return Long.toString(Math.max(1, (long) Math.ceil(s)));
  }

  /**
   * An estimated duration for people: {@code < 1 s}, {@code ≈ 12 s}, {@code ≈ 3 min 05 s}, {@code ≈
   * 2 h 04 min}.
   *
   * @param s seconds
   */
  public static String duration(double s) {
    if (s < 1) {
      return "< 1 s";
    }
    long t = (long) Math.ceil(s);
    if (t < 120) {
      return "≈ " + t + " s";
    }
    if (t < 7200) {
      return String.format(Locale.ROOT, "≈ %d min %02d s", t / 60, t % 60);
    }
    return String.format(Locale.ROOT, "≈ %d h %02d min", t / 3600, (t % 3600) / 60);
  }

  static String bytes(long n) {
    return io.dbguard.core.report.HumanSize.bytes(n);
  }
}
