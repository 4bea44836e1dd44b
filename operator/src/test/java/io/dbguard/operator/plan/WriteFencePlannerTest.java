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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The write fence's decision table (ScaleToZero, Deployment "web"): one row per situation; the
 * expected plan is written as {@code <held plan> | fence <state> [proceed|wait] scale name=N,…} or
 * just the held plan when the fence does nothing.
 */
class WriteFencePlannerTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // --- going up: counts recorded before anything is scaled, the Job waits for the pods
        row(
            "new attempt: record 3, scale to 0, backup Job waits",
            () -> aMigration().rolloutDeployment("web", null).deploymentSeen("web", 3, 3),
            "Launch BACKUP new | fence Fencing wait scale web=0 | recorded web=3"),
        row(
            "analysis runs before the fence (the database is not read)",
            () ->
                aMigration()
                    .withAnalysis(io.dbguard.operator.model.LintMode.Enforce)
                    .rolloutDeployment("web", null)
                    .deploymentSeen("web", 3, 3),
            "Launch ANALYZE new"),
        row(
            "scaled to 0, pods still ending: wait, no second scale",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.BACKUP)
                    .fence(FenceState.Fencing, "web", 3)
                    .deploymentSeen("web", 0, 2),
            "Launch BACKUP | fence Fencing wait | recorded web=3"),
        row(
            "restart after the count was recorded but before the scale: scale again, keep 3",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.BACKUP)
                    .fence(FenceState.Fencing, "web", 3)
                    .deploymentSeen("web", 3, 3),
            "Launch BACKUP | fence Fencing wait scale web=0 | recorded web=3"),
        row(
            "pods gone: Fenced, the backup Job is created",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.BACKUP)
                    .fence(FenceState.Fencing, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Launch BACKUP | fence Fenced proceed | recorded web=3"),
        row(
            "workload already at 0: recorded as 0",
            () -> aMigration().rolloutDeployment("web", null).deploymentSeen("web", 0, 0),
            "Launch BACKUP new | fence Fencing wait | recorded web=0"),
        row(
            "an unlifted earlier fence: its count is kept, not the 0 dbguard set",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .finishedOldRevision(Phase.Failed)
                    .fence(FenceState.Held, "web", 4)
                    .deploymentSeen("web", 0, 0),
            "Launch BACKUP new | fence Fencing wait | recorded web=4"),
        row(
            "writeFence None: nothing is scaled",
            () ->
                aMigration().rolloutDeployment("web", WriteFence.None).deploymentSeen("web", 3, 3),
            "Launch BACKUP new"),
        row("no workloads listed: nothing to fence", () -> aMigration(), "Launch BACKUP new"),
        // --- fenced
        row(
            "fenced, migrate running, nothing came back",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, ACTIVE, null)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Await Migrating"),
        row(
            "breach while migrate runs: scaled back to 0, breach recorded",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, ACTIVE, null)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 3, 1),
            "Await Migrating | fence Fenced proceed scale web=0 breached | recorded web=3"),
        row(
            "breach before the restore: the restore waits for the pods to end",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 2, 2),
            "Restore MigrationFailed | fence Fenced wait scale web=0 breached | recorded web=3"),
        // --- coming down: every outcome puts the count back, exactly once
        row(
            "succeeded: scale back to 3",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.VERIFY, SUCCEEDED, 0)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Complete | fence Lifting proceed scale web=3 | recorded web=3"),
        row(
            "rolled back: scale back to 3",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.RESTORE, SUCCEEDED, 0)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Fail RolledBack | fence Lifting proceed scale web=3 | recorded web=3"),
        row(
            "backup failed (database untouched): scale back to 3",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.BACKUP)
                    .job(Step.BACKUP, FAILED, 3)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Fail Failed | fence Lifting proceed scale web=3 | recorded web=3"),
        row(
            "restart while lifting, scale not yet done: scale again",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .finished(Phase.Succeeded)
                    .fence(FenceState.Lifting, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Noop Succeeded | fence Lifting proceed scale web=3 | recorded web=3"),
        row(
            "lifting, scale done: Lifted, nothing scaled twice",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .finished(Phase.Succeeded)
                    .fence(FenceState.Lifting, "web", 3)
                    .deploymentSeen("web", 3, 1),
            "Noop Succeeded | fence Lifted proceed | recorded web=3"),
        row(
            "lifting, someone (an HPA) already set 5: left at 5",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .finished(Phase.RolledBack)
                    .fence(FenceState.Lifting, "web", 3)
                    .deploymentSeen("web", 5, 5),
            "Noop RolledBack | fence Lifted proceed | recorded web=3"),
        row(
            "lifted: steady",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .finished(Phase.Succeeded)
                    .fence(FenceState.Lifted, "web", 3)
                    .deploymentSeen("web", 3, 3),
            "Noop Succeeded"),
        // --- held: the database is in a state no one has checked
        row(
            "restore failed: the fence stays",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .running(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1)
                    .job(Step.RESTORE, FAILED, 1)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Fail Failed | fence Held proceed | recorded web=3"),
        row(
            "onFailure Halt after the migration ran: the fence stays",
            () ->
                aMigration()
                    .onFailure(OnFailure.Halt)
                    .rolloutDeployment("web", null)
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1)
                    .fence(FenceState.Fenced, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Fail Failed | fence Held proceed | recorded web=3"),
        row(
            "held, still at 0: nothing happens",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .finished(Phase.Failed)
                    .reason(Reason.RESTORE_FAILED)
                    .fence(FenceState.Held, "web", 3)
                    .deploymentSeen("web", 0, 0),
            "Noop Failed"),
        row(
            "held, a person scaled it back: recorded as lifted",
            () ->
                aMigration()
                    .rolloutDeployment("web", null)
                    .finished(Phase.Failed)
                    .reason(Reason.RESTORE_FAILED)
                    .fence(FenceState.Held, "web", 3)
                    .deploymentSeen("web", 3, 3),
            "Noop Failed | fence Lifted proceed | recorded web=3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String situation, Supplier<TestingObservations> given, String expected) {
    assertThat(describe(MigrationPlanner.plan(given.get().build()))).isEqualTo(expected);
  }

  @Test
  void heldFenceNamesTheCommandsThatLiftIt() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", null)
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(Step.RESTORE, FAILED, 1)
                .fence(FenceState.Fenced, "web", 3)
                .deploymentSeen("web", 0, 0)
                .build());
    assertThat(((Plan.Fence) p).fence().getMessage())
        .contains("kubectl -n apps scale deployment/web --replicas=3");
    assertThat(p.message()).contains("kubectl -n apps scale deployment/web --replicas=3");
  }

  @Test
  void breachRecordsTheTimeOnce() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", null)
                .running(Step.MIGRATE)
                .withRecordedBackup()
                .job(Step.MIGRATE, ACTIVE, null)
                .fence(FenceState.Fenced, "web", 3)
                .deploymentSeen("web", 1, 1)
                .build());
    assertThat(((Plan.Fence) p).fence().getBreachedAt())
        .isEqualTo(TestingObservations.NOW.toString());
  }

  @Test
  void rollbackAfterAnUnfencedWindowSaysWritesMayBeDiscardedAndNamesTheKeptCopy() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", WriteFence.None)
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(
                    Step.RESTORE,
                    SUCCEEDED,
                    0,
                    null,
                    java.util.Map.of("keptFailedAs", "shop_failed_20260101T120000Z"))
                .deploymentSeen("web", 3, 3)
                .build());
    assertThat(p.phase()).isEqualTo(Phase.RolledBack);
    assertThat(p.message())
        .contains("WRITES MAY BE DISCARDED: writeFence is None")
        .contains("only in the failed copy shop_failed_20260101T120000Z");
  }

  @Test
  void writesTheRestoreCountedAreNamedWithTheirTablesAndTheKeptCopy() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", WriteFence.None)
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(
                    Step.RESTORE,
                    SUCCEEDED,
                    0,
                    null,
                    java.util.Map.of(
                        "keptFailedAs", "shop_failed_20260101T120000Z",
                        "writesAfterBackup", "found",
                        "writesAfterBackupTables", "public.orders, public.payments"))
                .deploymentSeen("web", 3, 3)
                .build());
    assertThat(p.phase()).isEqualTo(Phase.RolledBack);
    assertThat(p.message())
        .contains("WRITES AFTER THE BACKUP were discarded from the live database in")
        .contains("public.orders, public.payments")
        .contains("only in the failed copy shop_failed_20260101T120000Z");
  }

  @Test
  void writesCountedAfterAFencedWindowAreReportedToo() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", null)
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(
                    Step.RESTORE,
                    SUCCEEDED,
                    0,
                    null,
                    java.util.Map.of(
                        "writesAfterBackup", "found", "writesAfterBackupTables", "public.orders"))
                .fence(FenceState.Fenced, "web", 3)
                .deploymentSeen("web", 0, 0)
                .build());
    assertThat(((Plan.Fence) p).held().message())
        .contains("WRITES AFTER THE BACKUP were discarded from the live database in public.orders");
  }

  @Test
  void anUnfencedRollbackWithNoWritesCountedSaysSo() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", WriteFence.None)
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(
                    Step.RESTORE, SUCCEEDED, 0, null, java.util.Map.of("writesAfterBackup", "none"))
                .deploymentSeen("web", 3, 3)
                .build());
    assertThat(p.message())
        .contains("WRITES MAY BE DISCARDED")
        .contains("the restore counted none per table before restoring");
  }

  @Test
  void rollbackAfterABreachSaysWhen() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", null)
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(Step.RESTORE, SUCCEEDED, 0)
                .fence(FenceState.Fenced, "web", 3)
                .breachedAt("2026-01-01T11:59:50Z")
                .deploymentSeen("web", 0, 0)
                .build());
    assertThat(((Plan.Fence) p).held().message())
        .contains("the write fence was breached at 2026-01-01T11:59:50Z");
  }

  @Test
  void rollbackOfAFencedWindowSaysNothingAboutDiscardedWrites() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .rolloutDeployment("web", null)
                .running(Step.RESTORE)
                .withRecordedBackup()
                .job(Step.RESTORE, SUCCEEDED, 0)
                .fence(FenceState.Fenced, "web", 3)
                .deploymentSeen("web", 0, 0)
                .build());
    assertThat(((Plan.Fence) p).held().message()).doesNotContain("DISCARDED");
  }

  static Arguments row(String situation, Supplier<TestingObservations> given, String expected) {
    return Arguments.of(situation, given, expected);
  }

  static String describe(Plan p) {
    if (p instanceof Plan.Fence f) {
      String actions =
          f.actions().stream()
              .map(a -> a.name() + "=" + a.replicas())
              .collect(Collectors.joining(","));
      String recorded =
          f.fence().getWorkloads().stream()
              .map(w -> w.getName() + "=" + w.getReplicas())
              .collect(Collectors.joining(","));
      return describe(f.held())
          + " | fence "
          + f.fence().getState()
          + (f.proceed() ? " proceed" : " wait")
          + (actions.isEmpty() ? "" : " scale " + actions)
          + (f.fence().getBreachedAt() == null ? "" : " breached")
          + " | recorded "
          + recorded;
    }
    if (p instanceof Plan.LaunchStep l) {
      return "Launch " + l.step() + (l.newAttempt() ? " new" : "");
    } else if (p instanceof Plan.StartRestore r) {
      return "Restore " + r.reason();
    } else if (p instanceof Plan.Await a) {
      return "Await " + a.phase();
    } else if (p instanceof Plan.Complete) {
      return "Complete";
    } else if (p instanceof Plan.Fail f) {
      return "Fail " + f.phase();
    } else if (p instanceof Plan.Noop n) {
      return "Noop " + n.phase();
    }
    return p.toString();
  }
}
