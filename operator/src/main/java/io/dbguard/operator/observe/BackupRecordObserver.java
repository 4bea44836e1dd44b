package io.dbguard.operator.observe;

import io.dbguard.operator.model.BackupFacts;
import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseBackupSpec;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.BackupRecord;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.RetentionGuard;
import io.dbguard.operator.plan.VolumeSnapshotFacts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads what retention plans over: the namespace's {@link DatabaseBackup} records (from the
 * informer cache of {@link InformedCaches}: no LIST per reconcile), which of them a migration still
 * needs, and for VolumeSnapshot records the VolumeSnapshot and the {@code deletionPolicy} of its
 * VolumeSnapshotContent. A record is read from the API server by name only where a decision must
 * not rest on a cache that may lag ({@link #live}): before a deletion, and for the record a restore
 * request names. Reads only; never writes.
 */
public final class BackupRecordObserver {
  /** The cluster-scoped VolumeSnapshotContent resource of the external-snapshotter's v1 API. */
  public static final ResourceDefinitionContext VOLUME_SNAPSHOT_CONTENT =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind("VolumeSnapshotContent")
          .withPlural("volumesnapshotcontents")
          .withNamespaced(false)
          .build();

  private final KubernetesClient client;
  private final InformedCaches caches;

  /**
   * @param client for the reads by name ({@link #live}, {@link #snapshot})
   * @param caches the informer cache the records are listed from
   */
  public BackupRecordObserver(KubernetesClient client, InformedCaches caches) {
    this.client = client;
    this.caches = caches;
  }

  /**
   * Every DatabaseBackup record in {@code namespace} as the informer cache holds it (of any
   * database: the planner, not a label selector, decides which are this database's). No API
   * request. The cache may lag the API server by the watch delay: a record created or changed a
   * moment ago may be missing or old here.
   */
  public List<DatabaseBackup> list(String namespace) {
    return caches.backups(namespace);
  }

  /** The cached record {@code namespace/name}, or null when the cache has none. */
  public DatabaseBackup cached(String namespace, String name) {
    return caches.backup(namespace, name);
  }

  /**
   * The record {@code namespace/name} as the API server has it now (one GET by name), or null when
   * it does not exist. For the decisions a lagging cache must not make: a deletion, a restore.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public DatabaseBackup live(String namespace, String name) {
    return client.resources(DatabaseBackup.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Whether retention must wait for the cache to show {@code own}, the attempt's own record, with
   * its status written ({@link RetentionGuard#waitForOwnRecord}; one GET only when the cache lacks
   * it or shows it without status; no wait when the API server has no more than the cache).
   *
   * @param own {@code status.backup.databaseBackup}, or null
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public boolean waitForOwnRecord(String namespace, String own) {
    return RetentionGuard.waitForOwnRecord(
        own,
        list(namespace).stream()
            .filter(b -> !b.getMetadata().getName().equals(own) || b.getStatus() != null)
            .map(b -> b.getMetadata().getName())
            .collect(Collectors.toSet()),
        n -> {
          DatabaseBackup b = live(namespace, n);
          return b != null && b.getStatus() != null;
        });
  }

  /**
   * Why the records named {@code names} may not be deleted on the strength of the cache ({@link
   * RetentionGuard#unsafe}): one GET by name each, compared with the cached copy. Empty when all
   * may be.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public List<String> unsafeToDelete(String namespace, Collection<String> names) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String n : names) {
      DatabaseBackup c = cached(namespace, n);
      versions.put(n, c == null ? null : c.getMetadata().getResourceVersion());
    }
    return RetentionGuard.unsafe(
        versions,
        n -> {
          DatabaseBackup b = live(namespace, n);
          return b == null
              ? null
              : new RetentionGuard.Live(
                  b.getMetadata().getResourceVersion(),
                  b.getSpec() != null && Boolean.TRUE.equals(b.getSpec().getPinned()));
        });
  }

  /**
   * What retention needs of the VolumeSnapshot {@code name} in {@code namespace} and of its bound
   * VolumeSnapshotContent (cluster-scoped, read only for its {@code deletionPolicy}). GET by name
   * only.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried; a 403 on
   *     the content names {@code rbac.volumeSnapshots})
   */
  public VolumeSnapshotFacts snapshot(String namespace, String name) {
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(SnapshotObserver.VOLUME_SNAPSHOT)
            .inNamespace(namespace)
            .withName(name)
            .get();
    if (vs == null) {
      return VolumeSnapshotFacts.absent();
    }
    Map<String, Object> spec = map(vs.getAdditionalProperties().get("spec"));
    Map<String, Object> st = map(vs.getAdditionalProperties().get("status"));
    Map<String, Object> error = map(st.get("error"));
    String contentName = string(st.get("boundVolumeSnapshotContentName"));
    String policy = null;
    if (contentName != null) {
      GenericKubernetesResource content =
          client.genericKubernetesResources(VOLUME_SNAPSHOT_CONTENT).withName(contentName).get();
      policy =
          content == null
              ? null
              : string(map(content.getAdditionalProperties().get("spec")).get("deletionPolicy"));
    }
    return new VolumeSnapshotFacts(
        true,
        string(map(spec.get("source")).get("persistentVolumeClaimName")),
        Boolean.TRUE.equals(st.get("readyToUse")),
        error.isEmpty() ? null : string(error.getOrDefault("message", "error without a message")),
        contentName,
        policy,
        string(st.get("restoreSize")));
  }

  /** The VolumeSnapshot name a record of method VolumeSnapshot names, or null. */
  public static String volumeSnapshotName(DatabaseBackup b) {
    DatabaseBackupSpec s = b.getSpec();
    if (s == null || s.getMethod() != BackupMethod.VolumeSnapshot) {
      return null;
    }
    // records written before volumeSnapshotName existed hold the snapshot's name in file
    return s.getVolumeSnapshotName() != null ? s.getVolumeSnapshotName() : s.getFile();
  }

  /** The planner's view of a dump record {@code b} (no snapshot observed). */
  public static BackupRecord toRecord(DatabaseBackup b) {
    return toRecord(b, null);
  }

  /**
   * The planner's view of {@code b}: identity from spec, facts through {@link BackupFacts}, and
   * what was observed of its VolumeSnapshot ({@code snapshot}, null for a dump).
   */
  public static BackupRecord toRecord(DatabaseBackup b, VolumeSnapshotFacts snapshot) {
    DatabaseBackupSpec s = b.getSpec() == null ? new DatabaseBackupSpec() : b.getSpec();
    BackupFacts f = BackupFacts.of(b);
    Instant taken = parse(f.verifiedAt());
    if (taken == null) {
      taken = parse(b.getMetadata().getCreationTimestamp());
    }
    return new BackupRecord(
        b.getMetadata().getName(),
        s.getDatabase(),
        s.getClaimName(),
        s.getSubPath(),
        s.getFile(),
        s.getMethod(),
        f.state(),
        f.verified(),
        Boolean.TRUE.equals(s.getPinned()),
        taken,
        volumeSnapshotName(b),
        snapshot);
  }

  /**
   * Names of the DatabaseBackup records that migrations on {@code database} still need: those of
   * migrations in progress or restoring ({@link MigrationPlanner#RUNNING}) and of {@code Failed}
   * ones (a person may restore from it by hand).
   */
  public static Set<String> inUse(String database, List<DatabaseMigration> sameNamespace) {
    return sameNamespace.stream()
        .filter(o -> o.getSpec() != null && o.getSpec().getDatabase() != null)
        .filter(o -> database.equals(o.getSpec().getDatabase().getName()))
        .filter(o -> o.getStatus() != null && o.getStatus().getPhase() != null)
        .filter(
            o ->
                MigrationPlanner.RUNNING.contains(o.getStatus().getPhase())
                    || o.getStatus().getPhase() == Phase.Failed)
        .map(o -> o.getStatus().getBackup())
        .filter(Objects::nonNull)
        .map(b -> b.getDatabaseBackup())
        .filter(Objects::nonNull)
        .collect(Collectors.toUnmodifiableSet());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Object o) {
    return o == null ? null : o.toString();
  }

  private static Instant parse(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
