package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.setUpSqlite;
import static io.dbguard.operator.DatabaseMigrationIT.sqliteMigration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A namespace with a ResourceQuota on CPU and memory and no LimitRange admits only pods whose every
 * container, init containers included, states its requests and limits. The operator configured
 * exactly as the chart's Deployment configures it (its environment, its ServiceAccount and RBAC)
 * runs a migration there: every step Job's pod is admitted and the migration succeeds.
 */
@WithTestCluster
class ResourceQuotaIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.cluster = cluster;
    WriteFenceIT.client = client;
    DatabaseMigrationIT.mapImages(cluster);
  }

  @Test
  void stepJobsOfTheChartInstalledOperatorAreAdmittedUnderAQuotaWithoutALimitRange(
      @TestNamespace String ns) throws Exception {
    quota(ns);
    // the rig enforces the quota: a pod that states no resources is refused
    assertThatThrownBy(
            () ->
                client
                    .pods()
                    .inNamespace(ns)
                    .resource(
                        new PodBuilder()
                            .withNewMetadata()
                            .withName("no-resources")
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("c")
                            .withImage("busybox")
                            .withCommand("true")
                            .endContainer()
                            .endSpec()
                            .build())
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("must specify");

    setUpSqlite(ns);
    Operator op = chartConfiguredOperator(ns);
    try {
      DatabaseMigrationIT.create(
          ns,
          sqliteMigration(
              "shop",
              "shop:1.0",
              "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE orders(id INTEGER)\""));
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems();
      assertThat(jobs).isNotEmpty();
      for (Job j : jobs) {
        List<Container> all = new ArrayList<>(j.getSpec().getTemplate().getSpec().getContainers());
        all.addAll(j.getSpec().getTemplate().getSpec().getInitContainers());
        for (Container c : all) {
          assertThat(c.getResources().getRequests())
              .as(j.getMetadata().getName() + "/" + c.getName())
              .containsKeys("cpu", "memory");
          assertThat(c.getResources().getLimits())
              .as(j.getMetadata().getName() + "/" + c.getName())
              .containsKey("memory");
        }
      }
    } finally {
      op.stop();
    }
  }

  /** CPU and memory requests and memory limits capped; no LimitRange supplies defaults. */
  static void quota(String ns) {
    client
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("compute")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withHard(
                    Map.of(
                        "requests.cpu", new Quantity("8"),
                        "requests.memory", new Quantity("16Gi"),
                        "limits.memory", new Quantity("32Gi")))
                .endSpec()
                .build())
        .create();
    // admission counts against a quota only once its controller has written status.hard
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ResourceQuota q = client.resourceQuotas().inNamespace(ns).withName("compute").get();
              return q.getStatus() != null
                  && q.getStatus().getHard() != null
                  && !q.getStatus().getHard().isEmpty();
            });
  }

  /**
   * The operator with the configuration the chart's Deployment gives it (its container's
   * environment, as rendered with the chart's defaults), as the chart's ServiceAccount.
   */
  static Operator chartConfiguredOperator(String ns) {
    return WriteFenceIT.chartOperator(ns, chartConfig(ns));
  }

  /**
   * Applies the chart's namespaced install in {@code ns} ({@link WriteFenceIT#applyChart}) and
   * returns the configuration its Deployment gives the operator (its container's environment, as
   * rendered with the chart's defaults).
   */
  static OperatorConfig chartConfig(String ns) {
    Map<String, String> env = new HashMap<>();
    for (HasMetadata o : WriteFenceIT.applyChart(ns)) {
      if (o instanceof Deployment d) {
        for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
          if (e.getValue() != null) {
            env.put(e.getName(), e.getValue());
          }
        }
      }
    }
    assertThat(env).containsKey("DBGUARD_JOB_RESOURCES");
    return OperatorConfig.fromEnv(env);
  }
}
