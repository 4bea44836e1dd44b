package io.dbguard.operator.observe;

import io.dbguard.operator.act.Labels;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The informer caches every reconcile reads from, so that a reconcile makes no GET or LIST request
 * for the objects around a DatabaseMigration (docs/architecture.md, "What a reconcile reads"):
 *
 * <ul>
 *   <li>pods of the watched namespaces, pruned to what the observers read ({@link Pruning#pod}):
 *       the exit codes and termination messages of dbguard's step pods, the node that runs a pod
 *       mounting a SQLite volume, the pods of a fenced workload; a change of a dbguard pod wakes
 *       its DatabaseMigration (label {@code app.kubernetes.io/part-of});
 *   <li>Deployments and StatefulSets (spec only), for {@code migrate.fromWorkload} and {@code
 *       rollout.workloads};
 *   <li>PersistentVolumeClaims, ConfigMaps and (with {@code rbac.secretsValidation}) Secrets,
 *       metadata only ({@link Pruning#metadataOnly}): validation needs to know that they exist; no
 *       Secret value is kept;
 *   <li>DatabaseBackup records ({@link Pruning#backup}: spec, status and the metadata retention
 *       reads), for retention ({@link BackupRecordObserver}) and to skip re-creating a record that
 *       exists. A record's change wakes no DatabaseMigration. A decision to delete made from this
 *       cache is checked against the live record before anything is deleted (see {@code
 *       RetentionGuard}).
 * </ul>
 *
 * Objects that DatabaseMigrations reference (these and the workloads) wake the DatabaseMigrations
 * that reference them when they appear, change or go: the primary cache is indexed by reference
 * ({@link #references}). Caches are scoped to the namespaces the controller watches.
 */
public final class InformedCaches {
  /** Index of the primary cache: {@code namespace/Kind/name} of each referenced object. */
  static final String REFERENCES_INDEX = "dbguard-references";

  /** Index of the pod cache: {@code namespace/job-name} of a Job's pods. */
  static final String JOB_INDEX = "dbguard-job";

  /** Index of the pod cache: {@code namespace/claim} of each claim a pod mounts. */
  static final String CLAIM_INDEX = "dbguard-claim";

  private final PrunedInformer<Pod> pods;
  private final PrunedInformer<Deployment> deployments;
  private final PrunedInformer<StatefulSet> statefulSets;
  private final PrunedInformer<PersistentVolumeClaim> claims;
  private final PrunedInformer<ConfigMap> configMaps;
  private final PrunedInformer<Secret> secrets;
  private final PrunedInformer<DatabaseBackup> backups;

  /**
   * Builds the event sources (not started: JOSDK starts them with the controller) and indexes the
   * primary cache by reference.
   *
   * @param secrets whether to keep a (metadata-only) cache of Secrets, i.e. {@code
   *     rbac.secretsValidation}
   */
  public InformedCaches(EventSourceContext<DatabaseMigration> context, boolean secrets) {
    IndexerResourceCache<DatabaseMigration> primary = context.getPrimaryCache();
    primary.addIndexer(REFERENCES_INDEX, InformedCaches::references);
    KubernetesClient client = context.getClient();
    var controller = context.getControllerConfiguration();
    Function<HasMetadata, Set<ResourceID>> byReference =
        o -> referencing(primary, o.getKind(), o.getMetadata());
    this.pods =
        new PrunedInformer<>(
            "pods",
            Pod.class,
            client,
            controller,
            source(KubernetesClient::pods),
            Pruning::pod,
            InformedCaches::stepPodOwner,
            Map.of(JOB_INDEX, InformedCaches::jobOf, CLAIM_INDEX, InformedCaches::claimsOf));
    this.deployments =
        new PrunedInformer<>(
            "deployments",
            Deployment.class,
            client,
            controller,
            source(c -> c.apps().deployments()),
            Pruning::deployment,
            d -> referencing(primary, "Deployment", d.getMetadata()),
            Map.of());
    this.statefulSets =
        new PrunedInformer<>(
            "statefulsets",
            StatefulSet.class,
            client,
            controller,
            source(c -> c.apps().statefulSets()),
            Pruning::statefulSet,
            s -> referencing(primary, "StatefulSet", s.getMetadata()),
            Map.of());
    this.claims =
        new PrunedInformer<>(
            "persistentvolumeclaims",
            PersistentVolumeClaim.class,
            client,
            controller,
            source(KubernetesClient::persistentVolumeClaims),
            p -> Pruning.metadataOnly(p, PersistentVolumeClaim::new),
            p -> referencing(primary, "PersistentVolumeClaim", p.getMetadata()),
            Map.of());
    this.configMaps =
        new PrunedInformer<>(
            "configmaps",
            ConfigMap.class,
            client,
            controller,
            source(KubernetesClient::configMaps),
            cm -> Pruning.metadataOnly(cm, ConfigMap::new),
            cm -> referencing(primary, "ConfigMap", cm.getMetadata()),
            Map.of());
    this.secrets =
        secrets
            ? new PrunedInformer<>(
                "secrets",
                Secret.class,
                client,
                controller,
                source(KubernetesClient::secrets),
                s -> Pruning.metadataOnly(s, Secret::new),
                s -> referencing(primary, "Secret", s.getMetadata()),
                Map.of())
            : null;
    this.backups =
        new PrunedInformer<>(
            "databasebackups",
            DatabaseBackup.class,
            client,
            controller,
            source(c -> c.resources(DatabaseBackup.class)),
            Pruning::backup,
            b -> Set.of(),
            Map.of());
  }

  /** Namespace {@code ns} of {@code op}, or all namespaces when {@code ns} is null. */
  private static <R extends HasMetadata> BiFunction<KubernetesClient, String, Informable<R>> source(
      Function<KubernetesClient, ? extends MixedOperation<R, ?, ?>> op) {
    return (c, ns) -> ns == null ? op.apply(c).inAnyNamespace() : op.apply(c).inNamespace(ns);
  }

  /** The event sources to register with the controller. */
  public List<EventSource<?, DatabaseMigration>> eventSources() {
    List<EventSource<?, DatabaseMigration>> out = new ArrayList<>();
    out.add(pods);
    out.add(deployments);
    out.add(statefulSets);
    out.add(claims);
    out.add(configMaps);
    if (secrets != null) {
      out.add(secrets);
    }
    out.add(backups);
    return out;
  }

  /**
   * The objects {@code m} references, as {@code namespace/Kind/name}: the connection Secret, the
   * SQLite and backup claims, the SQL ConfigMap, {@code migrate.fromWorkload}, each of {@code
   * rollout.workloads} and the temporary claim provisioned from a VolumeSnapshot ({@code
   * status.snapshot.copyClaim}, so that its creation or deletion wakes the migration). Null-safe on
   * any incomplete spec.
   */
  static List<String> references(DatabaseMigration m) {
    DatabaseMigrationSpec spec = m.getSpec();
    String ns = m.getMetadata().getNamespace();
    Set<String> refs = new LinkedHashSet<>();
    if (spec == null) {
      return List.of();
    }
    if (spec.getDatabase() != null) {
      if (spec.getDatabase().getUrlSecretRef() != null) {
        refs.add("Secret/" + spec.getDatabase().getUrlSecretRef().getName());
      }
      if (spec.getDatabase().getVolume() != null) {
        refs.add("PersistentVolumeClaim/" + spec.getDatabase().getVolume().getClaimName());
      }
    }
    if (spec.getBackup() != null && spec.getBackup().getStorage() != null) {
      refs.add("PersistentVolumeClaim/" + spec.getBackup().getStorage().getClaimName());
    }
    if (spec.getMigrate() != null) {
      if (spec.getMigrate().getSql() != null) {
        refs.add("ConfigMap/" + spec.getMigrate().getSql().getConfigMapName());
      }
      WorkloadRef w = spec.getMigrate().getFromWorkload();
      if (w != null && w.getKind() != null) {
        refs.add(w.getKind() + "/" + w.getName());
      }
    }
    if (spec.getRollout() != null && spec.getRollout().getWorkloads() != null) {
      for (WorkloadRef w : spec.getRollout().getWorkloads()) {
        if (w.getKind() != null && w.getName() != null) {
          refs.add(w.getKind() + "/" + w.getName());
        }
      }
    }
    if (m.getStatus() != null
        && m.getStatus().getSnapshot() != null
        && m.getStatus().getSnapshot().getCopyClaim() != null) {
      refs.add("PersistentVolumeClaim/" + m.getStatus().getSnapshot().getCopyClaim());
    }
    return refs.stream().map(r -> ns + "/" + r).toList();
  }

  /** DatabaseMigrations of the object's namespace that reference {@code kind/name}. */
  static Set<ResourceID> referencing(
      IndexerResourceCache<DatabaseMigration> primary,
      String kind,
      io.fabric8.kubernetes.api.model.ObjectMeta meta) {
    return primary
        .byIndex(REFERENCES_INDEX, meta.getNamespace() + "/" + kind + "/" + meta.getName())
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /**
   * The DatabaseMigration of a dbguard step pod (labels {@code
   * app.kubernetes.io/managed-by=dbguard} and {@code app.kubernetes.io/part-of=<migration>}); empty
   * for any other pod.
   */
  static Set<ResourceID> stepPodOwner(Pod p) {
    Map<String, String> l = p.getMetadata().getLabels();
    if (l == null
        || !Labels.MANAGED_BY_VALUE.equals(l.get(Labels.MANAGED_BY))
        || l.get(Labels.PART_OF) == null) {
      return Set.of();
    }
    return Set.of(new ResourceID(l.get(Labels.PART_OF), p.getMetadata().getNamespace()));
  }

  /** {@code namespace/job-name} of a Job's pod (label {@code job-name}), else none. */
  static List<String> jobOf(Pod p) {
    Map<String, String> l = p.getMetadata().getLabels();
    String job = l == null ? null : l.get("job-name");
    return job == null ? List.of() : List.of(p.getMetadata().getNamespace() + "/" + job);
  }

  /** {@code namespace/claim} of each PersistentVolumeClaim the pod mounts. */
  static List<String> claimsOf(Pod p) {
    if (p.getSpec() == null || p.getSpec().getVolumes() == null) {
      return List.of();
    }
    return p.getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(
            v -> p.getMetadata().getNamespace() + "/" + v.getPersistentVolumeClaim().getClaimName())
        .distinct()
        .toList();
  }

  /** The cached pods of Job {@code ns/job} (label {@code job-name}). */
  public List<Pod> jobPods(String ns, String job) {
    return pods.byIndex(JOB_INDEX, ns + "/" + job);
  }

  /** The cached pods of {@code ns} that mount claim {@code claim}. */
  public List<Pod> podsMounting(String ns, String claim) {
    return pods.byIndex(CLAIM_INDEX, ns + "/" + claim);
  }

  /** The cached pods of {@code ns} whose labels match {@code selector}. */
  public List<Pod> pods(String ns, LabelSelector selector) {
    return pods.inNamespace(ns).filter(p -> Selectors.matches(selector, p)).toList();
  }

  /**
   * The cached workload {@code kind/name} of {@code ns}: its replicas (null when unset), selector
   * and pod template; null when it does not exist.
   */
  public Workload workload(String ns, WorkloadKind kind, String name) {
    if (kind == WorkloadKind.StatefulSet) {
      StatefulSet s = statefulSets.get(ns, name);
      return s == null || s.getSpec() == null
          ? null
          : new Workload(
              s.getSpec().getReplicas(), s.getSpec().getSelector(), s.getSpec().getTemplate());
    }
    Deployment d = deployments.get(ns, name);
    return d == null || d.getSpec() == null
        ? null
        : new Workload(
            d.getSpec().getReplicas(), d.getSpec().getSelector(), d.getSpec().getTemplate());
  }

  /**
   * A workload as cached.
   *
   * @param replicas {@code spec.replicas}, null when unset
   */
  public record Workload(Integer replicas, LabelSelector selector, PodTemplateSpec template) {}

  /**
   * Whether {@code Kind/name} exists in {@code ns} as the caches show it. Secrets are taken to
   * exist when there is no Secret cache (validation of Secrets off).
   */
  public boolean exists(String ns, String ref) {
    int slash = ref.indexOf('/');
    String kind = ref.substring(0, slash);
    String n = ref.substring(slash + 1);
    return switch (kind) {
      case "Secret" -> secrets == null || secrets.get(ns, n) != null;
      case "PersistentVolumeClaim" -> claims.get(ns, n) != null;
      case "ConfigMap" -> configMaps.get(ns, n) != null;
      case "Deployment" -> deployments.get(ns, n) != null;
      case "StatefulSet" -> statefulSets.get(ns, n) != null;
      default -> false;
    };
  }

  /**
   * The cached DatabaseBackup records of {@code ns}, of every database, in no particular order. May
   * lag the API server by the watch delay: what is deleted on its strength is re-checked live.
   */
  public List<DatabaseBackup> backups(String ns) {
    return backups.inNamespace(ns).toList();
  }

  /** The cached DatabaseBackup record {@code ns/name}, or null when the cache has none. */
  public DatabaseBackup backup(String ns, String name) {
    return backups.get(ns, name);
  }
}
