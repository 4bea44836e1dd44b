package io.dbguard.operator.plan;

import static io.dbguard.operator.plan.JobObservation.State.FAILED;
import static io.dbguard.operator.plan.JobObservation.State.SUCCEEDED;
import static io.dbguard.operator.plan.TestingObservations.aMigration;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.LintMode;
import io.dbguard.operator.model.SnapshotState;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The VolumeSnapshot backup step's decision table (SQLite claim "data", Deployment "web" fenced
 * with ScaleToZero). Expected plans read {@code Snapshot create|wait <reason> [new]}, {@code Launch
 * <STEP> <reason>}, {@code Fail <phase> <reason>}, {@code Restore <reason>}, followed by {@code |
 * fence <state> proceed|wait} when the fence acts.
 */
class SnapshotPlannerTest {

  /** A running snapshot attempt behind a fence that is up (workload at 0, no pods). */
  static TestingObservations fencedAt(Step step) {
    return TestingObservations.aSnapshotMigrationFencedAt(step);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row(
            "new attempt: the snapshot is recorded, the fence goes up first, nothing is created",
            () ->
                aMigration()
                    .volumeSnapshot()
                    .rolloutDeployment("web", null)
                    .deploymentSeen("web", 3, 3),
            "Snapshot create StepStarted new | fence Fencing wait"),
        row(
            "fence still going down: the snapshot waits",
            () ->
                aMigration()
                    .volumeSnapshot()
                    .rolloutDeployment("web", null)
                    .running(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Requested)
                    .fence(FenceState.Fencing, "web", 3)
                    .deploymentSeen("web", 0, 1)
                    .snapshotSeen(false, false, false, null),
            "Snapshot create SnapshotRequested | fence Fencing wait"),
        row(
            "pods gone: Fenced, the snapshot is created now",
            () ->
                aMigration()
                    .volumeSnapshot()
                    .rolloutDeployment("web", null)
                    .running(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Requested)
                    .fence(FenceState.Fencing, "web", 3)
                    .deploymentSeen("web", 0, 0)
                    .snapshotSeen(false, false, false, null),
            "Snapshot create SnapshotRequested | fence Fenced proceed"),
        row(
            "restart after recording, before the create: create it (same name)",
            () ->
                fencedAt(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Requested)
                    .snapshotSeen(false, false, false, null),
            "Snapshot create SnapshotRequested"),
        row(
            "created, not bound yet: wait (Ready False, not Stalled)",
            () ->
                fencedAt(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Requested)
                    .snapshotSeen(true, false, false, null),
            "Snapshot wait SnapshotPending"),
        row(
            "taken (content + creationTime) but not readyToUse: wait",
            () ->
                fencedAt(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Taken)
                    .snapshotSeen(true, true, false, null),
            "Snapshot wait SnapshotNotReady"),
        row(
            "method edited to Dump mid-attempt: the attempt still waits for its snapshot",
            () ->
                fencedAt(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Taken)
                    .snapshotSeen(true, true, false, null)
                    .edit(
                        s -> s.getBackup().setMethod(io.dbguard.operator.model.BackupMethod.Dump)),
            "Snapshot wait SnapshotNotReady"),
        row(
            "readyToUse: the migration starts",
            () ->
                fencedAt(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Taken)
                    .snapshotSeen(true, true, true, null),
            "Launch MIGRATE SnapshotReady"),
        row(
            "readyToUse with backup.verify: the snapshot check Job runs first",
            () ->
                fencedAt(Step.BACKUP)
                    .edit(s -> s.getBackup().setVerify(true))
                    .snapshotRecorded(SnapshotState.Taken)
                    .snapshotSeen(true, true, true, null),
            "Launch SNAPSHOT_CHECK SnapshotReady"),
        row(
            "snapshot check passed: the migration starts",
            () ->
                fencedAt(Step.SNAPSHOT_CHECK)
                    .edit(s -> s.getBackup().setVerify(true))
                    .snapshotRecorded(SnapshotState.Ready)
                    .job(Step.SNAPSHOT_CHECK, SUCCEEDED, 0),
            "Launch MIGRATE BackupVerified"),
        row(
            "snapshot check found the copy corrupt (exit 11): SnapshotFailed, database untouched",
            () ->
                fencedAt(Step.SNAPSHOT_CHECK)
                    .edit(s -> s.getBackup().setVerify(true))
                    .snapshotRecorded(SnapshotState.Ready)
                    .job(Step.SNAPSHOT_CHECK, FAILED, 11),
            "Fail Failed SnapshotFailed | fence Lifting proceed"),
        row(
            "status.error: SnapshotFailed, the migration never runs, the fence is lifted",
            () ->
                fencedAt(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Requested)
                    .snapshotSeen(true, false, false, "csi: quota exceeded"),
            "Fail Failed SnapshotFailed | fence Lifting proceed"),
        row(
            "status.error with backup.required false: migrate without a backup",
            () ->
                fencedAt(Step.BACKUP)
                    .edit(s -> s.getBackup().setRequired(false))
                    .snapshotRecorded(SnapshotState.Requested)
                    .snapshotSeen(true, false, false, "csi: quota exceeded"),
            "Launch MIGRATE BackupNotRequired"),
        row(
            "a taken snapshot that disappeared before the migration: SnapshotFailed",
            () ->
                fencedAt(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Taken)
                    .snapshotSeen(false, false, false, null),
            "Fail Failed SnapshotFailed | fence Lifting proceed"),
        row(
            "ready, but the spec changed meanwhile: superseded (the database is untouched)",
            () ->
                aMigration()
                    .volumeSnapshot()
                    .rolloutDeployment("web", null)
                    .runningOldRevision(Step.BACKUP)
                    .snapshotRecorded(SnapshotState.Ready)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0)
                    .snapshotSeen(true, true, true, null),
            "Snapshot create Superseded new"),
        row(
            "analysis passed: the backup step is the snapshot (same attempt)",
            () ->
                aMigration()
                    .volumeSnapshot()
                    .withAnalysis(LintMode.Enforce)
                    .rolloutDeployment("web", null)
                    .running(Step.ANALYZE)
                    .deploymentSeen("web", 2, 2)
                    .job(Step.ANALYZE, SUCCEEDED, 0),
            "Snapshot create StepStarted | fence Fencing wait"),
        row(
            "migrated: the data check runs (against the claim from the snapshot)",
            () ->
                fencedAt(Step.MIGRATE)
                    .snapshotRecorded(SnapshotState.Ready)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, SUCCEEDED, 0),
            "Launch VERIFY StepStarted"),
        row(
            "migration failed: restore from the snapshot",
            () ->
                fencedAt(Step.MIGRATE)
                    .snapshotRecorded(SnapshotState.Ready)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1),
            "Restore MigrationFailed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String situation, Supplier<TestingObservations> given, String expected) {
    assertThat(describe(MigrationPlanner.plan(given.get().build()))).isEqualTo(expected);
  }

  @Test
  void theFailureNamesTheSnapshotAndTheErrorAndSaysTheDatabaseWasNotTouched() {
    Plan p =
        MigrationPlanner.plan(
            fencedAt(Step.BACKUP)
                .snapshotRecorded(SnapshotState.Requested)
                .snapshotSeen(true, false, false, "csi: quota exceeded")
                .build());
    String msg = ((Plan.Fence) p).held().message();
    assertThat(msg)
        .contains(
            "VolumeSnapshot " + SnapshotPlanner.name("shop", fencedAt(Step.BACKUP).revision()))
        .contains("of claim data")
        .contains("csi: quota exceeded")
        .contains("the database was not touched");
  }

  @Test
  void namesAreDeterministicAndShort() {
    String longName = "a".repeat(80);
    assertThat(SnapshotPlanner.name("shop", "ABCD1234")).isEqualTo("shop-snapshot-abcd1234");
    assertThat(SnapshotPlanner.copyClaimName("shop", "abcd1234"))
        .isEqualTo("shop-snapcopy-abcd1234");
    assertThat(SnapshotPlanner.name(longName, "abcd1234")).hasSizeLessThanOrEqualTo(63);
  }

  static Arguments row(String situation, Supplier<TestingObservations> given, String expected) {
    return Arguments.of(situation, given, expected);
  }

  static String describe(Plan p) {
    if (p instanceof Plan.Fence f) {
      return describe(f.held())
          + " | fence "
          + f.fence().getState()
          + (f.proceed() ? " proceed" : " wait");
    }
    if (p instanceof Plan.Snapshot s) {
      return "Snapshot "
          + (s.create() ? "create " : "wait ")
          + s.reason()
          + (s.newAttempt() ? " new" : "");
    }
    if (p instanceof Plan.LaunchStep l) {
      return "Launch " + l.step() + " " + l.reason() + (l.newAttempt() ? " new" : "");
    }
    if (p instanceof Plan.StartRestore r) {
      return "Restore " + r.reason();
    }
    if (p instanceof Plan.Fail f) {
      return "Fail " + f.phase() + " " + f.reason();
    }
    return p.toString();
  }
}
