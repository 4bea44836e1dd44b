package io.dbguard.operator.act;

import io.dbguard.operator.OperatorConfig;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.RetentionItem;
import io.dbguard.operator.model.RetentionStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the retention Job recorded in {@code status.retention}. Pure: the same inputs give the
 * same Job.
 *
 * <p>It runs {@code dbguard backups prune --backup-dir <dir> --delete FILE… --expect FILE…
 * --termination-log /dev/termination-log} in the tool image with the backup volume and the
 * database's {@code DATABASE_URL} (the CLI deletes only backups of that database), like the step
 * Jobs: hardened non-root pod, {@code backoffLimit: 0}, controller owner reference to the
 * DatabaseMigration. Its labels carry {@code dbguard.io/task=prune} and <b>no</b> {@code
 * dbguard.io/step}, so the attempt's observer and planner never take it for a step.
 */
public final class PruneJobs {
  private final OperatorConfig config;

  public PruneJobs(OperatorConfig config) {
    this.config = config;
  }

  /**
   * The prune Job of {@code r} for {@code m}.
   *
   * @param pinnedNode node where the SQLite ReadWriteOnce claim is in use, or null
   */
  public Job build(DatabaseMigration m, RetentionStatus r, String pinnedNode) {
    DatabaseMigrationSpec spec = m.getSpec();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.PART_OF, m.getMetadata().getName());
    labels.put(Labels.TASK, Labels.TASK_PRUNE);
    labels.put(Labels.DATABASE, spec.getDatabase().getName());

    PodSpec pod = new PodSpec();
    pod.setRestartPolicy("Never");
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    JobFactory.mountDatabase(spec, pinnedNode, volumes, mounts, pod);
    volumes.add(JobFactory.backupVolume(spec));
    mounts.add(JobFactory.backupMount(spec));
    Container main =
        new ContainerBuilder()
            .withName("dbguard")
            .withImage(spec.getToolImage() == null ? config.toolImage() : spec.getToolImage())
            .withCommand("dbguard")
            .withArgs(args(r))
            .withEnv(JobFactory.databaseEnv(spec, "DATABASE_URL"))
            .withVolumeMounts(mounts)
            .withSecurityContext(JobFactory.hardenedContainer())
            .withTerminationMessagePath(JobFactory.TERMINATION_LOG)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .build();
    pod.setContainers(List.of(main));
    pod.setVolumes(volumes);
    pod.setSecurityContext(JobFactory.hardenedPod());
    Map<String, String> annotations = Map.of(Labels.REVISION_ANNOTATION, r.getRevision());
    return new JobBuilder()
        .withNewMetadata()
        .withName(r.getJob())
        .withNamespace(m.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(JobFactory.controllerReference(m))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(config.stepTimeoutSeconds())
        .withTtlSecondsAfterFinished(
            spec.getJobTtlSeconds() == null ? 86400 : spec.getJobTtlSeconds())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * {@code backups prune --backup-dir <BACKUP_DIR> --delete FILE… --expect FILE… --termination-log
   * /dev/termination-log}.
   */
  static List<String> args(RetentionStatus r) {
    List<String> a =
        new ArrayList<>(List.of("backups", "prune", "--backup-dir", JobFactory.BACKUP_DIR));
    for (RetentionItem i : nullSafe(r.getPrune())) {
      a.addAll(List.of("--delete", i.getFile()));
    }
    for (RetentionItem i : nullSafe(r.getCheck())) {
      a.addAll(List.of("--expect", i.getFile()));
    }
    a.addAll(List.of("--termination-log", JobFactory.TERMINATION_LOG));
    return a;
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }
}
