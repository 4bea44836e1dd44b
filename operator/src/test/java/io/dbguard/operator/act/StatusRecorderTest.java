package io.dbguard.operator.act;

import static io.dbguard.operator.plan.JobObservation.State.ACTIVE;
import static io.dbguard.operator.plan.JobObservation.State.SUCCEEDED;
import static io.dbguard.operator.plan.TestingObservations.aMigration;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Plan;
import io.dbguard.operator.plan.Step;
import io.dbguard.operator.plan.TestingObservations;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

class StatusRecorderTest {

  static DatabaseMigrationStatus record(TestingObservations given) {
    Observation o = given.build();
    return StatusRecorder.next(o, MigrationPlanner.plan(o));
  }

  static Condition cond(DatabaseMigrationStatus s, String type) {
    return Conditions.find(s.getConditions(), type);
  }

  @Test
  void firstLaunchRecordsIntentBeforeTheJobExists() {
    DatabaseMigrationStatus s = record(aMigration().forImage("shop:v2"));
    assertThat(s.getPhase()).isEqualTo(Phase.BackingUp);
    assertThat(s.getAttempt()).isEqualTo(1);
    assertThat(s.getImage()).isEqualTo("shop:v2");
    assertThat(s.getCurrent().getStep()).isEqualTo("Backup");
    assertThat(s.getCurrent().getJob()).isEqualTo("shop-backup-" + s.getRevision());
    assertThat(s.getCurrent().getJobUid()).isNull();
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(cond(s, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Stalled").getStatus()).isEqualTo("False");
    assertThat(s.getHistory()).hasSize(1);
  }

  @Test
  void backupFromTheJobIsRecordedAndMigrateLaunched() {
    DatabaseMigrationStatus s =
        record(aMigration().running(Step.BACKUP).job(Step.BACKUP, SUCCEEDED, 0));
    assertThat(s.getPhase()).isEqualTo(Phase.Migrating);
    assertThat(s.getBackup().getName()).isEqualTo("shop_production_20260101_115900");
    assertThat(s.getBackup().getDatabaseBackup()).isEqualTo("shop-production-20260101-115900");
    assertThat(cond(s, "BackupVerified").getStatus()).isEqualTo("True");
  }

  @Test
  void seenJobUidIsRecordedSoALostJobIsRecognised() {
    DatabaseMigrationStatus s =
        record(aMigration().running(Step.MIGRATE).job(Step.MIGRATE, ACTIVE, null));
    assertThat(s.getCurrent().getJobUid()).isEqualTo("uid-MIGRATE");
  }

  @Test
  void succeededOpensTheRolloutAndCarriesTransitionTimesForward() {
    TestingObservations given =
        aMigration().running(Step.VERIFY).withRecordedBackup().job(Step.VERIFY, SUCCEEDED, 0);
    DatabaseMigrationStatus s = record(given);
    assertThat(s.getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(s.getLastSucceededImage()).isEqualTo("shop:v1");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(cond(s, "RolloutAllowed").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Reconciling").getStatus()).isEqualTo("False");

    // An unchanged condition keeps its lastTransitionTime on the next write.
    s.getConditions().forEach(c -> c.setLastTransitionTime("2025-12-31T00:00:00Z"));
    Observation o2 =
        new Observation(
            "apps",
            "shop",
            1,
            given.build().spec(),
            s,
            null,
            "shop:v1",
            given.revision(),
            java.util.List.of(),
            io.dbguard.operator.plan.Validation.ok(),
            java.util.Optional.empty(),
            TestingObservations.NOW.plusSeconds(60));
    Plan p = MigrationPlanner.plan(o2);
    assertThat(p).isInstanceOf(Plan.Noop.class);
    DatabaseMigrationStatus s2 = StatusRecorder.next(o2, p);
    assertThat(cond(s2, "Ready").getLastTransitionTime()).isEqualTo("2025-12-31T00:00:00Z");
  }

  @Test
  void rolledBackIsStalledNotReady() {
    DatabaseMigrationStatus s =
        record(
            aMigration()
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(Step.RESTORE, SUCCEEDED, 0));
    assertThat(s.getPhase()).isEqualTo(Phase.RolledBack);
    assertThat(cond(s, "RolledBack").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Stalled").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(cond(s, "RolloutAllowed").getStatus()).isEqualTo("False");
    assertThat(s.getHistory()).isNull();
  }

  @Test
  void aRequestedRestoreIsAnEntryOfTheHistoryWithItsBackupTimesAndOutcome() {
    // attempt 1 succeeded; then kubectl dbguard restore asks for an older backup
    TestingObservations t =
        aMigration().forImage("shop:v2").finished(io.dbguard.operator.model.Phase.Succeeded);
    t.restoreRequest(
        "shop-production-20251231-080000@" + t.revision(),
        TestingObservations.backupRecord(
            "shop-production-20251231-080000", "shop", "shop_production_20251231_080000", true));
    Observation asked = t.build();
    io.dbguard.operator.model.AttemptRecord first = new io.dbguard.operator.model.AttemptRecord();
    first.setAttempt(1);
    first.setRevision(t.revision());
    first.setImage("shop:v2");
    first.setPhase(Phase.Succeeded);
    first.setReason("Succeeded");
    first.setStartedAt("2026-01-01T10:00:00Z");
    first.setFinishedAt("2026-01-01T10:05:00Z");
    asked.status().setHistory(java.util.List.of(first));

    DatabaseMigrationStatus started = StatusRecorder.next(asked, MigrationPlanner.plan(asked));
    assertThat(started.getPhase()).isEqualTo(Phase.Restoring);
    assertThat(started.getHistory()).hasSize(2);
    // the attempt keeps its own outcome; the restore is an entry of its own
    assertThat(started.getHistory().get(0).getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(started.getHistory().get(0).getRestoredBackup()).isNull();
    var entry = started.getHistory().get(1);
    assertThat(entry.getAttempt()).isEqualTo(1);
    assertThat(entry.getRevision()).isEqualTo(t.revision());
    assertThat(entry.getImage()).isEqualTo("shop:v2");
    assertThat(entry.getRestoredBackup()).isEqualTo("shop-production-20251231-080000");
    assertThat(entry.getPhase()).isEqualTo(Phase.Restoring);
    assertThat(entry.getReason()).isEqualTo("RestoreRequested");
    assertThat(entry.getStartedAt()).isEqualTo(TestingObservations.NOW.toString());
    assertThat(entry.getFinishedAt()).isNull();

    // its Job restored the backup: the entry ends RolledBack, the attempt's entry is untouched
    for (var outcome : java.util.List.of(true, false)) {
      TestingObservations r =
          aMigration()
              .forImage("shop:v2")
              .restoringOnRequest(
                  "shop-production-20251231-080000@" + t.revision(),
                  "shop-production-20251231-080000",
                  "shop_production_20251231_080000")
              .requestedRestoreJob(
                  outcome
                      ? io.dbguard.operator.plan.JobObservation.State.SUCCEEDED
                      : io.dbguard.operator.plan.JobObservation.State.FAILED,
                  outcome ? 0 : 40);
      Observation ended = r.build();
      ended.status().setHistory(started.getHistory());
      DatabaseMigrationStatus done = StatusRecorder.next(ended, MigrationPlanner.plan(ended));
      assertThat(done.getHistory()).hasSize(2);
      assertThat(done.getHistory().get(0).getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(done.getHistory().get(0).getFinishedAt()).isEqualTo("2026-01-01T10:05:00Z");
      var last = done.getHistory().get(1);
      assertThat(last.getRestoredBackup()).isEqualTo("shop-production-20251231-080000");
      assertThat(last.getPhase()).isEqualTo(outcome ? Phase.RolledBack : Phase.Failed);
      assertThat(last.getReason()).isEqualTo(outcome ? "RestoreRequested" : "RestoreFailed");
      assertThat(last.getFinishedAt()).isEqualTo(TestingObservations.NOW.toString());
    }
  }

  @Test
  void historyIsBounded() {
    TestingObservations given = aMigration().finishedOldRevision(Phase.Succeeded);
    Observation o = given.build();
    DatabaseMigrationStatus s = o.status();
    for (int i = 0; i < 15; i++) {
      Observation oi =
          new Observation(
              "apps",
              "shop",
              1,
              o.spec(),
              s,
              "t" + i,
              "shop:v1",
              "rev" + i + "0000",
              java.util.List.of(),
              io.dbguard.operator.plan.Validation.ok(),
              java.util.Optional.empty(),
              TestingObservations.NOW);
      s = StatusRecorder.next(oi, new Plan.Fail(Phase.Rejected, "DangerousCommand", "x", true));
    }
    assertThat(s.getHistory()).hasSize(StatusRecorder.HISTORY_LIMIT);
    assertThat(s.getAttempt()).isEqualTo(16);
    assertThat(s.getHistory().get(9).getAttempt()).isEqualTo(16);
  }

  @Test
  void snapshotNameIsRecordedBeforeItExistsAndReadyBecomesTheVerifiedBackup() {
    DatabaseMigrationStatus requested =
        record(
            aMigration()
                .volumeSnapshot()
                .rolloutDeployment("web", null)
                .deploymentSeen("web", 0, 0));
    assertThat(requested.getPhase()).isEqualTo(Phase.BackingUp);
    assertThat(requested.getSnapshot().getName())
        .isEqualTo("shop-snapshot-" + requested.getRevision());
    assertThat(requested.getSnapshot().getState())
        .isEqualTo(io.dbguard.operator.model.SnapshotState.Requested);
    assertThat(requested.getSnapshot().getSourceClaim()).isEqualTo("data");
    assertThat(requested.getSnapshot().getVolumeSnapshotClassName()).isEqualTo("csi-snap");
    assertThat(requested.getCurrent().getJob()).isEqualTo(requested.getSnapshot().getName());
    assertThat(requested.getBackup()).isNull();

    DatabaseMigrationStatus waiting =
        record(
            TestingObservations.aSnapshotMigrationFencedAt(Step.BACKUP)
                .snapshotRecorded(io.dbguard.operator.model.SnapshotState.Requested)
                .snapshotSeen(true, true, false, null));
    assertThat(waiting.getReason()).isEqualTo("SnapshotNotReady");
    assertThat(waiting.getSnapshot().getState())
        .isEqualTo(io.dbguard.operator.model.SnapshotState.Taken);
    assertThat(waiting.getSnapshot().getCreationTime()).isEqualTo("2026-01-01T11:59:00Z");
    assertThat(cond(waiting, "Ready").getStatus()).isEqualTo("False");
    assertThat(cond(waiting, "Stalled").getStatus()).isEqualTo("False");
    assertThat(cond(waiting, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(waiting.getBackup()).isNull();

    DatabaseMigrationStatus ready =
        record(
            TestingObservations.aSnapshotMigrationFencedAt(Step.BACKUP)
                .snapshotRecorded(io.dbguard.operator.model.SnapshotState.Taken)
                .snapshotSeen(true, true, true, null));
    assertThat(ready.getPhase()).isEqualTo(Phase.Migrating);
    assertThat(ready.getSnapshot().getState())
        .isEqualTo(io.dbguard.operator.model.SnapshotState.Ready);
    assertThat(ready.getBackup().getName()).isEqualTo(ready.getSnapshot().getName());
    assertThat(ready.getBackup().getSizeBytes()).isEqualTo(1L << 30);
    assertThat(cond(ready, "BackupVerified").getStatus()).isEqualTo("True");
  }

  @Test
  void snapshotErrorIsStalledWithReasonSnapshotFailed() {
    DatabaseMigrationStatus s =
        record(
            TestingObservations.aSnapshotMigrationFencedAt(Step.BACKUP)
                .snapshotRecorded(io.dbguard.operator.model.SnapshotState.Requested)
                .snapshotSeen(true, false, false, "csi: quota exceeded"));
    assertThat(s.getPhase()).isEqualTo(Phase.Failed);
    assertThat(s.getSnapshot().getError()).isEqualTo("csi: quota exceeded");
    assertThat(cond(s, "Stalled").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Stalled").getReason()).isEqualTo("SnapshotFailed");
    assertThat(cond(s, "Stalled").getMessage()).contains("csi: quota exceeded");
  }

  @Test
  void theCopyClaimIsNamedBeforeTheRestoreNeedsIt() {
    DatabaseMigrationStatus s =
        record(
            TestingObservations.aSnapshotMigrationFencedAt(Step.MIGRATE)
                .snapshotRecorded(io.dbguard.operator.model.SnapshotState.Ready)
                .withRecordedBackup()
                .job(Step.MIGRATE, io.dbguard.operator.plan.JobObservation.State.FAILED, 1));
    assertThat(s.getPhase()).isEqualTo(Phase.Restoring);
    assertThat(s.getSnapshot().getCopyClaim()).isEqualTo("shop-snapcopy-" + s.getRevision());
  }

  @Test
  void withBackupVerifyTheSnapshotBecomesTheBackupOnlyOnceTheCheckPassed() {
    DatabaseMigrationStatus ready =
        record(
            TestingObservations.aSnapshotMigrationFencedAt(Step.BACKUP)
                .edit(sp -> sp.getBackup().setVerify(true))
                .snapshotRecorded(io.dbguard.operator.model.SnapshotState.Taken)
                .snapshotSeen(true, true, true, null));
    assertThat(ready.getCurrent().getStep()).isEqualTo("SnapshotCheck");
    assertThat(ready.getCurrent().getJob()).isEqualTo("shop-snapshotcheck-" + ready.getRevision());
    assertThat(ready.getSnapshot().getCopyClaim())
        .isEqualTo("shop-snapcopy-" + ready.getRevision());
    assertThat(ready.getBackup()).as("not verified yet").isNull();

    DatabaseMigrationStatus checked =
        record(
            TestingObservations.aSnapshotMigrationFencedAt(Step.SNAPSHOT_CHECK)
                .edit(sp -> sp.getBackup().setVerify(true))
                .snapshotRecorded(io.dbguard.operator.model.SnapshotState.Ready)
                .snapshotSeen(true, true, true, null)
                .job(Step.SNAPSHOT_CHECK, SUCCEEDED, 0));
    assertThat(checked.getPhase()).isEqualTo(Phase.Migrating);
    assertThat(checked.getBackup().getName()).isEqualTo(checked.getSnapshot().getName());
  }
}
