package io.dbguard.operator.plan;

import static io.dbguard.operator.plan.JobObservation.State.ACTIVE;
import static io.dbguard.operator.plan.JobObservation.State.FAILED;
import static io.dbguard.operator.plan.JobObservation.State.SUCCEEDED;
import static io.dbguard.operator.plan.TestingObservations.aMigration;
import static io.dbguard.operator.plan.TestingObservations.backupRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.BackupStorage;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RestoreRequestState;
import io.dbguard.operator.model.RestoreRequestStatus;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Restores requested with {@code dbguard.io/restore}: one row per situation, with the plan (as
 * {@link WriteFencePlannerTest#describe} writes it) and the {@code status.restoreRequest} recorded
 * for it ({@code <state>: <message fragment>}).
 */
class RestoreRequestsTest {
  static final String FILE = "shop_production_20260101_115900";
  static final String BACKUP = "shop-production-20260101-115900";

  static BackupRecord verified() {
    return backupRecord(BACKUP, "shop", FILE, true);
  }

  /** A Succeeded migration asked to restore {@code backup} at its current revision. */
  static TestingObservations succeededAsked(BackupRecord backup) {
    TestingObservations t = aMigration().forImage("shop:v2").finished(Phase.Succeeded);
    return t.restoreRequest(BACKUP + "@" + t.revision(), backup);
  }

  static String value(TestingObservations t) {
    return BACKUP + "@" + t.revision();
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row(
            "verified backup of this database: restore, writers fenced first",
            () ->
                succeededAsked(verified())
                    .rolloutDeployment("web", null)
                    .deploymentSeen("web", 3, 3),
            "Restore RestoreRequested | fence Fencing wait scale web=0 | recorded web=3",
            "Pending: restoring backup " + BACKUP + " on request"),
        row(
            "no workloads to fence: the restore starts at once",
            () -> succeededAsked(verified()),
            "Restore RestoreRequested",
            "Pending: the live database is replaced by it"),
        row(
            "after RolledBack too",
            () -> {
              TestingObservations t = aMigration().forImage("shop:v2").finished(Phase.RolledBack);
              return t.restoreRequest(value(t), verified());
            },
            "Restore RestoreRequested",
            "Pending: restoring backup"),
        row(
            "after RestoreFailed, with the fence held: fenced again from the recorded count",
            () -> {
              TestingObservations t =
                  aMigration()
                      .forImage("shop:v2")
                      .rolloutDeployment("web", null)
                      .finished(Phase.Failed)
                      .reason(Reason.RESTORE_FAILED)
                      .fence(FenceState.Held, "web", 3)
                      .deploymentSeen("web", 0, 0);
              return t.restoreRequest(value(t), verified());
            },
            "Restore RestoreRequested | fence Fencing wait | recorded web=3",
            "Pending: restoring backup"),
        // --- refused: nothing starts, the reason is recorded
        row(
            "unverified backup",
            () -> succeededAsked(backupRecord(BACKUP, "shop", FILE, false)),
            "Noop Succeeded",
            "Refused: is not a verified backup"),
        row(
            "pruned backup",
            () ->
                succeededAsked(
                    new BackupRecord(
                        BACKUP,
                        "shop",
                        null,
                        null,
                        "/b/" + FILE + ".dump",
                        BackupMethod.Dump,
                        BackupState.Pruned,
                        true,
                        false,
                        null)),
            "Noop Succeeded",
            "Refused: is not a verified backup (state Pruned)"),
        row(
            "backup of another database",
            () -> succeededAsked(backupRecord(BACKUP, "billing", FILE, true)),
            "Noop Succeeded",
            "Refused: is a backup of database billing, not of shop"),
        row(
            "missing backup",
            () -> succeededAsked(null),
            "Noop Succeeded",
            "Refused: DatabaseBackup " + BACKUP + " does not exist in apps"),
        row(
            "a VolumeSnapshot backup",
            () ->
                succeededAsked(
                    new BackupRecord(
                        BACKUP,
                        "shop",
                        null,
                        null,
                        "snap-1",
                        BackupMethod.VolumeSnapshot,
                        BackupState.Ready,
                        true,
                        false,
                        null)),
            "Noop Succeeded",
            "Refused: is a VolumeSnapshot"),
        row(
            "a backup on another claim than the migration's backup storage",
            () -> {
              TestingObservations t =
                  aMigration()
                      .forImage("shop:v2")
                      .edit(
                          s -> {
                            s.setBackup(new io.dbguard.operator.model.BackupSpec());
                            BackupStorage st = new BackupStorage();
                            st.setClaimName("backups-new");
                            s.getBackup().setStorage(st);
                          })
                      .finished(Phase.Succeeded);
              return t.restoreRequest(value(t), verified());
            },
            "Noop Succeeded",
            "Refused: not on the migration's backup storage backups-new"),
        row(
            "a run in progress: it goes on, the request is refused",
            () -> {
              TestingObservations t =
                  aMigration().forImage("shop:v2").running(Step.MIGRATE).jobSeenBefore();
              t.job(Step.MIGRATE, ACTIVE, null);
              return t.restoreRequest(value(t), verified());
            },
            "Await Migrating",
            "Refused: a run is in progress (phase Migrating)"),
        row(
            "no attempt finished yet",
            () -> aMigration().forImage("shop:v2").restoreRequest(BACKUP + "@abcd1234", verified()),
            "Launch BACKUP new",
            "Refused: no attempt has finished yet"),
        row(
            "made for another revision",
            () -> succeededAsked(verified()).restoreRequest(BACKUP + "@0ld0ld00", verified()),
            "Noop Succeeded",
            "Refused: it was made for revision 0ld0ld00 but the migration is at revision"),
        row(
            "malformed value",
            () -> succeededAsked(verified()).restoreRequest("just-a-name", null),
            "Noop Succeeded",
            "Refused: the value is not <DatabaseBackup>@<revision>"),
        row(
            "another run holds the database",
            () -> succeededAsked(verified()).blockedBy("apps/shop-2"),
            "Noop Succeeded",
            "Refused: database shop is being migrated by apps/shop-2"),
        row(
            "writeFence ReadOnly",
            () -> {
              TestingObservations t =
                  aMigration().forImage("shop:v2").readOnlyFence().finished(Phase.Succeeded);
              return t.restoreRequest(value(t), verified());
            },
            "Noop Succeeded",
            "Refused: writeFence ReadOnly is not supported"),
        // --- handled once
        row(
            "a request already recorded Succeeded is not run again",
            () -> {
              TestingObservations t = succeededAsked(verified());
              return t.restoreRecorded(value(t), RestoreRequestState.Succeeded);
            },
            "Noop Succeeded",
            "Succeeded"),
        row(
            "a request already refused is not looked at again",
            () -> {
              TestingObservations t = succeededAsked(null);
              return t.restoreRecorded(value(t), RestoreRequestState.Refused);
            },
            "Noop Succeeded",
            "Refused"),
        row(
            "a new value after a finished request is a new request",
            () ->
                succeededAsked(verified()).restoreRecorded("old@1", RestoreRequestState.Succeeded),
            "Restore RestoreRequested",
            "Pending: restoring backup"),
        // --- the request's restore step
        row(
            "intent recorded, no Job yet (operator restarted): the same Job is created",
            () -> aMigration().forImage("shop:v2").restoringOnRequest("b@1", BACKUP, FILE),
            "Launch RESTORE",
            "Pending"),
        row(
            "restore Job running",
            () ->
                aMigration()
                    .forImage("shop:v2")
                    .restoringOnRequest("b@1", BACKUP, FILE)
                    .requestedRestoreJob(ACTIVE, null),
            "Await Restoring",
            "Running"),
        row(
            "restore Job succeeded: RolledBack, fence lifted",
            () ->
                aMigration()
                    .forImage("shop:v2")
                    .rolloutDeployment("web", null)
                    .restoringOnRequest("b@1", BACKUP, FILE)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0)
                    .requestedRestoreJob(SUCCEEDED, 0),
            "Fail RolledBack | fence Lifting proceed scale web=3 | recorded web=3",
            "Succeeded: restored backup " + BACKUP + " on request"),
        row(
            "restore Job failed: Failed RestoreFailed, fence held",
            () ->
                aMigration()
                    .forImage("shop:v2")
                    .rolloutDeployment("web", null)
                    .restoringOnRequest("b@1", BACKUP, FILE)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0)
                    .requestedRestoreJob(FAILED, 40),
            "Fail Failed | fence Held proceed | recorded web=3",
            "Failed: requested restore of backup " + BACKUP + " failed"),
        row(
            "restore Job lost (deleted before it finished): Failed RestoreFailed naming the"
                + " requested backup, not the attempt's own",
            () -> {
              TestingObservations t =
                  aMigration()
                      .forImage("shop:v2")
                      .restoringOnRequest("b@1", BACKUP, FILE)
                      .withRecordedBackup("shop_production_20251231_080000")
                      .jobSeenBefore();
              return t;
            },
            "Fail Failed",
            "Failed: requested restore of backup " + BACKUP + " failed: Job "));
  }

  static Arguments row(
      String situation, Supplier<TestingObservations> given, String plan, String recorded) {
    return Arguments.of(situation, given, plan, recorded);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String situation, Supplier<TestingObservations> given, String plan, String recorded) {
    Observation o = given.get().build();
    Plan p = MigrationPlanner.plan(o);
    assertThat(WriteFencePlannerTest.describe(p)).isEqualTo(plan);
    DatabaseMigrationStatus next = nextStatus(o, p);
    RestoreRequestStatus r = RestoreRequests.record(o, next, p);
    assertThat(r).isNotNull();
    int colon = recorded.indexOf(':');
    assertThat(r.getState().name()).isEqualTo(colon < 0 ? recorded : recorded.substring(0, colon));
    assertThat(r.getMessage() == null ? "" : r.getMessage())
        .contains(colon < 0 ? "" : recorded.substring(colon + 2));
  }

  /** The status fields {@link RestoreRequests#record} reads, as StatusRecorder would write them. */
  static DatabaseMigrationStatus nextStatus(Observation o, Plan p) {
    Plan base = p instanceof Plan.Fence f ? f.held() : p;
    DatabaseMigrationStatus s = new DatabaseMigrationStatus();
    s.setPhase(base instanceof Plan.Noop ? o.status().getPhase() : base.phase());
    s.setMessage(base.message());
    if (base instanceof Plan.StartRestore sr) {
      io.dbguard.operator.model.CurrentStep c = new io.dbguard.operator.model.CurrentStep();
      c.setJob(sr.jobName());
      s.setCurrent(c);
    } else if ((base instanceof Plan.Await || base instanceof Plan.LaunchStep)
        && o.status() != null) {
      s.setCurrent(o.status().getCurrent());
    }
    return s;
  }

  @Test
  void theJobIsNamedAfterTheRequestAndTheFileGivesTheBackupName() {
    assertThat(RestoreRequests.jobName("shop", "b@1"))
        .matches("shop-restorereq-[0-9a-f]{8}")
        .isEqualTo(RestoreRequests.jobName("shop", "b@1"))
        .isNotEqualTo(RestoreRequests.jobName("shop", "b@2"));
    assertThat(RestoreRequests.backupName(verified())).isEqualTo(FILE);
    assertThat(RestoreRequests.backupName(backupRecord("x", "shop", "a_b_c-2", true)))
        .isEqualTo("a_b_c-2");
    assertThat(RestoreRequests.Request.parse("shop-1@ab12cd34"))
        .isEqualTo(new RestoreRequests.Request("shop-1", "ab12cd34"));
    assertThat(RestoreRequests.Request.parse("@ab")).isNull();
    assertThat(RestoreRequests.Request.parse("shop@")).isNull();
  }

  @Test
  void theRestoreJobIsGivenTheRequestedBackup() {
    DatabaseMigrationStatus st =
        aMigration().forImage("shop:v2").restoringOnRequest("b@1", BACKUP, FILE).build().status();
    st.setBackup(new io.dbguard.operator.model.BackupStatusRef());
    st.getBackup().setName("the_attempts_own_backup");
    assertThat(RestoreRequests.backupFor(Step.RESTORE, st)).isEqualTo(FILE);
    assertThat(RestoreRequests.backupFor(Step.VERIFY, st)).isEqualTo("the_attempts_own_backup");
    st.getCurrent().setRestoreCause(Reason.MIGRATION_FAILED);
    assertThat(RestoreRequests.backupFor(Step.RESTORE, st)).isEqualTo("the_attempts_own_backup");
  }

  @Test
  void aRefusalIsReportedOnce() {
    DatabaseMigrationStatus before = new DatabaseMigrationStatus();
    DatabaseMigrationStatus next = new DatabaseMigrationStatus();
    RestoreRequestStatus r = new RestoreRequestStatus();
    r.setValue("b@1");
    r.setState(RestoreRequestState.Refused);
    next.setRestoreRequest(r);
    assertThat(RestoreRequests.refusedNow(before, next)).isTrue();
    assertThat(RestoreRequests.refusedNow(next, next)).isFalse();
    assertThat(RestoreRequests.refusedNow(null, next)).isTrue();
  }
}
