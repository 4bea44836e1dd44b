package io.dbguard.operator;

import io.dbguard.operator.act.RetentionActions;
import io.dbguard.operator.act.SnapshotPruner;
import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.RetentionItem;
import io.dbguard.operator.model.RetentionSpec;
import io.dbguard.operator.model.RetentionState;
import io.dbguard.operator.model.RetentionStatus;
import io.dbguard.operator.observe.BackupRecordObserver;
import io.dbguard.operator.plan.BackupRecord;
import io.dbguard.operator.plan.RetentionOutcome;
import io.dbguard.operator.plan.RetentionPlanner;
import io.dbguard.operator.plan.VolumeSnapshotFacts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of {@code backup.method: VolumeSnapshot} backups after a succeeded attempt
 * (docs/architecture.md, "Retention"), once per attempt. No Job: the operator deletes the
 * VolumeSnapshots itself.
 *
 * <ol>
 *   <li>Observe ({@link BackupRecordObserver}): the namespace's records (informer cache; planning
 *       waits while it lacks the attempt's own record, and the snapshots to delete are re-checked
 *       on the API server, as in {@link RetentionStage}), and for each VolumeSnapshot record of the
 *       database its VolumeSnapshot and the {@code deletionPolicy} of the bound
 *       VolumeSnapshotContent.
 *   <li>Plan ({@link RetentionPlanner}, method VolumeSnapshot).
 *   <li>Act: records whose snapshot is gone become {@code Missing}, those whose snapshot reports an
 *       error {@code Failed} (observed facts); the plan is written to {@code status.retention}
 *       ({@code Pruning}, the snapshots to delete and any VolumeSnapshotContent they retain)
 *       <b>before</b> any VolumeSnapshot is deleted; then each is deleted ({@link SnapshotPruner}),
 *       its record becomes {@code Pruned}, and {@code status.retention} {@code Done}. A restarted
 *       operator finds {@code Pruning} and finishes the recorded plan; it never plans twice for one
 *       revision.
 * </ol>
 *
 * A snapshot whose content has {@code deletionPolicy: Retain} is deleted like the others, but its
 * record's message and {@code status.retention} name the content that still holds the data, with
 * the commands that free it: it is reported, not assumed gone.
 */
final class SnapshotRetention {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRetention.class);

  private final KubernetesClient client;
  private final BackupRecordObserver observer;
  private final Clock clock;

  /** Why the last {@link #advance} deferred planning until the cache catches up, or null. */
  private String waiting;

  /**
   * @param observer reads the records (from the informer cache) and re-checks them live
   */
  SnapshotRetention(KubernetesClient client, BackupRecordObserver observer, Clock clock) {
    this.client = client;
    this.observer = observer;
    this.clock = clock;
  }

  /** Why the last {@link #advance} made no plan yet (the record cache lags), or null. */
  String waiting() {
    return waiting;
  }

  /**
   * Plans and carries out retention for the succeeded attempt of {@code m} (its status names the
   * revision), or finishes a recorded plan.
   *
   * @param sameNamespace the namespace's DatabaseMigrations (which backups are still needed)
   * @return {@code m} as last written
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  DatabaseMigration advance(DatabaseMigration m, List<DatabaseMigration> sameNamespace) {
    RetentionStatus r = m.getStatus().getRetention();
    if (r == null || !m.getStatus().getRevision().equals(r.getRevision())) {
      return plan(m, sameNamespace);
    }
    if (r.getState() == RetentionState.Pruning) {
      return finish(m, r, "");
    }
    return m;
  }

  private DatabaseMigration plan(DatabaseMigration m, List<DatabaseMigration> sameNamespace) {
    String ns = m.getMetadata().getNamespace();
    DatabaseMigrationSpec spec = m.getSpec();
    String db = spec.getDatabase().getName();
    String now = clock.instant().toString();
    String own =
        m.getStatus().getBackup() == null ? null : m.getStatus().getBackup().getDatabaseBackup();
    if (observer.waitForOwnRecord(ns, own)) {
      return waitFor(m, "the record cache does not show this attempt's DatabaseBackup " + own);
    }
    List<DatabaseBackup> all = observer.list(ns);
    List<BackupRecord> records = new ArrayList<>();
    for (DatabaseBackup b : all) {
      String snapshot = BackupRecordObserver.volumeSnapshotName(b);
      boolean observe =
          snapshot != null
              && b.getSpec() != null
              && db.equals(b.getSpec().getDatabase())
              && BackupRecordObserver.toRecord(b).state() != BackupState.Pruned;
      records.add(
          BackupRecordObserver.toRecord(b, observe ? observer.snapshot(ns, snapshot) : null));
    }
    RetentionSpec policy = spec.getBackup().getRetention();
    Integer keepLast = policy == null ? null : policy.getKeepLast();
    Integer maxAgeDays = policy == null ? null : policy.getMaxAgeDays();
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input(
                db,
                spec.getDatabase().getVolume() == null
                    ? null
                    : spec.getDatabase().getVolume().getClaimName(),
                null,
                keepLast == null ? 10 : keepLast,
                maxAgeDays == null ? null : Duration.ofDays(maxAgeDays),
                clock.instant(),
                BackupRecordObserver.inUse(db, sameNamespace),
                records,
                BackupMethod.VolumeSnapshot));
    plan.decisions()
        .forEach(d -> LOG.debug("retention {} {}: {}", d.action(), d.record().name(), d.why()));
    List<String> unsafe =
        observer.unsafeToDelete(ns, plan.prune().stream().map(BackupRecord::name).toList());
    if (!unsafe.isEmpty()) {
      return waitFor(m, String.join("; ", unsafe));
    }
    Map<String, DatabaseBackup> byName = byName(all);
    RetentionActions actions = new RetentionActions(client);
    // observed facts first: a snapshot that is gone or failed is never trusted again
    Map<String, RetentionOutcome.Change> marks = new LinkedHashMap<>();
    for (RetentionPlanner.Decision d : plan.marks()) {
      marks.put(
          d.record().name(),
          switch (d.action()) {
            case MISSING -> new RetentionOutcome.Change(BackupState.Missing, d.why());
            case FOUND -> new RetentionOutcome.Change(BackupState.Ready, null);
            default -> new RetentionOutcome.Change(BackupState.Failed, d.why());
          });
    }
    Map<BackupState, Integer> marked = actions.apply(byName, marks, now);
    String marksNote =
        marks.isEmpty()
            ? ""
            : "; "
                + marked.getOrDefault(BackupState.Missing, 0)
                + " VolumeSnapshot(s) not found (Missing), "
                + marked.getOrDefault(BackupState.Failed, 0)
                + " with an error (Failed), "
                + marked.getOrDefault(BackupState.Ready, 0)
                + " found again (Ready)";

    RetentionStatus r = new RetentionStatus();
    r.setRevision(m.getStatus().getRevision());
    r.setStartedAt(now);
    r.setPrune(items(plan.prune()));
    Set<String> forget = plan.forget().stream().map(BackupRecord::name).collect(Collectors.toSet());
    DatabaseMigration written;
    if (plan.prune().isEmpty()) {
      r.setState(RetentionState.Done);
      r.setCompletedAt(now);
      r.setMessage("nothing to prune" + marksNote);
      written = actions.record(m, r);
    } else {
      r.setState(RetentionState.Pruning);
      r.setMessage("deleting " + plan.prune().size() + " VolumeSnapshot(s)" + marksNote);
      written = finish(actions.record(m, r), r, marksNote); // write-ahead, then delete
    }
    actions.forget(all.stream().filter(b -> forget.contains(b.getMetadata().getName())).toList());
    return written;
  }

  /** Deletes the recorded snapshots (again, if a restart interrupted it) and writes the records. */
  private DatabaseMigration finish(DatabaseMigration m, RetentionStatus r, String marksNote) {
    String ns = m.getMetadata().getNamespace();
    String now = clock.instant().toString();
    SnapshotPruner pruner = new SnapshotPruner(client);
    Map<String, RetentionOutcome.Change> changes = new LinkedHashMap<>();
    List<String> retained = new ArrayList<>();
    for (RetentionItem i : r.getPrune() == null ? List.<RetentionItem>of() : r.getPrune()) {
      if (i.getVolumeSnapshot() == null) {
        continue;
      }
      pruner.delete(ns, i.getVolumeSnapshot());
      String message = "VolumeSnapshot " + i.getVolumeSnapshot() + " deleted by retention";
      if (i.getRetainedContent() != null) {
        retained.add(i.getRetainedContent());
        message += "; " + retainedNote(i.getRetainedContent());
      }
      changes.put(i.getDatabaseBackup(), new RetentionOutcome.Change(BackupState.Pruned, message));
    }
    Map<BackupState, Integer> counts =
        new RetentionActions(client).apply(byName(observer.list(ns)), changes, now);
    RetentionStatus done =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization().clone(r);
    done.setState(RetentionState.Done);
    done.setCompletedAt(now);
    done.setMessage(
        "deleted "
            + counts.getOrDefault(BackupState.Pruned, 0)
            + " VolumeSnapshot(s)"
            + marksNote
            + (retained.isEmpty()
                ? ""
                : "; VolumeSnapshotContent(s) with deletionPolicy Retain still hold the data and"
                    + " use storage: "
                    + String.join(", ", retained)
                    + " (see each record's message to free them)"));
    LOG.info("retention {}: {}", done.getState(), done.getMessage());
    return new RetentionActions(client).record(m, done);
  }

  /** Defers planning to a later reconcile: the cache lags what the API server has. */
  private DatabaseMigration waitFor(DatabaseMigration m, String why) {
    waiting = why;
    LOG.info("retention waits for the record cache: {}", why);
    return m;
  }

  /** Why the data of a pruned snapshot is still there, and how to free it. */
  static String retainedNote(String content) {
    return "its VolumeSnapshotContent "
        + content
        + " has deletionPolicy Retain, so the snapshot's data is still on the storage system"
        + " and uses space; to free it: kubectl patch volumesnapshotcontent "
        + content
        + " --type merge -p '{\"spec\":{\"deletionPolicy\":\"Delete\"}}' && kubectl delete"
        + " volumesnapshotcontent "
        + content;
  }

  private static List<RetentionItem> items(List<BackupRecord> records) {
    return records.stream()
        .map(
            b -> {
              RetentionItem i = new RetentionItem();
              i.setDatabaseBackup(b.name());
              i.setVolumeSnapshot(b.volumeSnapshot());
              VolumeSnapshotFacts f = b.snapshot();
              if (f != null && f.retainsContent()) {
                i.setRetainedContent(f.contentName());
              }
              return i;
            })
        .toList();
  }

  private static Map<String, DatabaseBackup> byName(List<DatabaseBackup> all) {
    return all.stream()
        .filter(b -> Objects.nonNull(b.getMetadata().getName()))
        .collect(Collectors.toMap(b -> b.getMetadata().getName(), Function.identity()));
  }
}
