package io.dbguard.operator.act;

import io.dbguard.operator.observe.SnapshotObserver;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Deletes the VolumeSnapshots retention pruned ({@code snapshot.storage.k8s.io/v1}), each only once
 * it is listed in {@code status.retention.prune}. Delete-if-present: a snapshot already gone counts
 * as deleted, so a restarted operator repeats the call safely. The VolumeSnapshotContent is never
 * touched: its {@code deletionPolicy} decides whether the storage system deletes the data.
 */
public final class SnapshotPruner {
  private final KubernetesClient client;

  public SnapshotPruner(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Deletes the VolumeSnapshot {@code namespace/name}.
   *
   * @return true when this call deleted it, false when it was already gone
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public boolean delete(String namespace, String name) {
    return !client
        .genericKubernetesResources(SnapshotObserver.VOLUME_SNAPSHOT)
        .inNamespace(namespace)
        .withName(name)
        .delete()
        .isEmpty();
  }
}
