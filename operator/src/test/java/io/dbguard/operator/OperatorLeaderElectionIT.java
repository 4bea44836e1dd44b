package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.act.Conditions;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

/**
 * Two operators installed as the chart installs them with its defaults (leader election on, its
 * ServiceAccount and RBAC): the leader renews its Lease again and again, and when it is stopped the
 * standby takes the Lease over and reconciles.
 */
@WithTestCluster
class OperatorLeaderElectionIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @Test
  void theLeaderRenewsItsLeaseAndAStandbyTakesOver(@TestNamespace String ns) throws Exception {
    String release = "dbguard-le";
    DatabaseMigrationIT.client = client;
    DatabaseMigrationIT.installChartRbac(release, ns);
    String lease = release + "-leader";
    ApiCallRecorder calls = new ApiCallRecorder();
    Operator a = operator(calls, new Main.Lease(lease, ns), ns, release);
    Operator b = operator(calls, new Main.Lease(lease, ns), ns, release);
    a.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> holder(ns, lease) != null);
    b.start();
    String first = holder(ns, lease);

    // Renewed: at least 4 distinct renewTimes by the same holder (the elector renews every 2 s).
    Set<ZonedDateTime> renewals = new ConcurrentSkipListSet<>();
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Lease l = client.leases().inNamespace(ns).withName(lease).get();
              assertThat(l.getSpec().getHolderIdentity()).isEqualTo(first);
              renewals.add(l.getSpec().getRenewTime());
              return renewals.size() >= 4;
            });

    // Kill the leader (which one is unknown: stop both in turn, checking the holder).
    Operator leader = a;
    Operator standby = b;
    // The first started operator took the Lease before the second started.
    leader.stop();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> holder(ns, lease) != null && !first.equals(holder(ns, lease)));
      // The new leader works: a migration with a missing Secret is reported Stalled.
      String app = cluster.createNamespace("le-app");
      DatabaseMigration m =
          DatabaseMigrationIT.pgMigration("shop", "shop:v2", java.util.List.of("true"));
      DatabaseMigrationIT.create(app, m);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                DatabaseMigration x = DatabaseMigrationIT.get(app, "shop");
                var c =
                    x.getStatus() == null
                        ? null
                        : Conditions.find(x.getStatus().getConditions(), Conditions.STALLED);
                return c != null && "True".equals(c.getStatus());
              });
      cluster.deleteNamespace(app);
    } finally {
      standby.stop();
    }
    assertThat(calls.outsidePermissions()).as("API calls outside OperatorPermissions").isEmpty();
    assertThat(calls.calls()).contains("coordination.k8s.io|leases|patch");
  }

  private static Operator operator(
      ApiCallRecorder calls, Main.Lease lease, String ns, String release) {
    return Main.create(
        OperatorConfig.defaults(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        lease,
        Set.of(),
        false,
        calls.wrap(cluster.clientAs(ns, release)),
        new DatabaseMigrationReconciler(OperatorConfig.defaults()));
  }

  private static String holder(String ns, String lease) {
    Lease l = client.leases().inNamespace(ns).withName(lease).get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }
}
