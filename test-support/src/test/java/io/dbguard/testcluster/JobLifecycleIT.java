package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Job controller drives Jobs whose pods the local node runs. */
@WithTestCluster
class JobLifecycleIT {

  static Pod onlyPod(KubernetesClient client, String ns, String job) {
    List<Pod> pods = client.pods().inNamespace(ns).withLabel("job-name", job).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  @Test
  void exitZeroCompletesTheJob(KubernetesClient client, @TestNamespace String ns) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(Fixtures.job("ok", 60, "sh", "-c", "exit 0"))
        .create();

    JobCondition c = Fixtures.awaitFinished(client, ns, "ok");

    assertThat(c.getType()).isEqualTo("Complete");
    Pod pod = onlyPod(client, ns, "ok");
    assertThat(pod.getSpec().getNodeName()).isEqualTo(LocalNode.NODE_NAME);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStateTerminated t =
        pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(t.getExitCode()).isZero();
    assertThat(t.getReason()).isEqualTo("Completed");
  }

  @Test
  void exitOneFailsTheJobWithBackoffLimitZero(KubernetesClient client, @TestNamespace String ns) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(Fixtures.job("bad", 60, "sh", "-c", "exit 1"))
        .create();

    JobCondition c = Fixtures.awaitFinished(client, ns, "bad");

    assertThat(c.getType()).isEqualTo("Failed");
    assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded");
    Pod pod = onlyPod(client, ns, "bad");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated t =
        pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(t.getExitCode()).isEqualTo(1);
    assertThat(t.getReason()).isEqualTo("Error");
  }

  @Test
  void activeDeadlineEndsASleepingPodAndKillsItsProcess(
      KubernetesClient client, LocalNode node, @TestNamespace String ns) {
    long t0 = System.nanoTime();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(Fixtures.job("slow", 3, "sh", "-c", "echo started; sleep 300"))
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> node.logs(ns, onlyPod(client, ns, "slow").getMetadata().getName(), "main"),
            log -> log.contains("started"));
    String podName = onlyPod(client, ns, "slow").getMetadata().getName();

    JobCondition c = Fixtures.awaitFinished(client, ns, "slow");

    assertThat(c.getType()).isEqualTo("Failed");
    assertThat(c.getReason()).isEqualTo("DeadlineExceeded");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
    // The Job controller deletes the active pod; the node stops its process and removes it.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.pods().inNamespace(ns).withName(podName).get() == null);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        ProcessHandle.current()
                            .descendants()
                            .filter(
                                p ->
                                    p.info()
                                        .commandLine()
                                        .orElse("")
                                        .contains("echo started; sleep 300")))
                    .isEmpty());
  }

  @Test
  void deletingTheOwnerGarbageCollectsItsJobs(KubernetesClient client, @TestNamespace String ns) {
    // Owner of a CRD kind (installed before the controller-manager started, like ours).
    VolumeSnapshot owner =
        client
            .resources(VolumeSnapshot.class)
            .inNamespace(ns)
            .resource(
                new VolumeSnapshotBuilder()
                    .withNewMetadata()
                    .withName("owner")
                    .endMetadata()
                    .withNewSpec()
                    .withNewSource()
                    .withPersistentVolumeClaimName("does-not-exist")
                    .endSource()
                    .endSpec()
                    .build())
            .create();
    Job job = Fixtures.job("owned", 60, "sh", "-c", "exit 0");
    job.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("snapshot.storage.k8s.io/v1")
                    .withKind("VolumeSnapshot")
                    .withName("owner")
                    .withUid(owner.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    client.batch().v1().jobs().inNamespace(ns).resource(job).create();
    Fixtures.awaitFinished(client, ns, "owned");
    assertThat(client.pods().inNamespace(ns).withLabel("job-name", "owned").list().getItems())
        .isNotEmpty();

    client.resources(VolumeSnapshot.class).inNamespace(ns).withName("owner").delete();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.batch().v1().jobs().inNamespace(ns).withName("owned").get() == null);
    // ... and the Job's pods, owned by the Job.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                    .pods()
                    .inNamespace(ns)
                    .withLabel("job-name", "owned")
                    .list()
                    .getItems()
                    .isEmpty());
  }

  @Test
  void ttlSecondsAfterFinishedDeletesAFinishedJob(
      KubernetesClient client, @TestNamespace String ns) {
    Job job = Fixtures.job("ttl", 60, "sh", "-c", "exit 0");
    job.getSpec().setTtlSecondsAfterFinished(1);
    client.batch().v1().jobs().inNamespace(ns).resource(job).create();
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns)
                .withName("ttl")
                .get()
                .getSpec()
                .getTtlSecondsAfterFinished())
        .as("field kept: TTLAfterFinished feature gate is on")
        .isEqualTo(1);

    // The TTL controller only deletes finished Jobs; with a 1 s TTL the Job may be gone before a
    // poll sees its Complete condition, so wait for the deletion itself.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> client.batch().v1().jobs().inNamespace(ns).withName("ttl").get() == null);
  }
}
