package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Job controller drives Jobs whose pods the local node runs. */
@WithTestCluster
class JobLifecycleIT {

  static Job job(String name, long deadlineSeconds, String... command) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadlineSeconds)
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("busybox:1.36")
        .withCommand(List.of(command))
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static JobCondition awaitCondition(KubernetesClient client, String ns, String name) {
    JobCondition[] found = new JobCondition[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Job j = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
              if (j == null || j.getStatus() == null || j.getStatus().getConditions() == null) {
                return false;
              }
              for (JobCondition c : j.getStatus().getConditions()) {
                if (("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                    && "True".equals(c.getStatus())) {
                  found[0] = c;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

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
        .resource(job("ok", 60, "sh", "-c", "exit 0"))
        .create();

    JobCondition c = awaitCondition(client, ns, "ok");

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
        .resource(job("bad", 60, "sh", "-c", "exit 1"))
        .create();

    JobCondition c = awaitCondition(client, ns, "bad");

    assertThat(c.getType()).isEqualTo("Failed");
    assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded");
    Pod pod = onlyPod(client, ns, "bad");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated t =
        pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(t.getExitCode()).isEqualTo(1);
    assertThat(t.getReason()).isEqualTo("Error");
  }
}
