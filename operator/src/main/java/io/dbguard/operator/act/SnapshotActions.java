package io.dbguard.operator.act;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.SnapshotStatus;
import io.dbguard.operator.observe.SnapshotObserver;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes side of {@code backup.method: VolumeSnapshot}, each carried out only after its
 * intent is in {@code status.snapshot}: create the VolumeSnapshot of the database claim, provision
 * the temporary claim from it ({@code dataSource}), delete that claim when the attempt has ended.
 * Every call is idempotent (create-if-absent, delete-if-present); the original claim is never
 * changed or deleted.
 */
public final class SnapshotActions {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotActions.class);
  private final KubernetesClient client;

  public SnapshotActions(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates the VolumeSnapshot of {@code next.snapshot}: call only once that status is written
   * (write-ahead) and the fence lets the plan proceed.
   */
  public void create(DatabaseMigration m, DatabaseMigrationStatus next) {
    if (createSnapshot(m, next.getSnapshot())) {
      LOG.info("created VolumeSnapshot {}", next.getSnapshot().getName());
    }
  }

  /** Before a verify or restore Job of a snapshot attempt: the claim it mounts, if absent. */
  public void beforeStep(DatabaseMigration m, Step step, DatabaseMigrationStatus next) {
    if (next.getSnapshot() != null
        && next.getSnapshot().getCopyClaim() != null
        && (step == Step.SNAPSHOT_CHECK || step == Step.VERIFY || step == Step.RESTORE)
        && ensureCopyClaim(m, next.getSnapshot())) {
      LOG.info(
          "created claim {} from VolumeSnapshot {}",
          next.getSnapshot().getCopyClaim(),
          next.getSnapshot().getName());
    }
  }

  /** Once the attempt has ended (no running phase): delete the claim provisioned from it. */
  public void afterAttempt(DatabaseMigration m, Observation o, DatabaseMigrationStatus next) {
    if (!MigrationPlanner.RUNNING.contains(next.getPhase())
        && o.snapshot() != null
        && o.snapshot().copyClaimExists()
        && next.getSnapshot() != null
        && next.getSnapshot().getCopyClaim() != null) {
      deleteCopyClaim(m, next.getSnapshot());
      LOG.info("deleted claim {}", next.getSnapshot().getCopyClaim());
    }
  }

  /**
   * Creates the VolumeSnapshot {@code rec.name} of {@code rec.sourceClaim} ({@code
   * snapshot.storage.k8s.io/v1}; {@code volumeSnapshotClassName} when set, else the cluster's
   * default class). It has no owner reference: like a dump, a snapshot outlives the
   * DatabaseMigration.
   *
   * @return true when this call created it, false when it existed
   * @throws KubernetesClientException for API errors other than AlreadyExists
   */
  public boolean createSnapshot(DatabaseMigration m, SnapshotStatus rec) {
    Map<String, Object> spec = new LinkedHashMap<>();
    if (rec.getVolumeSnapshotClassName() != null) {
      spec.put("volumeSnapshotClassName", rec.getVolumeSnapshotClassName());
    }
    spec.put("source", Map.of("persistentVolumeClaimName", rec.getSourceClaim()));
    GenericKubernetesResource vs = new GenericKubernetesResource();
    vs.setApiVersion("snapshot.storage.k8s.io/v1");
    vs.setKind("VolumeSnapshot");
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withName(rec.getName())
            .withNamespace(m.getMetadata().getNamespace())
            .withLabels(labels(m))
            .withAnnotations(Map.of(Labels.REVISION_ANNOTATION, rec.getRevision()))
            .build());
    vs.setAdditionalProperty("spec", spec);
    try {
      client
          .genericKubernetesResources(SnapshotObserver.VOLUME_SNAPSHOT)
          .inNamespace(m.getMetadata().getNamespace())
          .resource(vs)
          .create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Creates the claim {@code rec.copyClaim} from the snapshot: same storage class and access modes
   * as the source claim, size {@code restoreSize} (the smallest a claim from this snapshot may
   * request), or the source claim's request when the driver reports none. Owned by the
   * DatabaseMigration, so it is garbage-collected with it.
   *
   * @return true when this call created it, false when it existed
   * @throws KubernetesClientException for API errors other than AlreadyExists
   */
  public boolean ensureCopyClaim(DatabaseMigration m, SnapshotStatus rec) {
    String ns = m.getMetadata().getNamespace();
    if (client.persistentVolumeClaims().inNamespace(ns).withName(rec.getCopyClaim()).get()
        != null) {
      return false;
    }
    PersistentVolumeClaim source =
        client.persistentVolumeClaims().inNamespace(ns).withName(rec.getSourceClaim()).get();
    String size = rec.getRestoreSize();
    if (size == null && source != null && source.getSpec().getResources() != null) {
      Quantity q = source.getSpec().getResources().getRequests().get("storage");
      size = q == null ? null : q.toString();
    }
    PersistentVolumeClaim copy =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(rec.getCopyClaim())
            .withNamespace(ns)
            .withLabels(labels(m))
            .withAnnotations(Map.of(Labels.REVISION_ANNOTATION, rec.getRevision()))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(m.getApiVersion())
                    .withKind(m.getKind())
                    .withName(m.getMetadata().getName())
                    .withUid(m.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .endMetadata()
            .withNewSpec()
            .withAccessModes(
                source == null || source.getSpec().getAccessModes() == null
                    ? List.of("ReadWriteOnce")
                    : source.getSpec().getAccessModes())
            .withStorageClassName(source == null ? null : source.getSpec().getStorageClassName())
            .withNewDataSource()
            .withApiGroup("snapshot.storage.k8s.io")
            .withKind("VolumeSnapshot")
            .withName(rec.getName())
            .endDataSource()
            .withNewResources()
            .withRequests(Map.of("storage", new Quantity(size == null ? "1Gi" : size)))
            .endResources()
            .endSpec()
            .build();
    try {
      client.resource(copy).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes the temporary claim {@code rec.copyClaim} (absent counts as deleted). */
  public void deleteCopyClaim(DatabaseMigration m, SnapshotStatus rec) {
    client
        .persistentVolumeClaims()
        .inNamespace(m.getMetadata().getNamespace())
        .withName(rec.getCopyClaim())
        .delete();
  }

  private static Map<String, String> labels(DatabaseMigration m) {
    return Map.of(
        Labels.MANAGED_BY,
        Labels.MANAGED_BY_VALUE,
        Labels.PART_OF,
        m.getMetadata().getName(),
        Labels.DATABASE,
        m.getSpec().getDatabase().getName());
  }
}
