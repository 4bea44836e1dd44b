package io.dbguard.testcluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Small builders and waits shared by the rig's tests. */
final class Fixtures {
  private Fixtures() {}

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

  /** A run-once pod of busybox running {@code sh -c script}. */
  static PodBuilder shellPod(String name, String script) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("busybox:1.36")
        .withCommand("sh", "-c", script)
        .endContainer()
        .endSpec();
  }

  /** Waits (60 s) until the Job has condition Complete or Failed = True and returns it. */
  static JobCondition awaitFinished(KubernetesClient client, String ns, String name) {
    AtomicReference<JobCondition> found = new AtomicReference<>();
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
                  found.set(c);
                  return true;
                }
              }
              return false;
            });
    return found.get();
  }

  /** Waits (60 s) until the pod is Succeeded or Failed and returns it. */
  static Pod awaitPodDone(KubernetesClient client, String ns, String name) {
    AtomicReference<Pod> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Pod p = client.pods().inNamespace(ns).withName(name).get();
              if (p != null
                  && p.getStatus() != null
                  && ("Succeeded".equals(p.getStatus().getPhase())
                      || "Failed".equals(p.getStatus().getPhase()))) {
                found.set(p);
                return true;
              }
              return false;
            });
    return found.get();
  }

  static ContainerStateTerminated terminated(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }
}
