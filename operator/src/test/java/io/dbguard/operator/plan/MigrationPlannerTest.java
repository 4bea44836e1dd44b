package io.dbguard.operator.plan;

import static io.dbguard.operator.plan.JobObservation.State.ACTIVE;
import static io.dbguard.operator.plan.JobObservation.State.FAILED;
import static io.dbguard.operator.plan.JobObservation.State.SUCCEEDED;
import static io.dbguard.operator.plan.TestingObservations.aMigration;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.LintMode;
import io.dbguard.operator.model.OnFailure;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.SeedPolicy;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's decision table: one row per situation, the expected plan written as {@code Launch
 * STEP [new]}, {@code Restore REASON}, {@code Await PHASE REASON}, {@code Complete}, {@code Fail
 * PHASE REASON [new]}, {@code Stall REASON} or {@code Noop PHASE}.
 */
class MigrationPlannerTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // --- starting an attempt: validation comes first, nothing starts on a bad spec
        row("new CR, nothing observed", () -> aMigration(), "Launch BACKUP new"),
        row(
            "new CR with analysis",
            () -> aMigration().withAnalysis(LintMode.Enforce),
            "Launch ANALYZE new"),
        row(
            "lint Off skips analysis",
            () -> aMigration().withAnalysis(LintMode.Off),
            "Launch BACKUP new"),
        row(
            "dangerous command in production",
            () ->
                aMigration()
                    .validation(
                        new Validation(
                            null, List.of(), "rails-db-reset", "db:reset drops the database")),
            "Fail Rejected DangerousCommand new"),
        row(
            "missing Secret",
            () ->
                aMigration()
                    .validation(new Validation(null, List.of("Secret/shop-db"), null, null)),
            "Stall MissingReference"),
        row(
            "invalid spec",
            () ->
                aMigration()
                    .validation(
                        new Validation(
                            "PostgreSQL needs database.urlSecretRef", List.of(), null, null)),
            "Stall InvalidSpec"),
        row(
            "another run on the same database",
            () -> aMigration().blockedBy("apps/other"),
            "Await Pending WaitingForDatabase"),
        row(
            "stalled Pending is re-evaluated",
            () -> aMigration().inPhase(Phase.Pending, null, null),
            "Launch BACKUP new"),
        row(
            "fromWorkload not created yet: wait for it, no attempt without an image",
            () -> aMigration().fromWorkloadNotYetCreated(),
            "Await Pending WaitingForWorkload"),
        row(
            "attempt recorded without an image (older operator), workload still missing",
            () -> aMigration().fromWorkloadNotYetCreated().running(Step.BACKUP),
            "Await Pending WaitingForWorkload"),
        row(
            "attempt recorded without an image, workload now there: a new attempt",
            () -> aMigration().fromWorkloadNotYetCreated().running(Step.BACKUP).forImage("shop:v2"),
            "Launch BACKUP new"),
        // --- steady states: no automatic retry of a finished attempt
        row("succeeded, same spec", () -> aMigration().finished(Phase.Succeeded), "Noop Succeeded"),
        row(
            "rolled back, same spec: no retry",
            () -> aMigration().finished(Phase.RolledBack),
            "Noop RolledBack"),
        row(
            "failed, same spec: no retry",
            () -> aMigration().finished(Phase.Failed),
            "Noop Failed"),
        row("blocked, same spec", () -> aMigration().finished(Phase.Blocked), "Noop Blocked"),
        row("rejected, same spec", () -> aMigration().finished(Phase.Rejected), "Noop Rejected"),
        row(
            "rolled back, new image",
            () -> aMigration().finishedOldRevision(Phase.RolledBack),
            "Launch BACKUP new"),
        row(
            "succeeded, new image",
            () -> aMigration().finishedOldRevision(Phase.Succeeded),
            "Launch BACKUP new"),
        row(
            "rolled back, retry annotation changes the revision",
            () -> aMigration().finished(Phase.RolledBack).retry("try-2"),
            "Launch BACKUP new"),
        row(
            "failed (Halt), retry annotation",
            () -> aMigration().onFailure(OnFailure.Halt).finished(Phase.Failed).retry("2"),
            "Launch BACKUP new"),
        // --- only the attempt definition starts an attempt (AttemptDefinition)
        row(
            "succeeded, retention and storage edited: nothing starts",
            () ->
                aMigration()
                    .finished(Phase.Succeeded)
                    .edit(
                        s -> {
                          s.setBackup(new io.dbguard.operator.model.BackupSpec());
                          s.getBackup().setRetention(new io.dbguard.operator.model.RetentionSpec());
                          s.getBackup().getRetention().setKeepLast(3);
                          s.getBackup().setCompressionLevel(9);
                        }),
            "Noop Succeeded"),
        row(
            "succeeded, rollout, jobTtlSeconds, onFailure and toolImage edited: nothing starts",
            () ->
                aMigration()
                    .finished(Phase.Succeeded)
                    .edit(
                        s -> {
                          s.setRollout(new io.dbguard.operator.model.RolloutSpec());
                          s.setJobTtlSeconds(600);
                          s.setOnFailure(OnFailure.Halt);
                          s.setToolImage("ghcr.io/dbguard/dbguard:0.2.0");
                        }),
            "Noop Succeeded"),
        row(
            "rolled back, migrate timeout edited: nothing starts (retry annotation does)",
            () ->
                aMigration()
                    .finished(Phase.RolledBack)
                    .edit(s -> s.getMigrate().setTimeoutSeconds(7200L)),
            "Noop RolledBack"),
        row(
            "succeeded, command edited",
            () ->
                aMigration()
                    .finished(Phase.Succeeded)
                    .edit(s -> s.getMigrate().setCommand(List.of("bin/rails", "db:migrate:up"))),
            "Launch BACKUP new"),
        row(
            "blocked, acknowledgement added",
            () ->
                aMigration()
                    .withAnalysis(LintMode.Enforce)
                    .finished(Phase.Blocked)
                    .edit(s -> s.getSafety().setAcknowledgeDataLoss(List.of("items.note"))),
            "Launch ANALYZE new"),
        // --- running steps
        row(
            "backup Job running",
            () -> aMigration().running(Step.BACKUP).job(Step.BACKUP, ACTIVE, null),
            "Await BackingUp StepRunning"),
        row(
            "intent recorded, Job never created (restart)",
            () -> aMigration().running(Step.MIGRATE),
            "Launch MIGRATE"),
        row(
            "Job seen, then vanished during backup: run backup again",
            () -> aMigration().running(Step.BACKUP).jobSeenBefore(),
            "Launch BACKUP"),
        row(
            "Job seen, then vanished during migrate: restore",
            () -> aMigration().running(Step.MIGRATE).jobSeenBefore().withRecordedBackup(),
            "Restore JobLost"),
        // --- analyze outcomes
        row(
            "analysis clean",
            () ->
                aMigration()
                    .withAnalysis(LintMode.Enforce)
                    .running(Step.ANALYZE)
                    .job(Step.ANALYZE, SUCCEEDED, 0),
            "Launch BACKUP"),
        row(
            "analysis warnings only",
            () ->
                aMigration()
                    .withAnalysis(LintMode.Enforce)
                    .running(Step.ANALYZE)
                    .job(Step.ANALYZE, FAILED, 1),
            "Launch BACKUP"),
        row(
            "analysis refuses (Enforce)",
            () ->
                aMigration()
                    .withAnalysis(LintMode.Enforce)
                    .running(Step.ANALYZE)
                    .job(Step.ANALYZE, FAILED, 2),
            "Fail Blocked AnalysisRefused"),
        row(
            "analysis refuses (Warn)",
            () ->
                aMigration()
                    .withAnalysis(LintMode.Warn)
                    .running(Step.ANALYZE)
                    .job(Step.ANALYZE, FAILED, 2),
            "Launch BACKUP"),
        row(
            "analysis tool error",
            () ->
                aMigration()
                    .withAnalysis(LintMode.Enforce)
                    .running(Step.ANALYZE)
                    .job(Step.ANALYZE, FAILED, 3),
            "Fail Failed AnalysisFailed"),
        // --- backup outcomes: migrate never runs without a verified backup
        row(
            "backup verified",
            () -> aMigration().running(Step.BACKUP).job(Step.BACKUP, SUCCEEDED, 0),
            "Launch MIGRATE"),
        row(
            "backup failed",
            () -> aMigration().running(Step.BACKUP).job(Step.BACKUP, FAILED, 10),
            "Fail Failed BackupFailed"),
        row(
            "backup corrupt",
            () -> aMigration().running(Step.BACKUP).job(Step.BACKUP, FAILED, 11),
            "Fail Failed BackupFailed"),
        row(
            "backup pod never wrote a result",
            () ->
                aMigration()
                    .running(Step.BACKUP)
                    .job(Step.BACKUP, FAILED, null, "DeadlineExceeded", null),
            "Fail Failed BackupFailed"),
        row(
            "backup failed, not required",
            () ->
                aMigration().backupNotRequired().running(Step.BACKUP).job(Step.BACKUP, FAILED, 10),
            "Launch MIGRATE"),
        row(
            "new spec while backing up: superseded at the safe point",
            () -> aMigration().runningOldRevision(Step.BACKUP).job(Step.BACKUP, SUCCEEDED, 0),
            "Launch BACKUP new"),
        // --- migrate outcomes
        row(
            "migrated",
            () ->
                aMigration()
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, SUCCEEDED, 0),
            "Launch VERIFY"),
        row(
            "migrated without backup",
            () ->
                aMigration()
                    .backupNotRequired()
                    .running(Step.MIGRATE)
                    .job(Step.MIGRATE, SUCCEEDED, 0),
            "Complete"),
        row(
            "migration failed",
            () ->
                aMigration()
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 21),
            "Restore MigrationFailed"),
        row(
            "migration timed out",
            () ->
                aMigration()
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, null, "DeadlineExceeded", null),
            "Restore MigrationTimedOut"),
        row(
            "migration failed, backup seen only in its Job",
            () ->
                aMigration()
                    .running(Step.MIGRATE)
                    .job(Step.BACKUP, SUCCEEDED, 0)
                    .job(Step.MIGRATE, FAILED, 1),
            "Restore MigrationFailed"),
        row(
            "migration failed, Halt",
            () ->
                aMigration()
                    .onFailure(OnFailure.Halt)
                    .running(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, FAILED, 1),
            "Fail Failed MigrationFailed"),
        row(
            "migration failed, no backup",
            () ->
                aMigration().backupNotRequired().running(Step.MIGRATE).job(Step.MIGRATE, FAILED, 1),
            "Fail Failed MigrationFailed"),
        row(
            "new spec while migrating: never interrupted",
            () ->
                aMigration()
                    .runningOldRevision(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, ACTIVE, null),
            "Await Migrating StepRunning"),
        row(
            "new spec, old migration done: finish the old attempt first",
            () ->
                aMigration()
                    .runningOldRevision(Step.MIGRATE)
                    .withRecordedBackup()
                    .job(Step.MIGRATE, SUCCEEDED, 0),
            "Launch VERIFY"),
        // --- verify outcomes
        row(
            "no data lost",
            () ->
                aMigration()
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.VERIFY, SUCCEEDED, 0),
            "Complete"),
        row(
            "data loss detected",
            () ->
                aMigration().running(Step.VERIFY).withRecordedBackup().job(Step.VERIFY, FAILED, 22),
            "Restore DataLossDetected"),
        row(
            "verification could not run",
            () ->
                aMigration().running(Step.VERIFY).withRecordedBackup().job(Step.VERIFY, FAILED, 5),
            "Restore VerificationFailed"),
        row(
            "data loss, Halt",
            () ->
                aMigration()
                    .onFailure(OnFailure.Halt)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.VERIFY, FAILED, 22),
            "Fail Failed DataLossDetected"),
        // --- seed policy
        row(
            "seed Always",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.Always)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.VERIFY, SUCCEEDED, 0),
            "Launch SEED"),
        row(
            "seed Never",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.Never)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.VERIFY, SUCCEEDED, 0),
            "Complete"),
        row(
            "seed NewDatabaseOnly, existing database",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.NewDatabaseOnly)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.BACKUP, SUCCEEDED, 0)
                    .job(Step.VERIFY, SUCCEEDED, 0),
            "Complete"),
        row(
            "seed NewDatabaseOnly, new database",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.NewDatabaseOnly)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.BACKUP, SUCCEEDED, 0, null, Map.of("newDatabase", "true"))
                    .job(Step.VERIFY, SUCCEEDED, 0),
            "Launch SEED"),
        row(
            "seed IfIdempotent, analysis says idempotent",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.IfIdempotent)
                    .withAnalysis(LintMode.Warn)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.ANALYZE, SUCCEEDED, 0, null, Map.of("seedIdempotent", "true"))
                    .job(Step.VERIFY, SUCCEEDED, 0),
            "Launch SEED"),
        row(
            "seed IfIdempotent, not idempotent on existing database",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.IfIdempotent)
                    .running(Step.VERIFY)
                    .withRecordedBackup()
                    .job(Step.VERIFY, SUCCEEDED, 0),
            "Complete"),
        row(
            "seeded",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.Always)
                    .running(Step.SEED)
                    .withRecordedBackup()
                    .job(Step.SEED, SUCCEEDED, 0),
            "Complete"),
        row(
            "seed failed",
            () ->
                aMigration()
                    .withSeed(SeedPolicy.Always)
                    .running(Step.SEED)
                    .withRecordedBackup()
                    .job(Step.SEED, FAILED, 1),
            "Restore SeedFailed"),
        // --- restore outcomes: never interrupted, never looped
        row(
            "restore running",
            () ->
                aMigration()
                    .running(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.RESTORE, ACTIVE, null),
            "Await Restoring StepRunning"),
        row(
            "restore running, new spec arrives",
            () ->
                aMigration()
                    .runningOldRevision(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.RESTORE, ACTIVE, null),
            "Await Restoring StepRunning"),
        row(
            "restored",
            () ->
                aMigration()
                    .running(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.RESTORE, SUCCEEDED, 0),
            "Fail RolledBack MigrationFailed"),
        row(
            "new SQLite database, migration failed: set aside what it created",
            () ->
                aMigration()
                    .onSqlite("data")
                    .running(Step.MIGRATE)
                    .backupSkippedAsNew()
                    .job(Step.MIGRATE, FAILED, 21),
            "Restore MigrationFailed"),
        row(
            "new SQLite database, seed failed: set aside",
            () ->
                aMigration()
                    .onSqlite("data")
                    .withSeed(SeedPolicy.NewDatabaseOnly)
                    .running(Step.SEED)
                    .backupSkippedAsNew()
                    .job(Step.SEED, FAILED, 1),
            "Restore SeedFailed"),
        row(
            "new SQLite database, migration failed, Halt",
            () ->
                aMigration()
                    .onSqlite("data")
                    .onFailure(OnFailure.Halt)
                    .running(Step.MIGRATE)
                    .backupSkippedAsNew()
                    .job(Step.MIGRATE, FAILED, 21),
            "Fail Failed MigrationFailed"),
        row(
            "new PostgreSQL database, migration failed: nothing to restore, left as it is",
            () ->
                aMigration()
                    .running(Step.MIGRATE)
                    .backupSkippedAsNew()
                    .job(Step.MIGRATE, FAILED, 21),
            "Fail Failed MigrationFailed"),
        row(
            "new SQLite database set aside",
            MigrationPlannerTest::newSqliteDatabaseSetAside,
            "Fail RolledBack MigrationFailed"),
        row(
            "restore failed",
            () ->
                aMigration()
                    .running(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.RESTORE, FAILED, 40),
            "Fail Failed RestoreFailed"),
        row(
            "restore Job lost",
            () -> aMigration().running(Step.RESTORE).withRecordedBackup().jobSeenBefore(),
            "Fail Failed RestoreFailed"),
        row(
            "restored, new spec waiting: next attempt only after RolledBack is recorded",
            () ->
                aMigration()
                    .runningOldRevision(Step.RESTORE)
                    .withRecordedBackup()
                    .job(Step.RESTORE, SUCCEEDED, 0),
            "Fail RolledBack MigrationFailed"));
  }

  @org.junit.jupiter.api.Test
  void aWaitForTheWorkloadNamesIt() {
    Plan p = MigrationPlanner.plan(aMigration().fromWorkloadNotYetCreated().build());
    assertThat(p.message()).contains("Deployment/shop").contains("\"web\"");
    assertThat(((Plan.Await) p).recheckSoon()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void resumingAStepKeepsTheRecordedCause() {
    // The restore's Job is not in the cache (just created): the plan re-creates it by name and
    // keeps the data-loss findings as the message instead of "resuming …".
    String cause = "2 rows of items lost (findings: items -2); restoring backup b1";
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .running(Step.RESTORE)
                .withRecordedBackup()
                .recorded(Reason.DATA_LOSS_DETECTED, cause)
                .build());
    assertThat(describe(p)).isEqualTo("Launch RESTORE");
    assertThat(p.reason()).isEqualTo(Reason.DATA_LOSS_DETECTED);
    assertThat(p.message()).isEqualTo(cause);
  }

  @org.junit.jupiter.api.Test
  void theRolledBackMessageKeepsTheCauseAfterAResume() {
    String cause = "2 rows of items lost (findings: items -2); restoring backup b1";
    TestingObservations t =
        aMigration().running(Step.RESTORE).withRecordedBackup().recorded("DataLossDetected", cause);
    Observation o = t.build();
    var afterResume = io.dbguard.operator.act.StatusRecorder.next(o, MigrationPlanner.plan(o));
    t.recorded(afterResume.getReason(), afterResume.getMessage()).job(Step.RESTORE, SUCCEEDED, 0);
    Plan done = MigrationPlanner.plan(t.build());
    assertThat(describe(done)).isEqualTo("Fail RolledBack MigrationFailed");
    assertThat(done.message()).contains(cause).doesNotContain("resuming");
  }

  @org.junit.jupiter.api.Test
  void aLostRestoreJobKeepsTheCause() {
    Plan p =
        MigrationPlanner.plan(
            aMigration()
                .running(Step.RESTORE)
                .withRecordedBackup()
                .jobSeenBefore()
                .recorded("DataLossDetected", "items -2")
                .build());
    assertThat(p.message()).contains("disappeared").contains("items -2");
  }

  static Arguments row(String name, Supplier<TestingObservations> given, String expected) {
    return Arguments.of(name, given, expected);
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("table")
  void decides(String name, Supplier<TestingObservations> given, String expected) {
    assertThat(describe(MigrationPlanner.plan(given.get().build()))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: recorded status is valid")
  @MethodSource("table")
  void recordedStatusHasNoEmptyOrNullConditionFields(
      String name, Supplier<TestingObservations> given, String expected) {
    Observation o = given.get().build();
    var status = io.dbguard.operator.act.StatusRecorder.next(o, MigrationPlanner.plan(o));
    assertThat(status.getConditions()).hasSize(7);
    status
        .getConditions()
        .forEach(
            c -> {
              assertThat(c.getMessage()).as(c.getType()).isNotBlank();
              assertThat(c.getReason()).as(c.getType()).isNotBlank();
              assertThat(c.getLastTransitionTime()).isNotBlank();
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
            });
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(status))
        .doesNotContain(":null");
  }

  /** A SQLite database that did not exist, set aside by the restore Job after a failed attempt. */
  static TestingObservations newSqliteDatabaseSetAside() {
    return aMigration()
        .onSqlite("data")
        .running(Step.RESTORE)
        .backupSkippedAsNew()
        .job(
            Step.RESTORE,
            SUCCEEDED,
            0,
            null,
            Map.of("keptFailedAs", "/var/lib/dbguard/db/app.db.failed-x"));
  }

  @org.junit.jupiter.api.Test
  void aSetAsideNewDatabaseSaysSoInsteadOfNamingABackup() {
    Plan p = MigrationPlanner.plan(newSqliteDatabaseSetAside().build());
    assertThat(((Plan.Fail) p).message())
        .startsWith("set aside the database the failed attempt created (kept as ")
        .contains("app.db.failed-x")
        .doesNotContain("restored backup");
  }

  static String describe(Plan p) {
    if (p instanceof Plan.LaunchStep l) {
      return "Launch " + l.step() + (l.newAttempt() ? " new" : "");
    } else if (p instanceof Plan.StartRestore r) {
      return "Restore " + r.reason();
    } else if (p instanceof Plan.Await a) {
      return "Await " + a.phase() + " " + a.reason();
    } else if (p instanceof Plan.Complete) {
      return "Complete";
    } else if (p instanceof Plan.Fail f) {
      return "Fail " + f.phase() + " " + f.reason() + (f.newAttempt() ? " new" : "");
    } else if (p instanceof Plan.Stall s) {
      return "Stall " + s.reason();
    } else if (p instanceof Plan.Noop n) {
      return "Noop " + n.phase();
    }
    throw new AssertionError(p);
  }
}
