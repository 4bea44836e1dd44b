package io.dbguard.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.ApprovalMode;
import io.dbguard.operator.model.ApprovalState;
import io.dbguard.operator.model.PlanStatus;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Step;
import io.dbguard.operator.plan.TestingObservations;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code status.plan}: bounded whatever the plan printed, and the approval's states. */
class PlanRecorderTest {

  @Test
  void theSummaryIsBounded() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("pendingSource", "django");
    d.put("pendingCount", "250");
    d.put(
        "pending",
        IntStream.rangeClosed(1, 250)
            .mapToObj(i -> "shop." + String.format("%04d", i) + "_" + "x".repeat(i == 1 ? 500 : 5))
            .collect(Collectors.joining(", ")));
    d.put("findingsRefused", "1");
    d.put("findingsWarn", "2");
    d.put("findingsNotice", "3");
    d.put("findingsAcknowledged", "0");
    d.put("databaseSizeBytes", "7864320");
    d.put("estimatedBackupSeconds", "1");
    d.put("estimatedRestoreSeconds", "2");
    d.put(
        "roleNotices",
        IntStream.rangeClosed(1, 8)
            .mapToObj(i -> "notice " + i + " " + "y".repeat(400))
            .collect(Collectors.joining(" | ")));
    StepResult r = new StepResult("plan", 2, "Blocked", "m".repeat(5000), null, d);
    JobObservation job =
        new JobObservation(
            "shop-plan-abcd1234", "u", Step.PLAN, JobObservation.State.FAILED, 2, r, null);

    PlanStatus p = PlanRecorder.summary("abcd1234", job);

    assertThat(p.getRevision()).isEqualTo("abcd1234");
    assertThat(p.getExitCode()).isEqualTo(2);
    assertThat(p.getOutcome()).isEqualTo("Blocked");
    assertThat(p.getPendingCount()).isEqualTo(250);
    assertThat(p.getPending()).hasSize(PlanRecorder.MAX_PENDING);
    assertThat(p.getPending().get(0)).hasSize(PlanRecorder.MAX_NAME_CHARS).endsWith("…");
    assertThat(p.getPending().get(1)).isEqualTo("shop.0002_xxxxx");
    assertThat(p.getRoleWarnings()).hasSize(PlanRecorder.MAX_ROLE_WARNINGS);
    assertThat(p.getRoleWarnings()).allMatch(w -> w.length() <= PlanRecorder.MAX_WARNING_CHARS);
    assertThat(p.getSummary()).hasSize(PlanRecorder.MAX_SUMMARY_CHARS);
    assertThat(p.getFindingsRefused()).isEqualTo(1);
    assertThat(p.getFindingsWarn()).isEqualTo(2);
    assertThat(p.getFindingsNotice()).isEqualTo(3);
    assertThat(p.getDatabaseSizeBytes()).isEqualTo(7864320L);
    assertThat(p.getEstimatedRestoreSeconds()).isEqualTo(2L);
  }

  @Test
  void aPlanJobWithoutResultIsRecordedAsFailed() {
    JobObservation job =
        new JobObservation(
            "shop-plan-abcd1234",
            "u",
            Step.PLAN,
            JobObservation.State.FAILED,
            null,
            null,
            "DeadlineExceeded");
    PlanStatus p = PlanRecorder.summary("abcd1234", job);
    assertThat(p.getExitCode()).isEqualTo(-1);
    assertThat(p.getOutcome()).isEqualTo("PlanFailed");
    assertThat(p.getSummary()).contains("DeadlineExceeded");
  }

  @Test
  void approvalStatesFollowTheAttempt() {
    TestingObservations t = TestingObservations.aMigration().withApproval(ApprovalMode.Manual, 60L);
    String rev = t.revision();
    // the plan Job finished: recorded, waiting from now
    Observation o = t.running(Step.PLAN).job(Step.PLAN, JobObservation.State.SUCCEEDED, 0).build();
    var s = StatusRecorder.next(o, MigrationPlanner.plan(o));
    assertThat(s.getPlan().getApproval()).isEqualTo(ApprovalState.Waiting);
    assertThat(s.getPlan().getAwaitingSince()).isEqualTo(TestingObservations.NOW.toString());
    assertThat(s.getPlan().getJob()).isEqualTo("shop-plan-" + rev);

    // approved
    Observation approved =
        TestingObservations.aMigration()
            .withApproval(ApprovalMode.Manual, 60L)
            .awaitingApproval(TestingObservations.NOW.minusSeconds(10).toString())
            .approve(rev)
            .build();
    var a = StatusRecorder.next(approved, MigrationPlanner.plan(approved));
    assertThat(a.getCurrent().getStep()).isEqualTo("Backup");
    assertThat(a.getReason()).isEqualTo("Approved");
    assertThat(a.getPlan().getApproval()).isEqualTo(ApprovalState.Approved);
    assertThat(a.getPlan().getApprovedAt()).isEqualTo(TestingObservations.NOW.toString());

    // timed out
    Observation late =
        TestingObservations.aMigration()
            .withApproval(ApprovalMode.Manual, 60L)
            .awaitingApproval(TestingObservations.NOW.minusSeconds(61).toString())
            .build();
    var b = StatusRecorder.next(late, MigrationPlanner.plan(late));
    assertThat(b.getPhase().name()).isEqualTo("Blocked");
    assertThat(b.getReason()).isEqualTo("ApprovalTimedOut");
    assertThat(b.getPlan().getApproval()).isEqualTo(ApprovalState.TimedOut);
    assertThat(b.getCurrent()).isNull();

    // Automatic
    Observation auto =
        TestingObservations.aMigration()
            .withApproval(ApprovalMode.Automatic, null)
            .running(Step.PLAN)
            .job(Step.PLAN, JobObservation.State.SUCCEEDED, 0)
            .build();
    var c = StatusRecorder.next(auto, MigrationPlanner.plan(auto));
    assertThat(c.getPlan().getApproval()).isEqualTo(ApprovalState.Automatic);
    assertThat(c.getPlan().getAwaitingSince()).isNull();
  }

  @Test
  void aNewAttemptForgetsThePlanOfTheOldOne() {
    Observation o =
        TestingObservations.aMigration()
            .withApproval(ApprovalMode.Manual, null)
            .inPhase(io.dbguard.operator.model.Phase.AwaitingApproval, Step.PLAN, "0ld0ld00")
            .planRecorded(0, "2026-01-01T11:00:00Z")
            .build();
    var s = StatusRecorder.next(o, MigrationPlanner.plan(o));
    assertThat(s.getRevision()).isEqualTo(o.desiredRevision());
    assertThat(s.getPhase().name()).isEqualTo("Planning");
    assertThat(s.getPlan()).isNull();
  }
}
