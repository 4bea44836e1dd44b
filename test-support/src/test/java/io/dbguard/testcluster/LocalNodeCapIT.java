package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link LocalNode#maxRunningPods}: pods over the cap wait in Pending until a slot frees. */
@WithTestCluster
class LocalNodeCapIT {
  static LocalNode node;
  static KubernetesClient client;

  @Test
  void aPodOverTheCapStartsOnlyWhenARunningOneHasEnded(@TestNamespace String ns) {
    node.maxRunningPods(1);
    client.pods().inNamespace(ns).resource(Fixtures.shellPod("first", "sleep 3").build()).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> node.runningPods() == 1);
    client.pods().inNamespace(ns).resource(Fixtures.shellPod("second", "true").build()).create();
    client.pods().inNamespace(ns).resource(Fixtures.shellPod("deleted", "true").build()).create();
    // bound to the node, but not started while "first" runs
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pod(ns, "second").getSpec().getNodeName() != null);
    assertThat(pod(ns, "second").getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod(ns, "second").getStatus().getContainerStatuses()).isNullOrEmpty();
    assertThat(node.runningPods()).isEqualTo(1);
    // a waiting pod that is deleted never starts
    client.pods().inNamespace(ns).withName("deleted").delete();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Succeeded".equals(pod(ns, "second").getStatus().getPhase()));
    Instant firstEnded = Instant.parse(terminated(ns, "first").getFinishedAt());
    Instant secondStarted = Instant.parse(terminated(ns, "second").getStartedAt());
    assertThat(secondStarted).isAfterOrEqualTo(firstEnded);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.pods().inNamespace(ns).withName("deleted").get() == null);
    assertThat(node.runningPods()).isZero();
  }

  private static Pod pod(String ns, String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  private static ContainerStateTerminated terminated(String ns, String name) {
    return pod(ns, name).getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }
}
