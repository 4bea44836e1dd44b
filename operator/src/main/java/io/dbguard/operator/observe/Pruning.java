package io.dbguard.operator.observe;

import io.dbguard.operator.act.Labels;
import io.dbguard.operator.model.DatabaseBackup;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the informer caches keep of each object: only the fields the observers read, so that the
 * operator's heap grows with the number of objects, not with their size, and so that no Secret
 * value is ever kept. Each function returns a new object and leaves its argument unchanged.
 */
public final class Pruning {
  private Pruning() {}

  /**
   * Name, namespace, uid, resourceVersion, labels and owner references of {@code o}; no
   * annotations, no managedFields.
   */
  static ObjectMeta metadata(HasMetadata o) {
    ObjectMeta m = o.getMetadata();
    return new ObjectMetaBuilder()
        .withName(m.getName())
        .withNamespace(m.getNamespace())
        .withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion())
        .withGeneration(m.getGeneration())
        .withLabels(m.getLabels())
        .withOwnerReferences(m.getOwnerReferences())
        .build();
  }

  /**
   * What retention and the restore choice read of a DatabaseBackup record: {@link #metadata} plus
   * {@code creationTimestamp} and {@code deletionTimestamp}, the spec and the status (shared with
   * {@code b}, not copied: the cache never modifies them, and readers clone before they write).
   */
  public static DatabaseBackup backup(DatabaseBackup b) {
    DatabaseBackup out = new DatabaseBackup();
    ObjectMeta m = metadata(b);
    m.setCreationTimestamp(b.getMetadata().getCreationTimestamp());
    m.setDeletionTimestamp(b.getMetadata().getDeletionTimestamp());
    out.setMetadata(m);
    out.setSpec(b.getSpec());
    out.setStatus(b.getStatus());
    return out;
  }

  /**
   * An object of the same type with {@link #metadata} only: for Secrets, ConfigMaps and
   * PersistentVolumeClaims, of which the operator needs to know that they exist. A Secret's {@code
   * data} and {@code stringData}, a ConfigMap's {@code data}, are dropped.
   *
   * @param empty a new, empty object of the type (e.g. {@code Secret::new})
   */
  public static <T extends HasMetadata> T metadataOnly(T o, Supplier<T> empty) {
    T out = empty.get();
    out.setMetadata(metadata(o));
    return out;
  }

  /**
   * A pod as the observers read it: {@link #metadata}, {@code spec.nodeName}, the volumes that
   * mount a PersistentVolumeClaim (name and claim only), {@code status.phase}; and for dbguard's
   * own pods (label {@code app.kubernetes.io/managed-by=dbguard}) the name and terminated state
   * (exit code, reason, termination message) of each container and init container.
   */
  public static Pod pod(Pod p) {
    PodBuilder b = new PodBuilder().withMetadata(metadata(p));
    if (p.getSpec() != null) {
      List<Volume> claims =
          p.getSpec().getVolumes() == null
              ? List.of()
              : p.getSpec().getVolumes().stream()
                  .filter(v -> v.getPersistentVolumeClaim() != null)
                  .map(
                      v ->
                          new VolumeBuilder()
                              .withName(v.getName())
                              .withPersistentVolumeClaim(v.getPersistentVolumeClaim())
                              .build())
                  .toList();
      b.withNewSpec().withNodeName(p.getSpec().getNodeName()).withVolumes(claims).endSpec();
    }
    if (p.getStatus() != null) {
      boolean ours =
          p.getMetadata().getLabels() != null
              && Labels.MANAGED_BY_VALUE.equals(p.getMetadata().getLabels().get(Labels.MANAGED_BY));
      b.withNewStatus()
          .withPhase(p.getStatus().getPhase())
          .withContainerStatuses(ours ? statuses(p.getStatus().getContainerStatuses()) : null)
          .withInitContainerStatuses(
              ours ? statuses(p.getStatus().getInitContainerStatuses()) : null)
          .endStatus();
    }
    return b.build();
  }

  private static List<ContainerStatus> statuses(List<ContainerStatus> in) {
    if (in == null) {
      return null;
    }
    return in.stream()
        .map(
            cs -> {
              ContainerStatusBuilder b = new ContainerStatusBuilder().withName(cs.getName());
              if (cs.getState() != null && cs.getState().getTerminated() != null) {
                var t = cs.getState().getTerminated();
                b.withState(
                    new ContainerStateBuilder()
                        .withTerminated(
                            new ContainerStateTerminatedBuilder()
                                .withExitCode(t.getExitCode())
                                .withReason(t.getReason())
                                .withMessage(t.getMessage())
                                .build())
                        .build());
              }
              return b.build();
            })
        .toList();
  }

  /**
   * A Deployment as the observers read it: {@link #metadata}, {@code spec.replicas}, {@code
   * spec.selector} and {@code spec.template} (the image and pod template a migration copies); no
   * status.
   */
  public static Deployment deployment(Deployment d) {
    DeploymentBuilder b = new DeploymentBuilder().withMetadata(metadata(d));
    if (d.getSpec() != null) {
      b.withNewSpec()
          .withReplicas(d.getSpec().getReplicas())
          .withSelector(d.getSpec().getSelector())
          .withTemplate(d.getSpec().getTemplate())
          .endSpec();
    }
    return b.build();
  }

  /** A StatefulSet as the observers read it, as {@link #deployment} keeps of a Deployment. */
  public static StatefulSet statefulSet(StatefulSet s) {
    StatefulSetBuilder b = new StatefulSetBuilder().withMetadata(metadata(s));
    if (s.getSpec() != null) {
      b.withNewSpec()
          .withReplicas(s.getSpec().getReplicas())
          .withSelector(s.getSpec().getSelector())
          .withTemplate(s.getSpec().getTemplate())
          .endSpec();
    }
    return b.build();
  }
}
