package io.dbguard.operator.plan;

import static io.dbguard.operator.plan.JobObservation.State.ACTIVE;
import static io.dbguard.operator.plan.JobObservation.State.FAILED;
import static io.dbguard.operator.plan.JobObservation.State.SUCCEEDED;
import static io.dbguard.operator.plan.TestingObservations.aMigration;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.OnFailure;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.WriteFence;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read-only fence's decision table ({@code writeFence: ReadOnly}, PostgreSQL): the expected
 * plan is written as {@code <held plan> | fence <state> [proceed|wait] [job FENCE|UNFENCE]} or just
 * the held plan when the fence does nothing.
 */
class ReadOnlyFencePlannerTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // --- going up: recorded first, then the raise Job; the backup waits for it
        row(
            "new attempt: record Fencing, raise Job, backup waits",
            () -> aMigration().readOnlyFence(),
            "Launch BACKUP new | fence Fencing wait job FENCE"),
        row(
            "analysis runs before the fence (the database is not read)",
            () ->
                aMigration()
                    .withAnalysis(io.dbguard.operator.model.LintMode.Enforce)
                    .readOnlyFence(),
            "Launch ANALYZE new"),
        row(
            "raise Job running: still waiting, the Job is not created twice (create-if-absent)",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.BACKUP)
                    .readOnlyFence(FenceState.Fencing)
                    .job(Step.FENCE, ACTIVE, null),
            "Launch BACKUP | fence Fencing wait job FENCE"),
        row(
            "restart before the raise Job existed: it is created (again)",
            () ->
                aMigration().readOnlyFence().running(Step.BACKUP).readOnlyFence(FenceState.Fencing),
            "Launch BACKUP | fence Fencing wait job FENCE"),
        row(
            "raise succeeded: Fenced, the backup Job is created",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.BACKUP)
                    .readOnlyFence(FenceState.Fencing)
                    .job(Step.FENCE, SUCCEEDED, 0),
            "Launch BACKUP | fence Fenced proceed"),
        row(
            "raise failed: the attempt fails before anything ran, the fence is lifted",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.BACKUP)
                    .readOnlyFence(FenceState.Fencing)
                    .job(Step.FENCE, FAILED, 7),
            "Fail Failed FenceFailed | fence Lifting proceed job UNFENCE"),
        row(
            "a fence held by an earlier attempt is taken over by the next one",
            () ->
                aMigration()
                    .readOnlyFence()
                    .finishedOldRevision(Phase.Failed)
                    .readOnlyFence(FenceState.Held),
            "Launch BACKUP new | fence Fencing wait job FENCE"),
        row(
            "a Lifted ScaleToZero record does not stop a ReadOnly fence",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .readOnlyFence()
                    .finishedOldRevision(Phase.Succeeded)
                    .fence(FenceState.Lifted, "web", 3)
                    .deploymentSeen("web", 3, 3),
            "Launch BACKUP new | fence Fencing wait job FENCE"),
        // --- fenced: the workloads are not scaled, the steps run
        row(
            "fenced, migrate running",
            () ->
                aMigration()
                    .readOnlyFence()
                    .rolloutDeployment("web", WriteFence.ReadOnly)
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, ACTIVE, null)
                    .readOnlyFence(FenceState.Fenced)
                    .deploymentSeen("web", 3, 3),
            "Await Migrating"),
        row(
            "fenced, migration failed: the restore runs under the fence",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1)
                    .readOnlyFence(FenceState.Fenced),
            "Restore MigrationFailed"),
        // --- coming down
        row(
            "succeeded: lift Job",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.VERIFY, SUCCEEDED, 0)
                    .readOnlyFence(FenceState.Fenced),
            "Complete | fence Lifting proceed job UNFENCE"),
        row(
            "rolled back: lift Job",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.RESTORE, SUCCEEDED, 0)
                    .readOnlyFence(FenceState.Fenced),
            "Fail RolledBack MigrationFailed | fence Lifting proceed job UNFENCE"),
        row(
            "backup failed (database untouched): lift Job",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.BACKUP)
                    .job(Step.BACKUP, FAILED, 3)
                    .readOnlyFence(FenceState.Fenced),
            "Fail Failed BackupFailed | fence Lifting proceed job UNFENCE"),
        row(
            "restart while lifting, lift Job not seen: created (again)",
            () ->
                aMigration()
                    .readOnlyFence()
                    .finished(Phase.Succeeded)
                    .readOnlyFence(FenceState.Lifting),
            "Noop Succeeded | fence Lifting proceed job UNFENCE"),
        row(
            "lift Job succeeded: Lifted",
            () ->
                aMigration()
                    .readOnlyFence()
                    .finished(Phase.Succeeded)
                    .readOnlyFence(FenceState.Lifting)
                    .job(Step.UNFENCE, SUCCEEDED, 0),
            "Noop Succeeded | fence Lifted proceed"),
        row(
            "lift Job failed: Held, with the error",
            () ->
                aMigration()
                    .readOnlyFence()
                    .finished(Phase.Succeeded)
                    .readOnlyFence(FenceState.Lifting)
                    .job(Step.UNFENCE, FAILED, 7),
            "Noop Succeeded | fence Held proceed"),
        row(
            "lifted: steady",
            () ->
                aMigration()
                    .readOnlyFence()
                    .finished(Phase.Succeeded)
                    .readOnlyFence(FenceState.Lifted),
            "Noop Succeeded"),
        // --- held: the database is in a state no one has checked
        row(
            "restore failed: the fence stays",
            () ->
                aMigration()
                    .readOnlyFence()
                    .running(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1)
                    .job(Step.RESTORE, FAILED, 1)
                    .readOnlyFence(FenceState.Fenced),
            "Fail Failed RestoreFailed | fence Held proceed"),
        row(
            "onFailure Halt after the migration ran: the fence stays",
            () ->
                aMigration()
                    .onFailure(OnFailure.Halt)
                    .readOnlyFence()
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1)
                    .readOnlyFence(FenceState.Fenced),
            "Fail Failed MigrationFailed | fence Held proceed"),
        row(
            "held: nothing happens until the next attempt",
            () ->
                aMigration()
                    .readOnlyFence()
                    .finished(Phase.Failed)
                    .reason(Reason.RESTORE_FAILED)
                    .readOnlyFence(FenceState.Held),
            "Noop Failed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String situation, Supplier<TestingObservations> given, String expected) {
    assertThat(describe(MigrationPlanner.plan(given.get().build()))).isEqualTo(expected);
  }

  @Test
  void aHeldFenceSaysHowToLiftItWithTheMigrationsSecret() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .readOnlyFence()
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(Step.RESTORE, FAILED, 1)
                .readOnlyFence(FenceState.Fenced)
                .build());
    Plan.Fence f = (Plan.Fence) p;
    assertThat(f.fence().getMessage())
        .contains("stays read-only for the application")
        .contains("`dbguard fence lift`")
        .contains("Secret apps/shop-db");
    assertThat(p.message()).contains("write fence held (database read-only)");
  }

  @Test
  void aFailedLiftAfterASucceededAttemptIsInTheStatusMessage() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .readOnlyFence()
                .finished(Phase.Succeeded)
                .readOnlyFence(FenceState.Lifting)
                .job(Step.UNFENCE, FAILED, 7)
                .build());
    assertThat(p.message())
        .contains("write fence held (database read-only)")
        .contains("the fence could not be lifted: step said 7");
  }

  @Test
  void theRaiseFailureIsTheAttemptsMessage() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .readOnlyFence()
                .running(Step.BACKUP)
                .readOnlyFence(FenceState.Fencing)
                .job(Step.FENCE, FAILED, 7)
                .build());
    assertThat(p.reason()).isEqualTo("FenceFailed");
    assertThat(p.message())
        .isEqualTo("the read-only write fence could not be raised, so nothing ran: step said 7");
  }

  static Arguments row(String situation, Supplier<TestingObservations> given, String expected) {
    return Arguments.of(situation, given, expected);
  }

  static String describe(Plan p) {
    if (p instanceof Plan.Fence f) {
      return held(f.held())
          + " | fence "
          + f.fence().getState()
          + (f.proceed() ? " proceed" : " wait")
          + (f.fenceJob() == null ? "" : " job " + f.fenceJob())
          + (f.actions().isEmpty() ? "" : " scale " + f.actions());
    }
    return held(p);
  }

  private static String held(Plan p) {
    if (p instanceof Plan.Fail f) {
      return "Fail " + f.phase() + " " + f.reason();
    }
    return WriteFencePlannerTest.describe(p);
  }
}
