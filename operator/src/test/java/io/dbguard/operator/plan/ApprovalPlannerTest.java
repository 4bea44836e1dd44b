package io.dbguard.operator.plan;

import static io.dbguard.operator.plan.JobObservation.State.ACTIVE;
import static io.dbguard.operator.plan.JobObservation.State.FAILED;
import static io.dbguard.operator.plan.JobObservation.State.SUCCEEDED;
import static io.dbguard.operator.plan.TestingObservations.NOW;
import static io.dbguard.operator.plan.TestingObservations.aMigration;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.act.StatusRecorder;
import io.dbguard.operator.model.ApprovalMode;
import io.dbguard.operator.model.LintMode;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.WriteFence;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan step and the approval ({@code spec.approval}) as a decision table, written as in {@link
 * MigrationPlannerTest}; the expected reason of a launch is added where it matters ({@code Launch
 * BACKUP Approved}).
 */
class ApprovalPlannerTest {
  private static final String OTHER = "0ld0ld00";

  static Stream<Arguments> table() {
    return Stream.of(
        // --- whether an attempt plans first
        row("no spec.approval: no plan step", () -> aMigration(), "Launch BACKUP new StepStarted"),
        row(
            "Manual: the attempt starts with the plan",
            () -> manual(),
            "Launch PLAN new StepStarted"),
        row(
            "mode unset means Manual, and plans first",
            () -> aMigration().withApproval(null, null),
            "Launch PLAN new StepStarted"),
        row(
            "Automatic plans first too",
            () -> aMigration().withApproval(ApprovalMode.Automatic, null),
            "Launch PLAN new StepStarted"),
        row(
            "the write fence does not go up for the plan",
            () ->
                manual()
                    .rolloutDeployment("web", WriteFence.ScaleToZero)
                    .deploymentSeen("web", 3, 3),
            "Launch PLAN new StepStarted"),
        // --- the plan Job
        row(
            "plan running",
            () -> manual().running(Step.PLAN).job(Step.PLAN, ACTIVE, null),
            "Await Planning StepRunning"),
        row(
            "plan intent recorded, Job not created yet",
            () -> manual().running(Step.PLAN),
            "Launch PLAN StepStarted"),
        row(
            "plan Job seen, then gone before it finished: plan again (read-only)",
            () -> manual().running(Step.PLAN).jobSeenBefore(),
            "Launch PLAN JobLost"),
        row(
            "plan failed (exit 3)",
            () -> manual().running(Step.PLAN).job(Step.PLAN, FAILED, 3),
            "Fail Failed PlanFailed"),
        row(
            "database unreachable (exit 5)",
            () -> manual().running(Step.PLAN).job(Step.PLAN, FAILED, 5),
            "Fail Failed PlanFailed"),
        row(
            "plan Job failed without a result",
            () ->
                manual().running(Step.PLAN).job(Step.PLAN, FAILED, null, "DeadlineExceeded", null),
            "Fail Failed PlanFailed"),
        row(
            "plan refuses (exit 2), lint Enforce: Blocked, nobody is asked",
            () -> manual().running(Step.PLAN).job(Step.PLAN, FAILED, 2),
            "Fail Blocked AnalysisRefused"),
        row(
            "plan refuses (exit 2), lint Warn: the human decides",
            () ->
                manual()
                    .withAnalysis(LintMode.Warn)
                    .withApproval(ApprovalMode.Manual, null)
                    .running(Step.PLAN)
                    .job(Step.PLAN, FAILED, 2),
            "Await AwaitingApproval AwaitingApproval"),
        // --- the approval
        row(
            "plan done, Manual, no approval: wait",
            () -> manual().running(Step.PLAN).job(Step.PLAN, SUCCEEDED, 0),
            "Await AwaitingApproval AwaitingApproval"),
        row(
            "plan with warnings (exit 1): wait",
            () -> manual().running(Step.PLAN).job(Step.PLAN, FAILED, 1),
            "Await AwaitingApproval AwaitingApproval"),
        row(
            "approval for another revision is ignored",
            () -> manual().running(Step.PLAN).job(Step.PLAN, SUCCEEDED, 0).approve(OTHER),
            "Await AwaitingApproval AwaitingApproval"),
        row(
            "approval given while planning counts once the plan is there",
            () -> {
              TestingObservations t = manual();
              return t.running(Step.PLAN).job(Step.PLAN, SUCCEEDED, 0).approve(t.revision());
            },
            "Launch BACKUP Approved"),
        row(
            "approved, with analysis: analyze comes next",
            () -> {
              TestingObservations t =
                  manual().withAnalysis(LintMode.Enforce).withApproval(ApprovalMode.Manual, null);
              return awaiting(t).approve(t.revision());
            },
            "Launch ANALYZE Approved"),
        row(
            "Automatic: the plan is recorded and the attempt goes on",
            () ->
                aMigration()
                    .withApproval(ApprovalMode.Automatic, null)
                    .running(Step.PLAN)
                    .job(Step.PLAN, SUCCEEDED, 0),
            "Launch BACKUP StepStarted"),
        row(
            "waiting; the plan Job is gone (TTL): still waiting, from status",
            () -> awaiting(manual()),
            "Await AwaitingApproval AwaitingApproval"),
        row(
            "waiting, approved for this revision",
            () -> {
              TestingObservations t = manual();
              return awaiting(t).approve(t.revision());
            },
            "Launch BACKUP Approved"),
        row(
            "waiting, an approval in another case is another value",
            () -> {
              TestingObservations t = manual();
              return awaiting(t).approve(t.revision().toUpperCase());
            },
            "Await AwaitingApproval AwaitingApproval"),
        row(
            "waiting, spec.approval removed: no approval needed any more",
            () -> awaiting(manual()).edit(s -> s.setApproval(null)),
            "Launch BACKUP StepStarted"),
        row(
            "waiting, mode changed to Automatic",
            () -> awaiting(manual()).withApproval(ApprovalMode.Automatic, null),
            "Launch BACKUP StepStarted"),
        row(
            "waiting 599 s of maxWaitSeconds 600",
            () ->
                aMigration()
                    .withApproval(ApprovalMode.Manual, 600L)
                    .awaitingApproval(NOW.minusSeconds(599).toString()),
            "Await AwaitingApproval AwaitingApproval"),
        row(
            "waiting 600 s of maxWaitSeconds 600: Blocked",
            () ->
                aMigration()
                    .withApproval(ApprovalMode.Manual, 600L)
                    .awaitingApproval(NOW.minusSeconds(600).toString()),
            "Fail Blocked ApprovalTimedOut"),
        row(
            "timed out and then approved: still Blocked (finished attempts never resume)",
            () -> {
              TestingObservations t = manual();
              return t.finished(Phase.Blocked).approve(t.revision());
            },
            "Noop Blocked"),
        row(
            "spec changed while waiting: superseded, the new revision plans again",
            () -> manual().inPhase(Phase.AwaitingApproval, Step.PLAN, OTHER).planRecorded(0, "t"),
            "Launch PLAN new Superseded"),
        row(
            "approval of the old revision after the spec changed does nothing",
            () ->
                manual()
                    .inPhase(Phase.AwaitingApproval, Step.PLAN, OTHER)
                    .planRecorded(0, "t")
                    .approve(OTHER),
            "Launch PLAN new Superseded"),
        row(
            "approval of the old revision reaching the new attempt's plan is ignored",
            () -> manual().running(Step.PLAN).job(Step.PLAN, SUCCEEDED, 0).approve(OTHER),
            "Await AwaitingApproval AwaitingApproval"));
  }

  private static TestingObservations manual() {
    return aMigration().withApproval(ApprovalMode.Manual, null);
  }

  /** Phase AwaitingApproval for the current revision, status.plan recorded, plan Job gone. */
  private static TestingObservations awaiting(TestingObservations t) {
    return t.inPhase(Phase.AwaitingApproval, Step.PLAN, t.revision())
        .planRecorded(0, NOW.minusSeconds(60).toString());
  }

  static Arguments row(String name, Supplier<TestingObservations> given, String expected) {
    return Arguments.of(name, given, expected);
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("table")
  void decides(String name, Supplier<TestingObservations> given, String expected) {
    Plan p = MigrationPlanner.plan(given.get().build());
    String d = MigrationPlannerTest.describe(p);
    if (p instanceof Plan.LaunchStep l) {
      d = d + " " + l.reason();
    }
    assertThat(d).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: recorded status is valid")
  @MethodSource("table")
  void awaitingApprovalIsNeitherReadyNorStalled(
      String name, Supplier<TestingObservations> given, String expected) {
    Observation o = given.get().build();
    var status = StatusRecorder.next(o, MigrationPlanner.plan(o));
    if (status.getPhase() == Phase.AwaitingApproval) {
      assertThat(condition(status, "Ready")).isEqualTo("False");
      assertThat(condition(status, "Stalled")).isEqualTo("False");
      assertThat(condition(status, "Reconciling")).isEqualTo("True");
      assertThat(status.getMessage()).contains("dbguard.io/approve=" + status.getRevision());
      assertThat(status.getPlan().getAwaitingSince()).isNotNull();
    }
  }

  @Test
  void theWaitingMessageNamesTheIgnoredValueAndTheDeadline() {
    Observation o =
        aMigration()
            .withApproval(ApprovalMode.Manual, 3600L)
            .awaitingApproval(NOW.minusSeconds(60).toString())
            .approve(OTHER)
            .build();
    Plan p = MigrationPlanner.plan(o);
    assertThat(p.message())
        .contains("kubectl annotate dbmig shop dbguard.io/approve=" + o.desiredRevision())
        .contains("dbguard.io/approve=" + OTHER + " was ignored")
        .contains("Blocked at " + NOW.plusSeconds(3540));
    var status = StatusRecorder.next(o, p);
    assertThat(status.getPlan().getIgnoredApproval()).isEqualTo(OTHER);
    assertThat(status.getPlan().getAwaitingSince()).isEqualTo(NOW.minusSeconds(60).toString());
  }

  @Test
  void untilTimeoutCountsFromTheRecordedStartOfTheWait() {
    Observation o =
        aMigration()
            .withApproval(ApprovalMode.Manual, 600L)
            .awaitingApproval(NOW.minusSeconds(100).toString())
            .build();
    assertThat(ApprovalPlanner.untilTimeout(o.spec(), o.status(), NOW))
        .contains(Duration.ofSeconds(500));
    assertThat(ApprovalPlanner.untilTimeout(o.spec(), o.status(), NOW.plusSeconds(900)))
        .contains(Duration.ZERO);
    o.spec().getApproval().setMaxWaitSeconds(null);
    assertThat(ApprovalPlanner.untilTimeout(o.spec(), o.status(), NOW)).isEmpty();
  }

  private static String condition(
      io.dbguard.operator.model.DatabaseMigrationStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow()
        .getStatus();
  }
}
