package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds container statuses and writes a pod's whole status, as the kubelet does. */
final class PodStatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

  private PodStatusWriter() {}

  static io.fabric8.kubernetes.api.model.ContainerStatus waiting(
      Container c, String reason, String message, int restarts) {
    return new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withReady(false)
        .withStarted(false)
        .withRestartCount(restarts)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  /** Writes the whole pod status. Errors (pod gone) are logged at debug level. */
  /** Writes the whole pod status. Errors (pod gone) are logged at debug level. */
  static void write(
      KubernetesClient client,
      Pod pod,
      String startTime,
      List<ContainerStatus> init,
      List<ContainerStatus> main,
      String phase,
      String reason,
      String message) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    boolean initialized =
        init.stream()
            .allMatch(
                s ->
                    s.getState().getTerminated() != null
                        && s.getState().getTerminated().getExitCode() == 0);
    boolean ready =
        "Running".equals(phase) && main.stream().allMatch(s -> s.getState().getRunning() != null);
    String now = LocalNode.now();
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .pods()
            .inNamespace(namespace)
            .withName(name)
            .editStatus(
                p -> {
                  if (!uid.equals(p.getMetadata().getUid())) {
                    return p;
                  }
                  p.setStatus(
                      new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                          .withPhase(phase)
                          .withReason(reason)
                          .withMessage(message)
                          .withHostIP("127.0.0.1")
                          .withPodIP("127.0.0.1")
                          .addNewPodIP("127.0.0.1")
                          .withStartTime(startTime)
                          .withQosClass("BestEffort")
                          .addNewCondition()
                          .withType("PodScheduled")
                          .withStatus("True")
                          .withLastTransitionTime(startTime)
                          .endCondition()
                          .addNewCondition()
                          .withType("Initialized")
                          .withStatus(initialized ? "True" : "False")
                          .withLastTransitionTime(now)
                          .endCondition()
                          .addNewCondition()
                          .withType("ContainersReady")
                          .withStatus(ready ? "True" : "False")
                          .withLastTransitionTime(now)
                          .endCondition()
                          .addNewCondition()
                          .withType("Ready")
                          .withStatus(ready ? "True" : "False")
                          .withLastTransitionTime(now)
                          .endCondition()
                          .withInitContainerStatuses(init)
                          .withContainerStatuses(main)
                          .build());
                  return p;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404 || attempt == 5) {
          if (e.getCode() != 404) {
            LOG.warn("status of pod {}/{} not written: {}", namespace, name, e.getMessage());
          }
          return;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
