package io.dbguard.operator.act;

import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.plan.ScaleAction;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Scalable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the write fence's {@link ScaleAction}s through the {@code scale} subresource ({@code
 * deployments/scale}, {@code statefulsets/scale}: get and update), which is all the RBAC it needs;
 * the workload's template is never touched. A workload that no longer exists is skipped.
 */
public final class WorkloadScaler {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadScaler.class);

  private final KubernetesClient client;

  public WorkloadScaler(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Sets the replica count of {@code action}'s workload in {@code ns}.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors, e.g. 403 when the
   *     operator lacks the scale subresource (JOSDK retries the reconcile)
   */
  public void apply(String ns, ScaleAction action) {
    Scalable<?> r =
        action.kind() == WorkloadKind.StatefulSet
            ? client.apps().statefulSets().inNamespace(ns).withName(action.name())
            : client.apps().deployments().inNamespace(ns).withName(action.name());
    Scale scale = scaleOf(r);
    if (scale == null) {
      LOG.warn("{}/{} not found: not scaled", action.kind(), action.name());
      return;
    }
    // autoscaling/v1 Scale omits replicas: 0
    int current = scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
    if (current == action.replicas()) {
      return;
    }
    LOG.info(
        "scaling {}/{} from {} to {} replicas",
        action.kind(),
        action.name(),
        current,
        action.replicas());
    scale.getSpec().setReplicas(action.replicas());
    scaleTo(r, scale);
  }

  private static Scale scaleOf(Scalable<?> r) {
    try {
      return r.scale();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static void scaleTo(Scalable<?> r, Scale scale) {
    r.scale(scale);
  }
}
