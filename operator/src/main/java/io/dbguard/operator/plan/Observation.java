package io.dbguard.operator.plan;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the planner may look at, captured once per reconcile by {@code MigrationObserver}.
 * Spec and status are deep copies, so the observation cannot change under the planner.
 *
 * @param namespace namespace of the DatabaseMigration
 * @param name name of the DatabaseMigration
 * @param generation {@code metadata.generation}
 * @param spec the spec (copy)
 * @param status the status (copy), or null before the first write
 * @param retryToken value of the {@code dbguard.io/retry} annotation, or null
 * @param desiredImage the image the migration runs (spec, or resolved from {@code fromWorkload}),
 *     or null when it cannot be resolved
 * @param desiredRevision 8 hex chars: {@link Revisions#of} of spec, image and retry token, or the
 *     recorded 0.1 revision of a running attempt ({@link AttemptRevision})
 * @param jobs owned Jobs with their pods' outcome
 * @param validation the spec's validation result
 * @param blockingRun {@code namespace/name} of another DatabaseMigration running on the same
 *     database, if any
 * @param now the time of the observation (UTC)
 * @param workloads the workloads of {@code spec.rollout.workloads}: replicas and pods
 * @param snapshot the VolumeSnapshot of {@code status.snapshot} as observed, or null when none is
 *     recorded
 * @param approval value of the {@code dbguard.io/approve} annotation, or null
 * @param restore the {@code dbguard.io/restore} annotation and the DatabaseBackup it names, or null
 *     when the annotation is absent
 */
public record Observation(
    String namespace,
    String name,
    long generation,
    DatabaseMigrationSpec spec,
    DatabaseMigrationStatus status,
    String retryToken,
    String desiredImage,
    String desiredRevision,
    List<JobObservation> jobs,
    Validation validation,
    Optional<String> blockingRun,
    Instant now,
    List<WorkloadObservation> workloads,
    SnapshotObservation snapshot,
    String approval,
    RestoreAsk restore) {

  private static final KubernetesSerialization COPIER = new KubernetesSerialization();

  public Observation {
    spec = spec == null ? null : COPIER.clone(spec);
    status = status == null ? null : COPIER.clone(status);
    jobs = List.copyOf(jobs);
    workloads = workloads == null ? List.of() : List.copyOf(workloads);
  }

  /** An observation without a restore request. */
  public Observation(
      String namespace,
      String name,
      long generation,
      DatabaseMigrationSpec spec,
      DatabaseMigrationStatus status,
      String retryToken,
      String desiredImage,
      String desiredRevision,
      List<JobObservation> jobs,
      Validation validation,
      Optional<String> blockingRun,
      Instant now,
      List<WorkloadObservation> workloads,
      SnapshotObservation snapshot,
      String approval) {
    this(
        namespace,
        name,
        generation,
        spec,
        status,
        retryToken,
        desiredImage,
        desiredRevision,
        jobs,
        validation,
        blockingRun,
        now,
        workloads,
        snapshot,
        approval,
        null);
  }

  /** An observation without an approval annotation. */
  public Observation(
      String namespace,
      String name,
      long generation,
      DatabaseMigrationSpec spec,
      DatabaseMigrationStatus status,
      String retryToken,
      String desiredImage,
      String desiredRevision,
      List<JobObservation> jobs,
      Validation validation,
      Optional<String> blockingRun,
      Instant now,
      List<WorkloadObservation> workloads,
      SnapshotObservation snapshot) {
    this(
        namespace,
        name,
        generation,
        spec,
        status,
        retryToken,
        desiredImage,
        desiredRevision,
        jobs,
        validation,
        blockingRun,
        now,
        workloads,
        snapshot,
        null);
  }

  /** An observation without a VolumeSnapshot. */
  public Observation(
      String namespace,
      String name,
      long generation,
      DatabaseMigrationSpec spec,
      DatabaseMigrationStatus status,
      String retryToken,
      String desiredImage,
      String desiredRevision,
      List<JobObservation> jobs,
      Validation validation,
      Optional<String> blockingRun,
      Instant now,
      List<WorkloadObservation> workloads) {
    this(
        namespace,
        name,
        generation,
        spec,
        status,
        retryToken,
        desiredImage,
        desiredRevision,
        jobs,
        validation,
        blockingRun,
        now,
        workloads,
        null,
        null);
  }

  /** An observation without rollout workloads. */
  public Observation(
      String namespace,
      String name,
      long generation,
      DatabaseMigrationSpec spec,
      DatabaseMigrationStatus status,
      String retryToken,
      String desiredImage,
      String desiredRevision,
      List<JobObservation> jobs,
      Validation validation,
      Optional<String> blockingRun,
      Instant now) {
    this(
        namespace,
        name,
        generation,
        spec,
        status,
        retryToken,
        desiredImage,
        desiredRevision,
        jobs,
        validation,
        blockingRun,
        now,
        List.of(),
        null,
        null);
  }

  /** The observed rollout workload {@code kind/name}, if it was observed. */
  public Optional<WorkloadObservation> workload(
      io.dbguard.operator.model.WorkloadKind kind, String workloadName) {
    return workloads.stream()
        .filter(w -> w.kind() == kind && w.name().equals(workloadName))
        .findFirst();
  }

  /** A copy of this observation with the {@code dbguard.io/approve} annotation {@code value}. */
  public Observation withApproval(String value) {
    return new Observation(
        namespace,
        name,
        generation,
        spec,
        status,
        retryToken,
        desiredImage,
        desiredRevision,
        jobs,
        validation,
        blockingRun,
        now,
        workloads,
        snapshot,
        value,
        restore);
  }

  /**
   * A copy of this observation with the {@code dbguard.io/restore} request {@code ask} (null: no
   * annotation).
   */
  public Observation withRestore(RestoreAsk ask) {
    return new Observation(
        namespace,
        name,
        generation,
        spec,
        status,
        retryToken,
        desiredImage,
        desiredRevision,
        jobs,
        validation,
        blockingRun,
        now,
        workloads,
        snapshot,
        approval,
        ask);
  }

  /** The owned Job with this name, if it exists. */
  public Optional<JobObservation> job(String jobName) {
    return jobs.stream().filter(j -> j.name().equals(jobName)).findFirst();
  }

  /** {@code namespace/name}, for messages. */
  public String ref() {
    return namespace + "/" + name;
  }
}
