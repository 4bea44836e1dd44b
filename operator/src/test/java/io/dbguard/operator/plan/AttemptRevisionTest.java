package io.dbguard.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Upgrading from dbguard 0.1: an attempt recorded under the old revision scheme is the same. */
class AttemptRevisionTest {
  static final String OLD =
      "b8b2a3aa"; // Revisions.legacy(fixture, shop:v2, null), see RevisionsTest

  static DatabaseMigrationStatus recorded(Phase phase) {
    DatabaseMigrationStatus s = new DatabaseMigrationStatus();
    s.setPhase(phase);
    s.setRevision(OLD);
    s.setImage("shop:v2");
    if (phase == Phase.Succeeded) {
      s.setLastSucceededRevision(OLD);
      s.setLastSucceededImage("shop:v2");
    }
    if (MigrationPlanner.RUNNING.contains(phase)) {
      CurrentStep c = new CurrentStep();
      c.setStep(Step.MIGRATE.label());
      c.setJob(JobNames.of("shop", Step.MIGRATE, OLD));
      c.setJobUid("uid-1");
      s.setCurrent(c);
    }
    return s;
  }

  static Observation observe(DatabaseMigrationSpec spec, DatabaseMigrationStatus st) {
    AttemptRevision r = AttemptRevision.resolve(spec, "shop:v2", null, st);
    return new Observation(
        "apps",
        "shop",
        2,
        spec,
        r.status(),
        null,
        "shop:v2",
        r.desired(),
        List.of(
            new JobObservation(
                JobNames.of("shop", Step.MIGRATE, OLD),
                "uid-1",
                Step.MIGRATE,
                JobObservation.State.ACTIVE,
                null,
                null,
                null)),
        Validation.ok(),
        Optional.empty(),
        TestingObservations.NOW);
  }

  @Test
  void succeededUnderTheOldSchemeStartsNothingAndIsReRecorded() {
    DatabaseMigrationSpec spec = RevisionsTest.fixture();
    Observation o = observe(spec, recorded(Phase.Succeeded));

    assertThat(MigrationPlanner.plan(o)).isInstanceOf(Plan.Noop.class);
    String now = Revisions.of(spec, "shop:v2", null);
    assertThat(o.desiredRevision()).isEqualTo(now);
    assertThat(o.status().getRevision()).isEqualTo(now);
    assertThat(o.status().getLastSucceededRevision()).isEqualTo(now);
    // once re-recorded, a retention edit starts nothing either
    spec.getBackup().getRetention().setKeepLast(2);
    assertThat(MigrationPlanner.plan(observe(spec, o.status()))).isInstanceOf(Plan.Noop.class);
  }

  @Test
  void editingKeepFailedCopiesOfASucceededMigrationStartsNothing() {
    DatabaseMigrationSpec spec = RevisionsTest.fixture();
    Observation o = observe(spec, recorded(Phase.Succeeded));
    assertThat(MigrationPlanner.plan(o)).isInstanceOf(Plan.Noop.class);
    spec.getBackup().setKeepFailedCopies(7);
    Observation edited = observe(spec, o.status());
    assertThat(edited.desiredRevision()).isEqualTo(o.status().getRevision());
    assertThat(MigrationPlanner.plan(edited)).isInstanceOf(Plan.Noop.class);
  }

  @Test
  void everyFinishedPhaseIsReRecorded() {
    for (Phase p : MigrationPlanner.FINISHED) {
      Observation o = observe(RevisionsTest.fixture(), recorded(p));
      assertThat(MigrationPlanner.plan(o)).as(p.name()).isEqualTo(new Plan.Noop(p));
    }
  }

  @Test
  void aRunningAttemptKeepsItsRecordedRevisionAndJobs() {
    Observation o = observe(RevisionsTest.fixture(), recorded(Phase.Migrating));
    assertThat(o.desiredRevision()).isEqualTo(OLD);
    assertThat(MigrationPlanner.plan(o)).isInstanceOf(Plan.Await.class);
  }

  @Test
  void aChangedAttemptAfterTheUpgradeIsANewAttempt() {
    DatabaseMigrationSpec spec = RevisionsTest.fixture();
    spec.getMigrate().setCommand(List.of("bin/rails", "db:migrate:redo"));
    Observation o = observe(spec, recorded(Phase.Succeeded));
    assertThat(o.status().getRevision()).isEqualTo(OLD);
    Plan plan = MigrationPlanner.plan(o);
    // With the default write fence the backup waits behind it: the plan it holds is the new
    // attempt.
    if (plan instanceof Plan.Fence fence) {
      plan = fence.held();
    }
    assertThat(plan)
        .isInstanceOfSatisfying(Plan.LaunchStep.class, l -> assertThat(l.newAttempt()).isTrue());
  }

  @Test
  void theRecordedStatusIsNotChangedInPlace() {
    DatabaseMigrationStatus st = recorded(Phase.Succeeded);
    AttemptRevision.resolve(RevisionsTest.fixture(), "shop:v2", null, st);
    assertThat(st.getRevision()).isEqualTo(OLD);
  }
}
