package io.dbguard.operator;

import io.dbguard.operator.act.JobLauncher;
import io.dbguard.operator.act.PruneJobs;
import io.dbguard.operator.act.RetentionActions;
import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupSpec;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RetentionItem;
import io.dbguard.operator.model.RetentionState;
import io.dbguard.operator.model.RetentionStatus;
import io.dbguard.operator.observe.BackupRecordObserver;
import io.dbguard.operator.observe.InformedCaches;
import io.dbguard.operator.plan.BackupRecord;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.RetentionOutcome;
import io.dbguard.operator.plan.RetentionPlanner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention after a succeeded attempt (docs/architecture.md, "Retention"), once per attempt:
 * observe the namespace's DatabaseBackup records ({@link BackupRecordObserver}) → plan ({@link
 * RetentionPlanner}, pure) → record the plan in {@code status.retention} → create the prune Job
 * ({@link PruneJobs}) → when it has finished, write the records' states ({@link RetentionActions})
 * and {@code status.retention.state: Done} (or {@code Failed}, records untouched). A restarted
 * operator finishes the recorded plan; it never plans twice for one revision. VolumeSnapshot
 * backups go to {@link SnapshotRetention} (same planner and status, no Job).
 *
 * <p>The records come from the informer cache (no LIST per reconcile). Planning waits ({@link
 * #waiting}) while the cache lacks the attempt's own record, and a plan that prunes is recorded
 * only when each record it prunes is, on the API server, the version the plan saw and not pinned
 * ({@link io.dbguard.operator.plan.RetentionGuard}); otherwise the next reconcile plans again.
 */
final class RetentionStage {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionStage.class);

  private final KubernetesClient client;
  private final BackupRecordObserver records;
  private final PruneJobs jobs;
  private final Clock clock;

  /** Why the last {@link #advance} deferred planning until the cache catches up, or null. */
  private String waiting;

  RetentionStage(
      KubernetesClient client, InformedCaches caches, OperatorConfig config, Clock clock) {
    this.client = client;
    this.records = new BackupRecordObserver(client, caches);
    this.jobs = new PruneJobs(config);
    this.clock = clock;
  }

  /**
   * Why the last {@link #advance} made no plan yet (the record cache lags the API server), or null.
   * The caller reconciles again a few seconds later.
   */
  String waiting() {
    return waiting;
  }

  /**
   * Advances retention for {@code m} by one step.
   *
   * @param taskJobs the owned non-step Jobs with their outcome
   * @param sameNamespace the namespace's DatabaseMigrations (which backups are still needed)
   * @param pinnedNode node where a SQLite claim is in use, or null
   * @return {@code m} as last written
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  DatabaseMigration advance(
      DatabaseMigration m,
      List<JobObservation> taskJobs,
      List<DatabaseMigration> sameNamespace,
      String pinnedNode) {
    DatabaseMigrationStatus st = m.getStatus();
    DatabaseMigrationSpec spec = m.getSpec();
    if (st == null || st.getPhase() != Phase.Succeeded || st.getRevision() == null) {
      return m;
    }
    BackupSpec backup = spec.getBackup();
    RetentionStatus recorded = st.getRetention();
    boolean unfinished =
        recorded != null
            && st.getRevision().equals(recorded.getRevision())
            && recorded.getState() == RetentionState.Pruning;
    // a recorded plan is finished the way it was planned (prune Job or VolumeSnapshots), even if
    // backup.method was edited since; a new plan follows the method
    if (unfinished
        ? recorded.getJob() == null
        : backup != null && backup.getMethod() == BackupMethod.VolumeSnapshot) {
      SnapshotRetention snapshots = new SnapshotRetention(client, records, clock);
      DatabaseMigration out = snapshots.advance(m, sameNamespace);
      waiting = snapshots.waiting();
      return out;
    }
    if (backup == null
        || backup.getStorage() == null
        || backup.getStorage().getClaimName() == null) {
      return m;
    }
    RetentionStatus r = st.getRetention();
    String now = clock.instant().toString();
    String ns = m.getMetadata().getNamespace();
    if (r == null || !st.getRevision().equals(r.getRevision())) {
      return plan(m, spec, st, sameNamespace, pinnedNode, now);
    }
    if (r.getState() != RetentionState.Pruning) {
      return m;
    }
    JobObservation job =
        taskJobs.stream().filter(j -> j.name().equals(r.getJob())).findFirst().orElse(null);
    if (job == null) {
      // recorded but not created yet (or not in the cache yet): create-if-absent
      new JobLauncher(client).createIfAbsent(jobs.build(m, r, pinnedNode));
      return m;
    }
    if (job.state() == JobObservation.State.ACTIVE) {
      return m;
    }
    RetentionStatus done = copy(r);
    done.setCompletedAt(now);
    if (job.state() == JobObservation.State.SUCCEEDED) {
      // from the cache: a stale copy's status write fails with 409 and is retried
      Map<String, DatabaseBackup> byName =
          records.list(ns).stream()
              .collect(Collectors.toMap(b -> b.getMetadata().getName(), Function.identity()));
      Map<String, RetentionOutcome.Change> changes = RetentionOutcome.of(r, job.result());
      Map<BackupState, Integer> counts = new RetentionActions(client).apply(byName, changes, now);
      done.setState(RetentionState.Done);
      done.setMessage(
          changes.isEmpty()
              ? "prune Job "
                  + r.getJob()
                  + " succeeded but its result is unreadable; no backup record was changed"
              : "pruned "
                  + counts.getOrDefault(BackupState.Pruned, 0)
                  + ", checked "
                  + (r.getCheck() == null ? 0 : r.getCheck().size())
                  + " ("
                  + counts.getOrDefault(BackupState.Missing, 0)
                  + " missing, "
                  + counts.getOrDefault(BackupState.Failed, 0)
                  + " damaged)");
    } else {
      done.setState(RetentionState.Failed);
      done.setMessage(job.describe() + "; no backup record was changed");
    }
    LOG.info("retention {}: {}", done.getState(), done.getMessage());
    return new RetentionActions(client).record(m, done);
  }

  /** Observe and plan; record the plan (write-ahead), then create the Job if it has work. */
  private DatabaseMigration plan(
      DatabaseMigration m,
      DatabaseMigrationSpec spec,
      DatabaseMigrationStatus st,
      List<DatabaseMigration> sameNamespace,
      String pinnedNode,
      String now) {
    String ns = m.getMetadata().getNamespace();
    String db = spec.getDatabase().getName();
    String own = st.getBackup() == null ? null : st.getBackup().getDatabaseBackup();
    if (records.waitForOwnRecord(ns, own)) {
      return waitFor(m, "the record cache does not show this attempt's DatabaseBackup " + own);
    }
    List<DatabaseBackup> all = records.list(ns);
    Integer keepLast =
        spec.getBackup().getRetention() == null
            ? null
            : spec.getBackup().getRetention().getKeepLast();
    Integer maxAgeDays =
        spec.getBackup().getRetention() == null
            ? null
            : spec.getBackup().getRetention().getMaxAgeDays();
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input(
                db,
                spec.getBackup().getStorage().getClaimName(),
                spec.getBackup().getStorage().getSubPath(),
                keepLast == null ? 10 : keepLast,
                maxAgeDays == null ? null : java.time.Duration.ofDays(maxAgeDays),
                clock.instant(),
                BackupRecordObserver.inUse(db, sameNamespace),
                all.stream().map(BackupRecordObserver::toRecord).toList()));
    plan.decisions()
        .forEach(d -> LOG.debug("retention {} {}: {}", d.action(), d.record().name(), d.why()));
    List<String> unsafe =
        records.unsafeToDelete(ns, plan.prune().stream().map(BackupRecord::name).toList());
    if (!unsafe.isEmpty()) {
      return waitFor(m, String.join("; ", unsafe));
    }
    RetentionStatus r = new RetentionStatus();
    r.setRevision(st.getRevision());
    r.setStartedAt(now);
    r.setPrune(items(plan.prune()));
    r.setCheck(plan.needsJob() ? items(plan.check()) : null);
    java.util.Set<String> forget =
        plan.forget().stream().map(BackupRecord::name).collect(Collectors.toSet());
    if (!plan.needsJob()) {
      r.setState(RetentionState.Done);
      r.setCompletedAt(now);
      r.setMessage("nothing to prune");
      DatabaseMigration written = new RetentionActions(client).record(m, r);
      forget(all, forget);
      return written;
    }
    r.setState(RetentionState.Pruning);
    r.setJob(JobNames.prune(m.getMetadata().getName(), st.getRevision()));
    r.setMessage(
        "pruning " + plan.prune().size() + ", checking " + plan.check().size() + " backup(s)");
    DatabaseMigration written = new RetentionActions(client).record(m, r);
    if (new JobLauncher(client).createIfAbsent(jobs.build(written, r, pinnedNode))) {
      LOG.info("created Job {} ({})", r.getJob(), r.getMessage());
    }
    forget(all, forget);
    return written;
  }

  /** Defers planning to a later reconcile: the cache lags what the API server has. */
  private DatabaseMigration waitFor(DatabaseMigration m, String why) {
    waiting = why;
    LOG.info("retention waits for the record cache: {}", why);
    return m;
  }

  private void forget(List<DatabaseBackup> all, java.util.Set<String> names) {
    new RetentionActions(client)
        .forget(all.stream().filter(b -> names.contains(b.getMetadata().getName())).toList());
  }

  /**
   * The plan's items, with the file's name only: the record holds the path the backup Job saw, and
   * the prune Job finds the file by name in its own backup directory.
   */
  private static List<RetentionItem> items(List<BackupRecord> records) {
    return records.stream()
        .map(b -> new RetentionItem(b.name(), RetentionOutcome.fileName(b.file())))
        .toList();
  }

  private static RetentionStatus copy(RetentionStatus r) {
    return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().clone(r);
  }
}
