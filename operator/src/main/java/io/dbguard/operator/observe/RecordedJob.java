package io.dbguard.operator.observe;

import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.plan.ApprovalPlanner;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The Job that status records as the current step, even when the informer cache does not show it
 * yet. Status records a Job's name before the Job is created, so a Job created a moment ago may be
 * missing from the cache; taking that for "never created" or "lost" would launch the step again or
 * report a lost Job. One direct GET by name decides: the apiserver's answer, not the cache's.
 *
 * <p>The GET is made only while the planner may still need that Job ({@link #mayNeedJob}): the
 * attempt runs and the step's outcome is not in status yet. A step whose outcome status already
 * holds (the plan Job of an attempt that awaits approval: {@code status.plan}), the backup step of
 * a VolumeSnapshot attempt (its "job" is the VolumeSnapshot of {@code status.snapshot}, never a
 * Job) and an attempt that is not running make no GET: their Job is deleted by its TTL after 24
 * hours, and a GET on every later reconcile would find nothing.
 */
final class RecordedJob {
  private RecordedJob() {}

  /**
   * {@code cached}, plus the Job named in {@code status.current.job} read from the apiserver when
   * the cache does not hold it (and it exists).
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (the reconcile is
   *     retried)
   */
  static List<Job> withRecordedJob(KubernetesClient client, DatabaseMigration m, List<Job> cached) {
    DatabaseMigrationStatus st = m.getStatus();
    if (!mayNeedJob(st)) {
      return cached;
    }
    String name = st.getCurrent().getJob();
    if (cached.stream().anyMatch(j -> name.equals(j.getMetadata().getName()))) {
      return cached;
    }
    Job direct =
        client.batch().v1().jobs().inNamespace(m.getMetadata().getNamespace()).withName(name).get();
    if (direct == null || !ownedBy(direct, m)) {
      return cached;
    }
    List<Job> all = new ArrayList<>(cached);
    all.add(direct);
    return all;
  }

  /**
   * Whether the planner may still decide from the Job named in {@code status.current.job}: the
   * phase is one of {@link MigrationPlanner#RUNNING} (outside them the planner never reads the
   * current step), and the step's outcome is not recorded in status. Recorded outcomes: the plan
   * step once {@code status.plan} holds the exit code for the attempt's revision (the planner
   * decides from it, {@link ApprovalPlanner#recorded}); the backup step of a VolumeSnapshot
   * attempt, whose {@code current.job} is the snapshot's name ({@code status.snapshot.name}) and
   * names no Job. Every other running step keeps the read, also once its Job was seen ({@code
   * jobUid}): only the API server may say that a seen Job is lost.
   */
  static boolean mayNeedJob(DatabaseMigrationStatus st) {
    if (st == null
        || st.getPhase() == null
        || !MigrationPlanner.RUNNING.contains(st.getPhase())
        || st.getCurrent() == null
        || st.getCurrent().getJob() == null) {
      return false;
    }
    CurrentStep cur = st.getCurrent();
    if (Step.PLAN.label().equals(cur.getStep())
        && st.getRevision() != null
        && ApprovalPlanner.recorded(st) != null) {
      return false;
    }
    return !(Step.BACKUP.label().equals(cur.getStep())
        && st.getSnapshot() != null
        && cur.getJob().equals(st.getSnapshot().getName()));
  }

  private static boolean ownedBy(Job j, DatabaseMigration m) {
    return j.getMetadata().getOwnerReferences() != null
        && j.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> m.getMetadata().getUid().equals(r.getUid()));
  }
}
