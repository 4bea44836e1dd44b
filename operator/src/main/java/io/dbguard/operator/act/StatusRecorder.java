package io.dbguard.operator.act;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.AttemptRecord;
import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.FindingsSummary;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Plan;
import io.dbguard.operator.plan.Reason;
import io.dbguard.operator.plan.RestoreRequests;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a plan into the status to write, and writes it with optimistic locking <b>before</b>
 * anything else happens (write-ahead): a Job is only created once its intent is in status, so an
 * operator restart resumes from status and never runs a step twice.
 */
public final class StatusRecorder {
  /** Entries (attempts and requested restores) kept in {@code status.history}. */
  public static final int HISTORY_LIMIT = 10;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;

  public StatusRecorder(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes {@code status} to {@code resource} with {@code updateStatus} and the resource's
   * resourceVersion (optimistic locking).
   *
   * @return the updated resource
   * @throws io.fabric8.kubernetes.client.KubernetesClientException 409 when the resource changed
   *     since it was observed (the reconcile is retried from fresh state)
   */
  public DatabaseMigration write(DatabaseMigration resource, DatabaseMigrationStatus status) {
    DatabaseMigration copy = JSON.clone(resource);
    copy.setStatus(status);
    return client.resource(copy).updateStatus();
  }

  /**
   * The status after recording {@code plan} for observation {@code o}. Pure: the same inputs give
   * the same status (timestamps come from {@link Observation#now()}).
   */
  public static DatabaseMigrationStatus next(Observation o, Plan plan) {
    if (plan instanceof Plan.Fence f) {
      return FenceRecorder.next(o, f, next(o, f.held()));
    }
    DatabaseMigrationStatus s =
        o.status() == null ? new DatabaseMigrationStatus() : JSON.clone(o.status());
    String now = o.now().toString();
    recordObservedFacts(o, s);

    if (plan instanceof Plan.LaunchStep ls) {
      if (ls.newAttempt()) {
        startAttempt(o, s, ls.phase(), now);
      }
      CurrentStep cur = s.getCurrent();
      if (cur == null
          || !ls.jobName().equals(cur.getJob())
          || !ls.step().label().equals(cur.getStep())) {
        cur = new CurrentStep();
        cur.setStep(ls.step().label());
        cur.setJob(ls.jobName());
        cur.setStartedAt(now);
        s.setCurrent(cur);
      } else if (Reason.JOB_LOST.equals(ls.reason())) {
        cur.setJobUid(null);
      }
      setPhase(s, ls.phase(), ls.reason(), ls.message(), now);
    } else if (plan instanceof Plan.Snapshot sn) {
      if (sn.newAttempt()) {
        startAttempt(o, s, sn.phase(), now);
      }
      CurrentStep cur = s.getCurrent();
      if (cur == null
          || !sn.snapshotName().equals(cur.getJob())
          || !Step.BACKUP.label().equals(cur.getStep())) {
        cur = new CurrentStep();
        cur.setStep(Step.BACKUP.label());
        cur.setJob(sn.snapshotName());
        cur.setStartedAt(now);
        s.setCurrent(cur);
      }
      SnapshotRecorder.request(o, s, sn);
      setPhase(s, sn.phase(), sn.reason(), sn.message(), now);
    } else if (plan instanceof Plan.StartRestore r) {
      CurrentStep cur = s.getCurrent();
      if (cur == null || !r.jobName().equals(cur.getJob())) {
        cur = new CurrentStep();
        cur.setStep(Step.RESTORE.label());
        cur.setJob(r.jobName());
        cur.setStartedAt(now);
        cur.setRestoreCause(r.reason());
        s.setCurrent(cur);
        if (RestoreRequests.RESTORE_REQUESTED.equals(r.reason())) {
          requestedRestoreEntry(o, s, now);
        }
      }
      setPhase(s, Phase.Restoring, r.reason(), r.message(), now);
    } else if (plan instanceof Plan.Await a) {
      if (a.phase() == Phase.Pending || a.phase() == Phase.AwaitingApproval) {
        setPhase(s, a.phase(), a.reason(), a.message(), now);
      }
    } else if (plan instanceof Plan.Complete c) {
      s.setCurrent(null);
      s.setLastSucceededImage(s.getImage());
      s.setLastSucceededRevision(s.getRevision());
      setPhase(s, Phase.Succeeded, c.reason(), c.message(), now);
    } else if (plan instanceof Plan.Fail f) {
      if (f.newAttempt()) {
        startAttempt(o, s, f.phase(), now);
      }
      s.setCurrent(null);
      setPhase(s, f.phase(), f.reason(), f.message(), now);
    } else if (plan instanceof Plan.Stall st) {
      s.setCurrent(null);
      s.setPhase(Phase.Pending);
      s.setReason(st.reason());
      s.setMessage(st.message());
    }
    s.setRestoreRequest(RestoreRequests.record(o, s, plan));
    PlanRecorder.approval(o, s, plan);
    SnapshotRecorder.copyClaim(o, s, plan);
    // Plan.Noop: only observed facts, observedGeneration and conditions are refreshed.
    s.setObservedGeneration(o.generation());
    s.setConditions(conditions(o, s, plan));
    return s;
  }

  /** Facts the Jobs reported: the current Job's UID, the verified backup, analysis counts. */
  private static void recordObservedFacts(Observation o, DatabaseMigrationStatus s) {
    if (s.getCurrent() != null && s.getCurrent().getJob() != null) {
      o.job(s.getCurrent().getJob()).ifPresent(j -> s.getCurrent().setJobUid(j.uid()));
    }
    if (s.getRevision() == null) {
      return;
    }
    SnapshotRecorder.observed(o, s);
    PlanRecorder.observed(o, s);
    if (s.getBackup() == null) {
      o.job(JobNames.of(o.name(), Step.BACKUP, s.getRevision()))
          .filter(j -> j.state() == JobObservation.State.SUCCEEDED)
          .map(JobObservation::result)
          .map(StepResult::backup)
          .ifPresent(
              b -> {
                BackupStatusRef ref = new BackupStatusRef();
                ref.setName(b.name());
                ref.setFile(b.file());
                ref.setSizeBytes(b.sizeBytes());
                ref.setSha256(b.sha256());
                ref.setVerifiedAt(b.verifiedAt());
                ref.setDatabaseBackup(BackupRecords.resourceName(b.name()));
                s.setBackup(ref);
              });
    }
    if (s.getFindings() == null) {
      o.job(JobNames.of(o.name(), Step.ANALYZE, s.getRevision()))
          .filter(j -> j.state() != JobObservation.State.ACTIVE)
          .map(JobObservation::result)
          .ifPresent(
              r -> {
                Map<String, String> d = r.details() == null ? Map.of() : r.details();
                FindingsSummary f = new FindingsSummary();
                f.setRefuse(intOrNull(d.get("refuse")));
                f.setWarn(intOrNull(d.get("warn")));
                f.setAcknowledged(intOrNull(d.get("acknowledged")));
                f.setSummary(r.message());
                s.setFindings(f);
              });
    }
  }

  private static Integer intOrNull(String s) {
    try {
      return s == null ? null : Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * A history entry for the restore requested on the finished attempt of {@code s}: the attempt's
   * number, revision and image, the DatabaseBackup restored, started now; {@link #setPhase} carries
   * it to its outcome like an attempt's entry.
   */
  private static void requestedRestoreEntry(Observation o, DatabaseMigrationStatus s, String now) {
    AttemptRecord rec = new AttemptRecord();
    rec.setAttempt(s.getAttempt());
    rec.setRevision(s.getRevision());
    rec.setImage(s.getImage());
    rec.setPhase(Phase.Restoring);
    rec.setReason(RestoreRequests.RESTORE_REQUESTED);
    rec.setStartedAt(now);
    rec.setRestoredBackup(
        o.restore() == null || o.restore().backup() == null ? null : o.restore().backup().name());
    appendHistory(s, rec);
  }

  private static void appendHistory(DatabaseMigrationStatus s, AttemptRecord rec) {
    List<AttemptRecord> history =
        s.getHistory() == null ? new ArrayList<>() : new ArrayList<>(s.getHistory());
    history.add(rec);
    while (history.size() > HISTORY_LIMIT) {
      history.remove(0);
    }
    s.setHistory(history);
  }

  private static void startAttempt(
      Observation o, DatabaseMigrationStatus s, Phase phase, String now) {
    List<AttemptRecord> history =
        s.getHistory() == null ? new ArrayList<>() : new ArrayList<>(s.getHistory());
    if (!history.isEmpty()) {
      AttemptRecord last = history.get(history.size() - 1);
      if (last.getFinishedAt() == null) {
        last.setFinishedAt(now);
        last.setReason(Reason.SUPERSEDED);
      }
    }
    int attempt = s.getAttempt() == null ? 1 : s.getAttempt() + 1;
    AttemptRecord rec = new AttemptRecord();
    rec.setAttempt(attempt);
    rec.setRevision(o.desiredRevision());
    rec.setImage(o.desiredImage());
    rec.setPhase(phase);
    rec.setStartedAt(now);
    s.setHistory(history);
    appendHistory(s, rec);
    s.setAttempt(attempt);
    s.setRevision(o.desiredRevision());
    s.setImage(o.desiredImage());
    s.setRetryToken(o.retryToken());
    s.setBackup(null);
    s.setFindings(null);
    s.setPlan(null);
    s.setCurrent(null);
    s.setSnapshot(null);
  }

  private static void setPhase(
      DatabaseMigrationStatus s, Phase phase, String reason, String message, String now) {
    s.setPhase(phase);
    s.setReason(reason);
    s.setMessage(message);
    if (s.getHistory() != null && !s.getHistory().isEmpty()) {
      AttemptRecord last = s.getHistory().get(s.getHistory().size() - 1);
      if (Objects.equals(last.getRevision(), s.getRevision()) && last.getFinishedAt() == null) {
        last.setPhase(phase);
        last.setReason(reason);
        if (MigrationPlanner.FINISHED.contains(phase)) {
          last.setFinishedAt(now);
        }
      }
    }
  }

  private static List<io.fabric8.kubernetes.api.model.Condition> conditions(
      Observation o, DatabaseMigrationStatus s, Plan plan) {
    Phase phase = s.getPhase() == null ? Phase.Pending : s.getPhase();
    boolean current = Objects.equals(s.getRevision(), o.desiredRevision());
    boolean stalled =
        plan instanceof Plan.Stall
            || (current
                && EnumSetHolder.FAILED.contains(phase)
                && MigrationPlanner.FINISHED.contains(phase));
    boolean running = MigrationPlanner.RUNNING.contains(phase);
    boolean reconciling = running || (phase == Phase.Pending && !stalled) || (!current && !stalled);
    String reason = s.getReason();
    String msg = s.getMessage();
    boolean migrated =
        s.getRevision() != null
            && phase != Phase.Restoring
            && phase != Phase.RolledBack
            && o.job(JobNames.of(o.name(), Step.MIGRATE, s.getRevision()))
                .filter(j -> j.state() == JobObservation.State.SUCCEEDED)
                .isPresent();
    if (phase == Phase.Succeeded) {
      migrated = true;
    }
    return new Conditions(s.getConditions(), o.generation(), o.now())
        .set(Conditions.READY, phase == Phase.Succeeded && current, reason, msg)
        .set(Conditions.RECONCILING, reconciling, reason, msg)
        .set(Conditions.STALLED, stalled, reason, msg)
        .set(
            Conditions.BACKUP_VERIFIED,
            s.getBackup() != null,
            s.getBackup() != null ? Reason.BACKUP_VERIFIED : "NoVerifiedBackup",
            s.getBackup() != null
                ? "backup "
                    + s.getBackup().getName()
                    + " verified at "
                    + s.getBackup().getVerifiedAt()
                : "no verified backup for this attempt")
        .set(
            Conditions.MIGRATED,
            migrated,
            migrated ? "Migrated" : reason,
            migrated ? "the migrate step of revision " + s.getRevision() + " succeeded" : msg)
        .set(
            Conditions.ROLLOUT_ALLOWED,
            phase == Phase.Succeeded,
            phase == Phase.Succeeded ? "MigrationSucceeded" : reason,
            phase == Phase.Succeeded
                ? "pods with image " + s.getLastSucceededImage() + " may start"
                : "the rollout gate stays closed: " + msg)
        .set(Conditions.ROLLED_BACK, phase == Phase.RolledBack, reason, msg)
        .build();
  }

  private static final class EnumSetHolder {
    static final java.util.Set<Phase> FAILED =
        java.util.EnumSet.of(Phase.RolledBack, Phase.Blocked, Phase.Rejected, Phase.Failed);
  }
}
