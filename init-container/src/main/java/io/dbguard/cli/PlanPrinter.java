package io.dbguard.cli;

import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.Finding;
import io.dbguard.core.plan.CostEstimate;
import io.dbguard.core.plan.PendingMigration;
import io.dbguard.core.plan.Plan;
import io.dbguard.core.plan.PlanNotice;
import io.dbguard.core.plan.RolePrivileges;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link Plan} as text, short enough for one screen: at most {@value #MAX_PENDING} pending
 * migrations and {@value #MAX_FINDINGS} findings are listed one a line (the rest are counted).
 */
final class PlanPrinter {
  static final int MAX_PENDING = 15;
  static final int MAX_FINDINGS = 10;

  private PlanPrinter() {}

  static void print(Console c, Plan p, StepResult r) {
    pending(c, p);
    analysis(c, p);
    for (String refusal : p.commandRefusals()) {
      c.fail("command", refusal, 0);
    }
    database(c, p);
    role(c, p);
    for (PlanNotice n : p.notices()) {
      c.warn(n.topic(), n.level().name().toLowerCase(Locale.ROOT) + ": " + n.text());
    }
    if (!p.leastPrivilegeSql().isEmpty()) {
      c.line("  least privilege (migration role owns the schema; application role has DML only):");
      for (String sql : p.leastPrivilegeSql()) {
        c.line("    " + sql);
      }
    }
    c.ok("run would run", p.runCommand(), 0);
    c.line("");
    String verdict =
        switch (r.exitCode()) {
          case 2 -> c.red(c.bold("BLOCKED"));
          case 1 -> c.bold("PLANNED WITH WARNINGS");
          default -> c.green(c.bold("PLANNED"));
        };
    c.line(verdict + "  " + r.message());
    c.line("Exit code " + r.exitCode() + " (" + exitName(r.exitCode()) + ")");
  }

  private static void pending(Console c, Plan p) {
    if (!p.pending().known()) {
      c.warn("pending", "unknown (see below)");
    } else {
      List<PendingMigration> list = p.pending().migrations();
      c.ok(
          "pending",
          list.size()
              + " ("
              + p.pending().source()
              + (p.pending().listingCommand() == null ? "" : ": " + p.pending().listingCommand())
              + ")",
          0);
      for (PendingMigration m : list.subList(0, Math.min(MAX_PENDING, list.size()))) {
        c.line(
            "                    "
                + m.id()
                + (m.description().isEmpty() ? "" : "  " + m.description())
                + (m.file() == null ? "  (file not found)" : "  " + shortName(m.file())));
      }
      if (list.size() > MAX_PENDING) {
        c.line("                    … and " + (list.size() - MAX_PENDING) + " more");
      }
    }
  }

  private static void analysis(Console c, Plan p) {
    AnalysisReport a = p.analysis();
    if (a == null) {
      c.skip("analysis", "no pending file to analyse");
    } else {
      String counts =
          String.format(
              Locale.ROOT,
              "%d file(s): %d refused, %d warning(s), %d notice(s), %d acknowledged%s",
              a.files().size(),
              a.blocking().size(),
              a.warnings().size(),
              a.notices().size(),
              a.acknowledged().size(),
              p.skippedFiles() == 0 ? "" : "; " + p.skippedFiles() + " not a format dbguard reads");
      if (a.blocking().isEmpty()) {
        c.ok("analysis", counts, 0);
      } else {
        c.fail("analysis", counts, 0);
      }
      List<Finding> shown = new ArrayList<>(a.blocking());
      shown.addAll(a.warnings());
      for (Finding f : shown.subList(0, Math.min(MAX_FINDINGS, shown.size()))) {
        c.line(
            "                    "
                + f.verdict().name().toLowerCase(Locale.ROOT)
                + "  "
                + f.ruleId()
                + " "
                + shortName(Path.of(f.file()))
                + ":"
                + f.line()
                + "  "
                + f.message());
      }
      if (shown.size() > MAX_FINDINGS) {
        c.line(
            "                    … and " + (shown.size() - MAX_FINDINGS) + " more (dbguard lint)");
      }
    }
  }

  private static void database(Console c, Plan p) {
    CostEstimate e = p.cost();
    if (e == null) {
      c.skip("database", "does not exist yet: nothing to back up");
    } else {
      c.ok(
          "database",
          Console.bytes(e.databaseBytes())
              + "; estimated backup "
              + Plan.duration(e.backupSeconds())
              + ", restore "
              + Plan.duration(e.restoreSeconds()),
          0);
      c.line("                    estimate: " + e.basis());
    }
  }

  private static void role(Console c, Plan p) {
    RolePrivileges role = p.role();
    if (role != null) {
      c.ok(
          "role",
          role.role()
              + ": superuser "
              + yesNo(role.superuser())
              + ", owns "
              + role.ownedTables()
              + "/"
              + role.tables()
              + " tables, can DROP "
              + role.droppableTables()
              + ", TRUNCATE "
              + role.truncatableTables()
              + ", CREATEDB "
              + yesNo(role.createDb()),
          0);
    }
  }

  private static String exitName(int code) {
    for (ExitCode e : ExitCode.values()) {
      if (e.code() == code) {
        return e.name();
      }
    }
    return "?";
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  /** The last two path elements: {@code migrations/0002_add_phone.py}. */
  private static String shortName(Path f) {
    int n = f.getNameCount();
    return n >= 2 ? f.subpath(n - 2, n).toString() : f.toString();
  }
}
