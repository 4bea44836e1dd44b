package io.dbguard.operator.observe;

import io.dbguard.operator.act.Labels;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.operator.plan.WorkloadObservation;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the replica count and the live pods of each workload in {@code spec.rollout.workloads}, for
 * the write fence. Reads only; straight from the API server, not a cache, because the fence waits
 * on exactly these numbers.
 */
final class WorkloadObserver {
  private final KubernetesClient client;

  WorkloadObserver(KubernetesClient client) {
    this.client = client;
  }

  /**
   * One observation per listed workload, in spec order.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  List<WorkloadObservation> observe(String ns, DatabaseMigrationSpec spec) {
    List<WorkloadObservation> out = new ArrayList<>();
    if (spec.getRollout() == null || spec.getRollout().getWorkloads() == null) {
      return out;
    }
    for (WorkloadRef ref : spec.getRollout().getWorkloads()) {
      if (ref.getKind() == null || ref.getName() == null) {
        continue;
      }
      Integer replicas;
      LabelSelector selector;
      if (ref.getKind() == WorkloadKind.StatefulSet) {
        var s = client.apps().statefulSets().inNamespace(ns).withName(ref.getName()).get();
        replicas = s == null ? null : s.getSpec().getReplicas();
        selector = s == null ? null : s.getSpec().getSelector();
      } else {
        var d = client.apps().deployments().inNamespace(ns).withName(ref.getName()).get();
        replicas = d == null ? null : d.getSpec().getReplicas();
        selector = d == null ? null : d.getSpec().getSelector();
      }
      if (selector == null) {
        out.add(new WorkloadObservation(ref.getKind(), ref.getName(), false, 0, 0));
        continue;
      }
      out.add(
          new WorkloadObservation(
              ref.getKind(),
              ref.getName(),
              true,
              replicas == null ? 1 : replicas,
              pods(ns, selector)));
    }
    return out;
  }

  /** Pods matching {@code selector} that are not dbguard's step pods, terminating ones included. */
  private int pods(String ns, LabelSelector selector) {
    int n = 0;
    for (Pod p : client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems()) {
      boolean ours =
          p.getMetadata().getLabels() != null
              && Labels.MANAGED_BY_VALUE.equals(p.getMetadata().getLabels().get(Labels.MANAGED_BY));
      boolean ended =
          p.getStatus() != null
              && ("Succeeded".equals(p.getStatus().getPhase())
                  || "Failed".equals(p.getStatus().getPhase()));
      if (!ours && !ended) {
        n++;
      }
    }
    return n;
  }
}
