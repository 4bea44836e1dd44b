package io.dbguard.operator.observe;

import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.SnapshotStatus;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.SnapshotObservation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/**
 * Reads the VolumeSnapshot recorded in {@code status.snapshot} ({@code snapshot.storage.k8s.io/v1},
 * as a generic resource: the operator carries no snapshot client) and whether the claim provisioned
 * from it exists. Reads only.
 *
 * <p>The claim comes from the claims cache ({@link InformedCaches}): only the deletion of the
 * temporary claim when the attempt has ended rests on it, and a cache that lags either way only
 * delays or repeats that delete-if-present (the claim's creation and deletion wake the migration).
 * The VolumeSnapshot is read by name from the API server, and only while the attempt runs (a phase
 * of {@link MigrationPlanner#RUNNING}): the snapshot step waits on it and decides to go on, fail or
 * report it gone from that read, never from a cache. Once the attempt has ended nothing decides
 * from it, so a finished migration makes no request for it ({@link SnapshotObservation#notRead}).
 */
public final class SnapshotObserver {
  /** The VolumeSnapshot resource of the external-snapshotter's v1 API. */
  public static final ResourceDefinitionContext VOLUME_SNAPSHOT =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind("VolumeSnapshot")
          .withPlural("volumesnapshots")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;
  private final InformedCaches caches;

  /**
   * @param client for the GET of the VolumeSnapshot while the attempt runs
   * @param caches the claims cache, for the temporary claim
   */
  public SnapshotObserver(KubernetesClient client, InformedCaches caches) {
    this.client = client;
    this.caches = caches;
  }

  /**
   * The observation of {@code status.snapshot}, or null when none is recorded. The VolumeSnapshot
   * is read only while {@code status.phase} is a running phase; otherwise the observation says it
   * was not read.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public SnapshotObservation observe(String namespace, DatabaseMigrationStatus status) {
    SnapshotStatus rec = status == null ? null : status.getSnapshot();
    if (rec == null || rec.getName() == null) {
      return null;
    }
    boolean copyExists =
        rec.getCopyClaim() != null
            && caches.exists(namespace, "PersistentVolumeClaim/" + rec.getCopyClaim());
    if (status.getPhase() == null || !MigrationPlanner.RUNNING.contains(status.getPhase())) {
      return SnapshotObservation.notRead(rec.getName(), copyExists);
    }
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(VOLUME_SNAPSHOT)
            .inNamespace(namespace)
            .withName(rec.getName())
            .get();
    if (vs == null) {
      return SnapshotObservation.absent(rec.getName(), copyExists);
    }
    Map<String, Object> st = map(vs.getAdditionalProperties().get("status"));
    Map<String, Object> error = map(st.get("error"));
    return new SnapshotObservation(
        rec.getName(),
        true,
        string(st.get("boundVolumeSnapshotContentName")),
        string(st.get("creationTime")),
        string(st.get("restoreSize")),
        Boolean.TRUE.equals(st.get("readyToUse")),
        error.isEmpty() ? null : string(error.getOrDefault("message", "error without a message")),
        copyExists);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Object o) {
    return o == null ? null : o.toString();
  }
}
