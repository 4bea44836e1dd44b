package io.dbguard.operator.observe;

import io.dbguard.operator.act.Labels;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.operator.plan.WorkloadObservation;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the replica count and the live pods of each workload in {@code spec.rollout.workloads}, for
 * the write fence, from the informer caches. One exception: while the fence goes up ({@code
 * status.fence.state} {@code Fencing}) the pods are listed from the API server, because the fence
 * is declared up on exactly that count and a cache could still miss a pod created just before the
 * scale-down. Once {@code Fenced}, a pod the cache shows late is a breach found late, not a fence
 * declared too early. Reads only.
 */
final class WorkloadObserver {
  private final KubernetesClient client;
  private final InformedCaches caches;

  WorkloadObserver(KubernetesClient client, InformedCaches caches) {
    this.client = client;
    this.caches = caches;
  }

  /**
   * One observation per listed workload, in spec order.
   *
   * @param status the DatabaseMigration's status as read (null before the first write)
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  List<WorkloadObservation> observe(
      String ns, DatabaseMigrationSpec spec, DatabaseMigrationStatus status) {
    boolean fencing =
        status != null
            && status.getFence() != null
            && status.getFence().getState() == FenceState.Fencing;
    List<WorkloadObservation> out = new ArrayList<>();
    if (spec.getRollout() == null || spec.getRollout().getWorkloads() == null) {
      return out;
    }
    for (WorkloadRef ref : spec.getRollout().getWorkloads()) {
      if (ref.getKind() == null || ref.getName() == null) {
        continue;
      }
      InformedCaches.Workload w = caches.workload(ns, ref.getKind(), ref.getName());
      Integer replicas = w == null ? null : w.replicas();
      LabelSelector selector = w == null ? null : w.selector();
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
              count(
                  fencing
                      ? client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems()
                      : caches.pods(ns, selector))));
    }
    return out;
  }

  /** Of {@code pods}, those that are not dbguard's step pods and have not ended. */
  static int count(List<Pod> pods) {
    int n = 0;
    for (Pod p : pods) {
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
