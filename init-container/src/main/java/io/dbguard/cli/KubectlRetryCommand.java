package io.dbguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbguard.core.report.ExitCode;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dbguard kubectl retry NAME}: what docs/operations.md ("Runbook: retry") tells users to do
 * by hand, {@code kubectl annotate dbmig NAME dbguard.io/retry="$(date +%s)" --overwrite}. The
 * patch carries the resourceVersion that was read, so it fails (exit 5, conflict) rather than
 * retrying a migration whose phase changed meanwhile.
 */
@Command(
    name = "retry",
    description =
        "Start a new attempt of the same spec of a DatabaseMigration that ended RolledBack,"
            + " Failed, Blocked or Rejected (sets the dbguard.io/retry annotation).")
final class KubectlRetryCommand implements Callable<Integer> {
  /** The annotation the operator reads (DatabaseMigration.RETRY_ANNOTATION in the operator). */
  static final String ANNOTATION = "dbguard.io/retry";

  /** Phases after which nothing happens without a retry (docs/operations.md). */
  static final Set<String> RETRYABLE = Set.of("RolledBack", "Failed", "Blocked", "Rejected");

  @Spec CommandSpec spec;

  @Mixin KubeOptions kube;

  @Parameters(paramLabel = "NAME", description = "DatabaseMigration name.")
  String name;

  @Option(
      names = "--force",
      description =
          "Retry in any phase: after Succeeded it runs the same migration again (new backup, new"
              + " Jobs); during a run the new attempt supersedes it at the next safe point.")
  boolean force;

  @Override
  public Integer call() {
    return KubectlCommand.run(
        spec,
        kube,
        (api, out) -> {
          JsonNode m = api.migration(name);
          String phase = m.path("status").path("phase").asText("Pending");
          if (!force && !RETRYABLE.contains(phase)) {
            spec.commandLine().getErr().println("dbguard: " + refusal(name, phase));
            return ExitCode.REFUSED.code();
          }
          String previous = m.path("metadata").path("annotations").path(ANNOTATION).asText(null);
          String token = token(Instant.now(), previous);
          api.annotateMigration(m, ANNOTATION, token);
          if (kube.json()) {
            ObjectNode r = KubectlText.JSON.createObjectNode();
            r.put("namespace", api.namespace());
            r.put("name", name);
            r.put("annotation", ANNOTATION);
            r.put("token", token);
            r.put("previousPhase", phase);
            out.println(KubectlText.write(r));
          } else {
            out.println(
                "retry requested: DatabaseMigration "
                    + api.namespace()
                    + "/"
                    + name
                    + " annotated "
                    + ANNOTATION
                    + "="
                    + token
                    + " (was "
                    + phase
                    + "); the operator starts a new attempt. Follow it with: kubectl dbguard"
                    + " status "
                    + name
                    + " -n "
                    + api.namespace());
          }
          out.flush();
          return ExitCode.OK.code();
        });
  }

  /** Why a retry in {@code phase} is refused without {@code --force}. Pure. */
  static String refusal(String name, String phase) {
    String why =
        "Succeeded".equals(phase)
            ? "it succeeded; a retry would run the same migration again (new backup, new Jobs)"
            : "Pending".equals(phase)
                ? "it has not finished an attempt; the operator starts one on its own"
                : "an attempt is running (phase " + phase + "); it ends on its own";
    return "not retrying DatabaseMigration "
        + name
        + ": "
        + why
        + ". Retry is for RolledBack, Failed, Blocked or Rejected; --force retries anyway.";
  }

  /**
   * The annotation value: the epoch second (as {@code date +%s}), made different from {@code
   * previous} (two retries in one second) with a {@code -2}, {@code -3} … suffix. Pure.
   */
  static String token(Instant now, String previous) {
    String base = Long.toString(now.getEpochSecond());
    String t = base;
    for (int i = 2; t.equals(previous); i++) {
      t = base + "-" + i;
    }
    return t;
  }
}
