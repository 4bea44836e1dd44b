package io.dbguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbguard.core.report.ExitCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dbguard kubectl approve NAME}: approves the recorded plan of a DatabaseMigration that
 * waits in phase {@code AwaitingApproval} ({@code spec.approval}, docs/operations.md "Approving a
 * plan"), by what the docs tell users to do by hand: {@code kubectl annotate dbmig NAME
 * dbguard.io/approve=<status.revision> --overwrite}. It prints the plan it approves first. The
 * value is the revision read with the plan, and the patch carries that read's resourceVersion: when
 * the migration changed meanwhile (a new revision, a new plan) the patch fails with a conflict
 * (exit 5) instead of approving something not shown; an approval of an old revision is ignored by
 * the operator anyway.
 */
@Command(
    name = "approve",
    description =
        "Approve the plan of a DatabaseMigration waiting in AwaitingApproval (sets"
            + " dbguard.io/approve to the revision the plan was made for).")
final class KubectlApproveCommand implements Callable<Integer> {
  /** The annotation the operator reads (DatabaseMigration.APPROVE_ANNOTATION in the operator). */
  static final String ANNOTATION = "dbguard.io/approve";

  @Spec CommandSpec spec;

  @Mixin KubeOptions kube;

  @Parameters(paramLabel = "NAME", description = "DatabaseMigration name.")
  String name;

  @Option(
      names = "--revision",
      paramLabel = "REV",
      description =
          "Approve only if the waiting plan is for this revision (as shown by `status`); refused"
              + " otherwise.")
  String revision;

  @Override
  public Integer call() {
    return KubectlCommand.run(
        spec,
        kube,
        (api, out) -> {
          JsonNode m = api.migration(name);
          String phase = m.path("status").path("phase").asText("Pending");
          String current = m.path("status").path("revision").asText(null);
          String refusal = refusal(name, phase, current, revision);
          if (refusal != null) {
            spec.commandLine().getErr().println("dbguard: " + refusal);
            return ExitCode.REFUSED.code();
          }
          JsonNode plan = m.path("status").path("plan");
          api.annotateMigration(m, ANNOTATION, current);
          if (kube.json()) {
            ObjectNode r = KubectlText.JSON.createObjectNode();
            r.put("namespace", api.namespace());
            r.put("name", name);
            r.put("annotation", ANNOTATION);
            r.put("revision", current);
            r.set("plan", plan);
            out.println(KubectlText.write(r));
          } else {
            printPlan(out, plan);
            out.println(
                "approved: DatabaseMigration "
                    + api.namespace()
                    + "/"
                    + name
                    + " revision "
                    + current
                    + " ("
                    + ANNOTATION
                    + "="
                    + current
                    + "); the operator goes on with this revision only. Follow it with: kubectl"
                    + " dbguard status "
                    + name
                    + " -n "
                    + api.namespace());
          }
          out.flush();
          return ExitCode.OK.code();
        });
  }

  /**
   * Why approving is refused, or null when it may proceed. Pure.
   *
   * @param phase the migration's {@code status.phase}
   * @param current its {@code status.revision}, or null
   * @param wanted {@code --revision}, or null
   */
  static String refusal(String name, String phase, String current, String wanted) {
    if (!"AwaitingApproval".equals(phase) || current == null) {
      return "not approving DatabaseMigration "
          + name
          + ": it is not waiting for an approval (phase "
          + phase
          + "). Only a plan in phase AwaitingApproval can be approved.";
    }
    if (wanted != null && !wanted.equals(current)) {
      return "not approving DatabaseMigration "
          + name
          + ": the waiting plan is for revision "
          + current
          + ", not "
          + wanted
          + " (the spec changed since); read it with `kubectl dbguard status "
          + name
          + "` and approve that one.";
    }
    return null;
  }

  /** The plan's summary lines, as recorded in {@code status.plan}. */
  static void printPlan(PrintWriter out, JsonNode plan) {
    if (plan == null || plan.isMissingNode() || plan.isNull()) {
      return;
    }
    out.println("plan: " + plan.path("summary").asText("(no summary recorded)"));
    if (plan.has("pending")) {
      out.println("  pending: " + String.join(", ", texts(plan.path("pending"))));
    }
    if (plan.has("roleWarnings")) {
      for (String w : texts(plan.path("roleWarnings"))) {
        out.println("  role: " + w);
      }
    }
  }

  private static java.util.List<String> texts(JsonNode array) {
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
