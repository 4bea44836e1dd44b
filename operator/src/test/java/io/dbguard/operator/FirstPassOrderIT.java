package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The writes of a new migration's first pass, in the order the API server receives them: the status
 * (the attempt's intent, write-ahead) first, then the backup Job, then the phase-change Event. The
 * Event is best effort and comes after the Job so that it does not delay the Job; the status before
 * the Job is the safety rule (an operator that stops in between resumes from status).
 */
@WithTestCluster
class FirstPassOrderIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @Test
  void statusThenJobThenEvent(@TestNamespace String ns) throws Exception {
    DatabaseMigrationIT.client = client;
    DatabaseMigrationIT.cluster = cluster;
    WriteFenceIT.client = client;
    WriteFenceIT.cluster = cluster;
    // the operator as the chart installs it: its Deployment's configuration, its ServiceAccount
    OperatorConfig config = ResourceQuotaIT.chartConfig(ns);
    ApiCallRecorder calls = new ApiCallRecorder();
    Operator operator =
        Main.create(
            config,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            null,
            Set.of(ns),
            false,
            calls.wrap(cluster.clientAs(ns, "dbguard")),
            new DatabaseMigrationReconciler(config));
    operator.start();
    try {
      DatabaseMigrationIT.setUpSqlite(ns);
      calls.startLog();
      DatabaseMigrationIT.create(
          ns, DatabaseMigrationIT.sqliteMigration("first", "shop:v2", "true"));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  !client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty()
                      && client.v1().events().inNamespace(ns).list().getItems().stream()
                          .anyMatch(e -> "first".equals(e.getInvolvedObject().getName())));
      List<String> log = calls.logged();
      int status =
          first(log, "dbguard.io|databasemigrations/status|update /apis/dbguard.io/v1alpha1/");
      int job = first(log, "batch|jobs|create ");
      int event = first(log, "|events|create ");
      assertThat(status).as("status write in %s", log).isNotNegative();
      assertThat(job).as("Job create after the status write, in %s", log).isGreaterThan(status);
      assertThat(event).as("Event create after the Job create, in %s", log).isGreaterThan(job);
    } finally {
      operator.stop();
    }
  }

  private static int first(List<String> log, String prefix) {
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
