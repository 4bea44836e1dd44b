package io.dbguard.chart;

import static io.dbguard.chart.ChartFixture.ofKind;
import static io.dbguard.chart.ChartFixture.renderObjects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PrometheusRule is off by default; on, it pages on a failed restore and warns on a rollback,
 * on a backup or snapshot that failed verification, on writes a restore discarded and on a rollout
 * held back for an hour. Alerts are found by name, not by their position in the file. (That its
 * series exist with these labels is PromQlReferencesTest's and OperatorMetricsIT's job, on real
 * scrapes.)
 */
class ChartPrometheusRuleTest {

  @Test
  void offByDefault() {
    assertThat(ofKind(renderObjects("dbguard", "dbguard-system", ""), "PrometheusRule")).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void restoreFailedPagesAndRollbackFailedVerificationDiscardedWritesAndStuckMigrationsWarn() {
    List<HasMetadata> rules =
        ofKind(
            renderObjects(
                "dbguard",
                "dbguard-system",
                "metrics:\n  prometheusRule:\n    enabled: true\n    labels: {release: prom}\n"),
            "PrometheusRule");
    assertThat(rules).hasSize(1);
    GenericKubernetesResource rule = (GenericKubernetesResource) rules.get(0);
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getNamespace()).isEqualTo("dbguard-system");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prom");
    Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    List<Map<String, Object>> groups = (List<Map<String, Object>>) spec.get("groups");
    List<Map<String, Object>> alerts = (List<Map<String, Object>>) groups.get(0).get("rules");
    assertThat(alerts)
        .extracting(
            a -> a.get("alert"), a -> ((Map<String, Object>) a.get("labels")).get("severity"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("DbguardRestoreFailed", "critical"),
            org.assertj.core.groups.Tuple.tuple("DbguardMigrationRolledBack", "warning"),
            org.assertj.core.groups.Tuple.tuple("DbguardBackupVerificationFailed", "warning"),
            org.assertj.core.groups.Tuple.tuple("DbguardWritesDiscarded", "warning"),
            org.assertj.core.groups.Tuple.tuple("DbguardMigrationStuck", "warning"));
    assertThat(alert(alerts, "DbguardRestoreFailed").get("expr"))
        .isEqualTo("increase(dbguard_restores_total{result=\"failed\"}[15m]) > 0");
    assertThat(alert(alerts, "DbguardMigrationRolledBack").get("expr"))
        .isEqualTo("increase(dbguard_migrations_total{result=\"rolledback\"}[15m]) > 0");
    assertThat(alert(alerts, "DbguardBackupVerificationFailed").get("expr"))
        .isEqualTo("increase(dbguard_backup_verifications_total{result=\"failed\"}[15m]) > 0");
    assertThat(alert(alerts, "DbguardWritesDiscarded").get("expr"))
        .isEqualTo("increase(dbguard_writes_after_backup_total[15m]) > 0");
    assertThat(alert(alerts, "DbguardMigrationStuck").get("expr"))
        .isEqualTo("max(dbguard_rollouts_blocked) > 0");
    assertThat(alert(alerts, "DbguardMigrationStuck").get("for")).isEqualTo("1h");
    assertThat(alerts)
        .allSatisfy(
            a ->
                assertThat(((Map<String, Object>) a.get("annotations")).get("description"))
                    .asString()
                    .isNotBlank());
  }

  /** The rule named {@code name}; fails the test when there is none. */
  private static Map<String, Object> alert(List<Map<String, Object>> alerts, String name) {
    return alerts.stream()
        .filter(a -> name.equals(a.get("alert")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no alert " + name));
  }
}
