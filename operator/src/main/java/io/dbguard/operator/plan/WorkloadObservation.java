package io.dbguard.operator.plan;

import io.dbguard.operator.model.WorkloadKind;

/**
 * A workload of {@code spec.rollout.workloads} as the observer saw it.
 *
 * @param kind Deployment or StatefulSet
 * @param name workload name
 * @param exists false when the workload was not found
 * @param replicas its {@code spec.replicas} (0 when it does not exist)
 * @param pods pods matching its selector that are not dbguard's own, terminating ones included (a
 *     terminating pod may still be writing)
 */
public record WorkloadObservation(
    WorkloadKind kind, String name, boolean exists, int replicas, int pods) {

  /** {@code Kind/name}, for messages. */
  public String ref() {
    return kind + "/" + name;
  }
}
