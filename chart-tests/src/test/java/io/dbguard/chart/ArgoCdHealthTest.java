package io.dbguard.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.gitops.ArgoCdHealthScript;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code helm/dbguard/files/argocd-health.lua} in a Lua VM the way Argo CD does: the resource
 * as the global {@code obj}, the chunk returns {@code {status, message}}.
 */
class ArgoCdHealthTest {

  @Test
  void noStatusYetIsProgressing() {
    assertThat(health(Map.of("metadata", Map.of("generation", 1))))
        .containsEntry("status", "Progressing");
  }

  @Test
  void readyTrueForTheCurrentGenerationIsHealthy() {
    Map<String, String> hs =
        health(
            migration(
                2,
                "Succeeded",
                cond("Ready", "True", 2, "Succeeded", "migrated shop:v2"),
                cond("Stalled", "False", 2, "Succeeded", "")));
    assertThat(hs).containsEntry("status", "Healthy");
    assertThat(hs.get("message")).contains("migrated shop:v2");
  }

  @Test
  void readyTrueOfAnOlderGenerationIsStillProgressing() {
    // The spec changed (generation 3) and the operator has not looked at it yet.
    assertThat(health(migration(3, "Succeeded", cond("Ready", "True", 2, "Succeeded", ""))))
        .containsEntry("status", "Progressing");
  }

  @Test
  void aFailedStatusOfAnOlderGenerationIsProgressing() {
    // A fix was committed (generation 2) after attempt 1 rolled back; the operator has not looked
    // at it yet. Argo CD must wait, not fail the sync on the old attempt's outcome.
    for (String phase :
        List.of("RolledBack", "Failed", "Rejected", "Blocked", "AwaitingApproval")) {
      Map<String, Object> obj =
          Map.of(
              "metadata",
              Map.of("name", "shop", "generation", 2L),
              "status",
              Map.of(
                  "phase",
                  phase,
                  "observedGeneration",
                  1L,
                  "conditions",
                  List.of(
                      cond("Ready", "False", 1, phase, "attempt 1"),
                      cond("Stalled", "True", 1, phase, "attempt 1"))));
      assertThat(health(obj)).as(phase).containsEntry("status", "Progressing");
    }
  }

  @Test
  void stalledIsDegradedWithTheReason() {
    Map<String, String> hs =
        health(
            migration(
                1,
                "Pending",
                cond("Ready", "False", 1, "InvalidSpec", "x"),
                cond("Stalled", "True", 1, "InvalidSpec", "spec.database.secretRef missing")));
    assertThat(hs).containsEntry("status", "Degraded");
    assertThat(hs.get("message")).isEqualTo("InvalidSpec: spec.database.secretRef missing");
  }

  @Test
  void terminalFailurePhasesAreDegraded() {
    for (String phase : List.of("RolledBack", "Failed", "Rejected", "Blocked")) {
      assertThat(health(migration(1, phase, cond("Ready", "False", 1, phase, "why"))))
          .as(phase)
          .containsEntry("status", "Degraded");
    }
  }

  @Test
  void runningPhasesAreProgressing() {
    for (String phase :
        List.of(
            "Pending",
            "Planning",
            "Analyzing",
            "BackingUp",
            "Migrating",
            "Verifying",
            "Seeding",
            "Restoring")) {
      assertThat(
              health(
                  migration(
                      1,
                      phase,
                      cond("Ready", "False", 1, phase, "running"),
                      cond("Reconciling", "True", 1, phase, "running"))))
          .as(phase)
          .containsEntry("status", "Progressing");
    }
  }

  @Test
  void awaitingApprovalIsSuspendedWithTheApproveCommand() {
    Map<String, String> hs =
        health(
            migration(
                1,
                "AwaitingApproval",
                cond(
                    "Ready",
                    "False",
                    1,
                    "AwaitingApproval",
                    "plan of revision 85fa4023 is in status.plan; approve it with `kubectl annotate"
                        + " dbmig shop dbguard.io/approve=85fa4023 --overwrite`"),
                cond("Reconciling", "True", 1, "AwaitingApproval", "waiting"),
                cond("Stalled", "False", 1, "AwaitingApproval", "waiting")));
    assertThat(hs).containsEntry("status", "Suspended");
    assertThat(hs.get("message"))
        .startsWith("AwaitingApproval: ")
        .contains("dbguard.io/approve=85fa4023");
  }

  @Test
  void approvalTimedOutIsDegraded() {
    assertThat(
            health(
                migration(
                    1,
                    "Blocked",
                    cond("Ready", "False", 1, "ApprovalTimedOut", "not approved within 3600 s"),
                    cond("Stalled", "False", 1, "ApprovalTimedOut", "x"))))
        .containsEntry("status", "Degraded");
  }

  @SafeVarargs
  private static Map<String, Object> migration(
      long generation, String phase, Map<String, Object>... conditions) {
    return Map.of(
        "apiVersion",
        "dbguard.io/v1alpha1",
        "kind",
        "DatabaseMigration",
        "metadata",
        Map.of("name", "shop", "generation", generation),
        "status",
        Map.of(
            "phase", phase, "observedGeneration", generation, "conditions", List.of(conditions)));
  }

  private static Map<String, Object> cond(
      String type, String status, long observedGeneration, String reason, String message) {
    return Map.of(
        "type", type,
        "status", status,
        "observedGeneration", observedGeneration,
        "reason", reason,
        "message", message);
  }

  private static Map<String, String> health(Map<String, Object> obj) {
    return ArgoCdHealthScript.evaluate(obj);
  }
}
