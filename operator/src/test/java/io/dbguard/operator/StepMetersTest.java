package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.engine.WritesAfterBackup.TableWrites;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.FindingsSummary;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Step;
import io.dbguard.operator.plan.Validation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The step meters of {@link DbguardMetrics} as {@link StepMeters} records them from a written
 * status change: durations from the Jobs' own times, once per Job; findings once per attempt; the
 * rows a restore discarded.
 */
class StepMetersTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DbguardMetrics metrics = new DbguardMetrics(registry);

  private static Job job(String name, String start, String completion, String failedAt) {
    JobBuilder b =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewStatus()
            .withStartTime(start)
            .withCompletionTime(completion)
            .endStatus();
    if (failedAt != null) {
      b.editStatus()
          .addNewCondition()
          .withType("Failed")
          .withStatus("True")
          .withLastTransitionTime(failedAt)
          .endCondition()
          .endStatus();
    }
    return b.build();
  }

  private static JobObservation observed(
      String name, Step step, JobObservation.State state, StepResult result) {
    return new JobObservation(name, "uid-" + name, step, state, 0, result, null);
  }

  private static Observation observation(List<JobObservation> jobs) {
    return new Observation(
        "shop",
        "shop-db",
        1,
        null,
        null,
        null,
        "shop:v2",
        "3f2a9c1d",
        jobs,
        Validation.ok(),
        Optional.empty(),
        NOW,
        List.of(),
        null);
  }

  private static DatabaseMigrationStatus status(Phase phase, String step, String job) {
    DatabaseMigrationStatus s = new DatabaseMigrationStatus();
    s.setPhase(phase);
    s.setRevision("3f2a9c1d");
    if (job != null) {
      CurrentStep c = new CurrentStep();
      c.setStep(step);
      c.setJob(job);
      s.setCurrent(c);
    }
    return s;
  }

  private String scrape() {
    return registry.scrape();
  }

  private static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in /metrics", series).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aFinishedStepIsTimedFromItsJobOnceStatusMovesPastIt() {
    String backup = "shop-db-backup-3f2a9c1d";
    Observation o =
        observation(List.of(observed(backup, Step.BACKUP, JobObservation.State.SUCCEEDED, null)));
    List<Job> jobs = List.of(job(backup, "2026-01-01T11:58:00Z", "2026-01-01T11:58:42Z", null));
    DatabaseMigrationStatus before = status(Phase.BackingUp, "Backup", backup);
    DatabaseMigrationStatus after = status(Phase.Migrating, "Migrate", "shop-db-migrate-3f2a9c1d");

    StepMeters.statusWritten(metrics, before, after, o, jobs);
    // A later status write that does not move past the Job (or no longer names it) adds nothing.
    StepMeters.statusWritten(metrics, after, after, o, jobs);
    StepMeters.statusWritten(metrics, before, before, o, jobs);

    String s = scrape();
    assertThat(value(s, "dbguard_step_duration_seconds_count{step=\"Backup\"}")).isEqualTo(1.0);
    assertThat(value(s, "dbguard_step_duration_seconds_sum{step=\"Backup\"}")).isEqualTo(42.0);
    assertThat(value(s, "dbguard_step_duration_seconds_bucket{step=\"Backup\",le=\"30.0\"}"))
        .isEqualTo(0.0);
    assertThat(value(s, "dbguard_step_duration_seconds_bucket{step=\"Backup\",le=\"60.0\"}"))
        .isEqualTo(1.0);
    assertThat(value(s, "dbguard_step_duration_seconds_count{step=\"Migrate\"}")).isEqualTo(0.0);
  }

  @Test
  void aFailedJobEndsAtItsFailedConditionAndAnActiveJobIsNotTimed() {
    String migrate = "shop-db-migrate-3f2a9c1d";
    List<Job> jobs = List.of(job(migrate, "2026-01-01T11:00:00Z", null, "2026-01-01T11:02:05Z"));
    DatabaseMigrationStatus before = status(Phase.Migrating, "Migrate", migrate);
    DatabaseMigrationStatus restoring =
        status(Phase.Restoring, "Restore", "shop-db-restore-3f2a9c1d");

    StepMeters.statusWritten(
        metrics,
        before,
        restoring,
        observation(List.of(observed(migrate, Step.MIGRATE, JobObservation.State.ACTIVE, null))),
        jobs);
    assertThat(value(scrape(), "dbguard_step_duration_seconds_count{step=\"Migrate\"}"))
        .isEqualTo(0.0);

    StepMeters.statusWritten(
        metrics,
        before,
        restoring,
        observation(List.of(observed(migrate, Step.MIGRATE, JobObservation.State.FAILED, null))),
        jobs);
    assertThat(value(scrape(), "dbguard_step_duration_seconds_sum{step=\"Migrate\"}"))
        .isEqualTo(125.0);
    assertThat(StepMeters.ran(null)).isNull();
    assertThat(StepMeters.ran(job("x", "2026-01-01T11:00:00Z", null, null))).isNull();
    assertThat(StepMeters.ran(job("x", "2026-01-01T11:00:00Z", "2026-01-01T11:00:03Z", null)))
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void findingsAreCountedWhenFirstRecordedForAnAttempt() {
    String analyze = "shop-db-analyze-3f2a9c1d";
    StepResult result =
        new StepResult(
            "analyze",
            1,
            "AnalysisWarnings",
            "0 refused, 2 warning(s), 1 notice(s), 1 acknowledged",
            null,
            Map.of("refuse", "0", "warn", "2", "notice", "1", "acknowledged", "1"));
    Observation o =
        observation(List.of(observed(analyze, Step.ANALYZE, JobObservation.State.FAILED, result)));
    DatabaseMigrationStatus before = status(Phase.Analyzing, "Analyze", analyze);
    DatabaseMigrationStatus after = status(Phase.BackingUp, "Backup", "shop-db-backup-3f2a9c1d");
    after.setFindings(new FindingsSummary());

    StepMeters.statusWritten(metrics, before, after, o, List.of());
    StepMeters.statusWritten(metrics, after, after, o, List.of());

    String s = scrape();
    assertThat(value(s, "dbguard_findings_total{level=\"refuse\"}")).isEqualTo(0.0);
    assertThat(value(s, "dbguard_findings_total{level=\"warn\"}")).isEqualTo(2.0);
    assertThat(value(s, "dbguard_findings_total{level=\"notice\"}")).isEqualTo(1.0);
  }

  @Test
  void aRestoreThatDiscardedWritesCountsTheirRowsAtLeast() {
    String restore = "shop-db-restore-3f2a9c1d";
    WritesAfterBackup w =
        WritesAfterBackup.of(
                "shop_failed_20261206_021500",
                List.of(
                    // PostgreSQL: 3 inserted or updated, 2 of the backup's rows changed: ≥ 3
                    new TableWrites("public.orders", null, null, 3L, 4L, 3L, null, 2L, 0L, null),
                    // 5 of the backup's rows changed or deleted, 1 written: ≥ 5
                    new TableWrites("public.users", null, null, 9L, 5L, 1L, null, 5L, 4L, null),
                    // the migration's own table and the history table are not the application's
                    new TableWrites(
                        "public.coupons", "created", null, null, 7L, 7L, null, null, null, null),
                    new TableWrites(
                        "public.flyway_schema_history",
                        null,
                        true,
                        1L,
                        2L,
                        1L,
                        null,
                        0L,
                        0L,
                        null)),
                null)
            .keptIn("shop_failed_20261206_021500", null);
    StepResult result =
        new StepResult(
                "restore",
                0,
                "Restored",
                "restored",
                null,
                Map.of("writesAfterBackup", "found", "keptFailedAs", "shop_failed_20261206_021500"))
            .withWritesAfterBackup(w);
    assertThat(DbguardMetrics.discardedRows(result)).isEqualTo(3 + 5);

    StepMeters.statusWritten(
        metrics,
        status(Phase.Restoring, "Restore", restore),
        status(Phase.RolledBack, null, null),
        observation(
            List.of(observed(restore, Step.RESTORE, JobObservation.State.SUCCEEDED, result))),
        List.of(job(restore, "2026-01-01T11:00:00Z", "2026-01-01T11:00:09Z", null)));
    String s = scrape();
    assertThat(value(s, "dbguard_writes_after_backup_total")).isEqualTo(8.0);
    assertThat(value(s, "dbguard_step_duration_seconds_sum{step=\"Restore\"}")).isEqualTo(9.0);

    // SQLite lower bounds add up; found with every table cut from the message is still ≥ 1;
    // none and unknown discard nothing that can be counted.
    assertThat(
            DbguardMetrics.discardedRows(
                result.withWritesAfterBackup(
                    WritesAfterBackup.of(
                        "shop.db",
                        List.of(
                            new TableWrites(
                                "orders", null, null, 3L, 4L, null, 2L, null, 1L, null)),
                        null))))
        .isEqualTo(3);
    assertThat(DbguardMetrics.discardedRows(result.withWritesAfterBackup(w.firstTables(0))))
        .isEqualTo(1);
    assertThat(
            DbguardMetrics.discardedRows(
                new StepResult(
                    "restore", 0, "Restored", "r", null, Map.of("writesAfterBackup", "none"))))
        .isZero();
    assertThat(
            DbguardMetrics.discardedRows(
                new StepResult(
                    "restore", 0, "Restored", "r", null, Map.of("writesAfterBackup", "unknown"))))
        .isZero();
  }

  @Test
  void backupVerificationsAreCountedOncePerBackupOrSnapshotCheckJob() {
    String backup = "shop-db-backup-3f2a9c1d";
    StepResult verified =
        new StepResult(
            "backup",
            0,
            "BackupVerified",
            "backup shop-20260101 taken and verified",
            new StepResult.BackupRef(
                "shop-20260101", "/backups/shop.db", 4096, "ab12", "2026-01-01T11:58:40Z"),
            Map.of());
    Observation ok =
        observation(
            List.of(observed(backup, Step.BACKUP, JobObservation.State.SUCCEEDED, verified)));
    DatabaseMigrationStatus before = status(Phase.BackingUp, "Backup", backup);
    DatabaseMigrationStatus after = status(Phase.Migrating, "Migrate", "shop-db-migrate-3f2a9c1d");
    StepMeters.statusWritten(metrics, before, after, ok, List.of());
    // Later writes (another reconcile, a restarted operator) no longer name the Job: not again.
    StepMeters.statusWritten(metrics, after, after, ok, List.of());
    String s = scrape();
    assertThat(value(s, "dbguard_backup_verifications_total{result=\"passed\"}")).isEqualTo(1.0);
    assertThat(value(s, "dbguard_backup_verifications_total{result=\"failed\"}")).isEqualTo(0.0);

    // The backup failed verification (exit 11): the attempt fails, status leaves the Job.
    StepMeters.statusWritten(
        metrics,
        before,
        status(Phase.Failed, null, null),
        observation(List.of(failed(backup, Step.BACKUP, ExitCode.BACKUP_CORRUPT))),
        List.of());
    // A snapshot check that found the snapshot unusable, and one that passed.
    String check = "shop-db-snapshotcheck-3f2a9c1d";
    DatabaseMigrationStatus checking = status(Phase.BackingUp, "SnapshotCheck", check);
    StepMeters.statusWritten(
        metrics,
        checking,
        status(Phase.Failed, null, null),
        observation(List.of(failed(check, Step.SNAPSHOT_CHECK, ExitCode.BACKUP_CORRUPT))),
        List.of());
    StepMeters.statusWritten(
        metrics,
        checking,
        after,
        observation(
            List.of(observed(check, Step.SNAPSHOT_CHECK, JobObservation.State.SUCCEEDED, null))),
        List.of());
    s = scrape();
    assertThat(value(s, "dbguard_backup_verifications_total{result=\"passed\"}")).isEqualTo(2.0);
    assertThat(value(s, "dbguard_backup_verifications_total{result=\"failed\"}")).isEqualTo(2.0);

    // Not a verdict on a backup: it could not be taken, nothing to back up, another step.
    assertThat(
            DbguardMetrics.verificationResult(
                Step.BACKUP, failed(backup, Step.BACKUP, ExitCode.BACKUP_FAILED)))
        .isNull();
    assertThat(
            DbguardMetrics.verificationResult(
                Step.BACKUP,
                observed(
                    backup,
                    Step.BACKUP,
                    JobObservation.State.SUCCEEDED,
                    new StepResult(
                        "backup",
                        0,
                        "BackupSkipped",
                        "no backup needed",
                        null,
                        Map.of("newDatabase", "true")))))
        .isNull();
    assertThat(
            DbguardMetrics.verificationResult(
                Step.VERIFY, failed("v", Step.VERIFY, ExitCode.BACKUP_CORRUPT)))
        .isNull();
    assertThat(
            DbguardMetrics.verificationResult(
                Step.BACKUP, observed(backup, Step.BACKUP, JobObservation.State.ACTIVE, null)))
        .isNull();
  }

  private static JobObservation failed(String name, Step step, ExitCode code) {
    return new JobObservation(
        name, "uid-" + name, step, JobObservation.State.FAILED, code.code(), null, null);
  }

  @Test
  void blockedRolloutsAreReadOnEachScrape() {
    int[] blocked = {0};
    metrics.countBlockedRolloutsWith(() -> blocked[0]);
    assertThat(value(scrape(), "dbguard_rollouts_blocked")).isEqualTo(0.0);
    blocked[0] = 3;
    assertThat(value(scrape(), "dbguard_rollouts_blocked")).isEqualTo(3.0);
  }
}
