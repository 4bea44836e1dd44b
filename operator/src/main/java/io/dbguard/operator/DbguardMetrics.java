package io.dbguard.operator;

import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Reason;
import io.dbguard.operator.plan.RestoreRequests;
import io.dbguard.operator.plan.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * dbguard's own meters, on top of the SDK's reconcile meters. Labels are bounded: a phase, a
 * result, a step or a verdict level; never a resource name. In the Prometheus text format ({@code
 * /metrics}):
 *
 * <ul>
 *   <li>{@code dbguard_phase_transitions_total{phase}}: DatabaseMigrations that entered {@code
 *       phase} (one of {@link Phase}).
 *   <li>{@code dbguard_migrations_total{result}}: attempts that finished, {@code result} the final
 *       phase in lower case ({@code succeeded}, {@code rolledback}, {@code failed}, {@code
 *       blocked}, {@code rejected}); a restore requested with {@code dbguard.io/restore} is no
 *       attempt and is not counted here.
 *   <li>{@code dbguard_restores_total{result}}: restores that ended (automatic or requested),
 *       {@code succeeded} (phase RolledBack) or {@code failed} (phase Failed, reason RestoreFailed:
 *       the page).
 *   <li>{@code dbguard_backup_verifications_total{result}}: verification results of backups, {@code
 *       passed} or {@code failed}: a backup step that took and verified its backup, or whose backup
 *       failed verification (exit code {@link ExitCode#BACKUP_CORRUPT}); a snapshot check ({@code
 *       backup.verify}) that passed or found the snapshot unusable (the same exit code). Recorded
 *       by {@link #stepFinished} once per Job. A backup that could not be taken at all, or a new
 *       database with nothing to back up, is not a verification result.
 *   <li>{@code dbguard_backup_size_bytes} (summary, bytes) and {@code
 *       dbguard_backup_duration_seconds} (timer, seconds from the backup step's start to the status
 *       that records the verified backup).
 *   <li>{@code dbguard_step_jobs_total}: step Jobs this operator created (not {@code _created}:
 *       that suffix is reserved in the Prometheus format).
 *   <li>{@code dbguard_step_duration_seconds{step}} (histogram, seconds): how long each finished
 *       step Job ran, from the Job's {@code status.startTime} to its completion ({@code
 *       completionTime}, or the {@code Failed} condition's time); {@code step} one of {@link
 *       #TIMED_STEPS} ({@code Plan}, {@code Analyze}, {@code Backup}, …, {@code Restore}). Recorded
 *       by {@link #stepFinished} once per Job: when status first moves past the Job.
 *   <li>{@code dbguard_rollouts_blocked} (gauge): DatabaseMigrations watched by this operator whose
 *       rollout gate is closed, i.e. whose phase is not {@code Succeeded} (no status yet included).
 *   <li>{@code dbguard_findings_total{level}}: analysis findings by verdict level ({@code refuse},
 *       {@code warn}, {@code notice}; unacknowledged ones), from the analyze step's result when
 *       {@code status.findings} is first recorded for an attempt.
 *   <li>{@code dbguard_writes_after_backup_total}: rows written to the database after the backup
 *       that a restore discarded from the live database (kept only in the failed copy, see {@link
 *       #discardedRows}); a lower bound, from the restore step's {@code writesAfterBackup}.
 *   <li>JVM and process meters ({@code jvm_*}, {@code process_*}, {@code system_cpu_*}).
 * </ul>
 */
public final class DbguardMetrics {
  private final MeterRegistry registry;
  private final Counter jobsCreated;
  private final DistributionSummary backupSize;
  private final Timer backupDuration;
  private final Counter writesAfterBackup;
  private volatile IntSupplier blockedRollouts = () -> 0;

  /** The steps whose Job durations {@code dbguard_step_duration_seconds} reports. */
  public static final List<Step> TIMED_STEPS =
      List.of(
          Step.PLAN,
          Step.ANALYZE,
          Step.BACKUP,
          Step.SNAPSHOT_CHECK,
          Step.MIGRATE,
          Step.VERIFY,
          Step.SEED,
          Step.RESTORE);

  /** Results of {@code dbguard_backup_verifications_total}. */
  public static final List<String> VERIFICATION_RESULTS = List.of("passed", "failed");

  /** Verdict levels of {@code dbguard_findings_total}, as the analyze step's details name them. */
  public static final List<String> FINDING_LEVELS = List.of("refuse", "warn", "notice");

  /** Histogram buckets of {@code dbguard_step_duration_seconds}: 1 s to 2 h. */
  static final Duration[] STEP_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(2)
  };

  /**
   * Registers the meters (and the JVM/process binders) in {@code registry}. Every result series
   * starts at 0, so alert expressions see the series before the first event.
   */
  public DbguardMetrics(MeterRegistry registry) {
    this.registry = registry;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    jobsCreated =
        Counter.builder("dbguard.step.jobs")
            .description("Step Jobs created by this operator")
            .register(registry);
    backupSize =
        DistributionSummary.builder("dbguard.backup.size")
            .baseUnit("bytes")
            .description("Size of each verified pre-migration backup")
            .register(registry);
    backupDuration =
        Timer.builder("dbguard.backup.duration")
            .description("Backup step time, from the step's start to the verified backup")
            .register(registry);
    for (Phase p : Phase.values()) {
      transitions(p);
      if (MigrationPlanner.FINISHED.contains(p)) {
        migrations(p);
      }
    }
    restores("succeeded");
    restores("failed");
    for (String result : VERIFICATION_RESULTS) {
      verifications(result);
    }
    for (Step step : TIMED_STEPS) {
      stepDuration(step);
    }
    for (String level : FINDING_LEVELS) {
      findings(level);
    }
    writesAfterBackup =
        Counter.builder("dbguard.writes.after.backup")
            .description(
                "Rows written after the backup that a restore discarded from the live database"
                    + " (kept in the failed copy); a lower bound")
            .register(registry);
    Gauge.builder("dbguard.rollouts.blocked", this, m -> m.blockedRollouts.getAsInt())
        .description("DatabaseMigrations whose rollout gate is closed (phase not Succeeded)")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Where {@code dbguard_rollouts_blocked} reads its value on each scrape: the number of watched
   * DatabaseMigrations whose phase is not {@code Succeeded}. 0 until set.
   */
  public void countBlockedRolloutsWith(IntSupplier source) {
    this.blockedRollouts = source;
  }

  /**
   * Records that the Job of a step has finished and status has just moved past it: its duration in
   * {@code dbguard_step_duration_seconds{step}} and, for a restore that discarded writes made after
   * the backup, their row count in {@code dbguard_writes_after_backup_total}; for a backup or a
   * snapshot check, its verification result in {@code dbguard_backup_verifications_total} (see
   * {@link #verificationResult}). The caller calls this once per Job: when the status that moves
   * past it is written (a status write that loses the optimistic lock is not followed by this call,
   * and after a restart the written status no longer names the Job).
   *
   * @param step the finished step; steps outside {@link #TIMED_STEPS} are ignored
   * @param job what was observed of the Job (its result for the restore figure); may be null
   * @param ran how long the Job ran; null when the Job does not say (nothing is recorded then)
   */
  public void stepFinished(Step step, JobObservation job, Duration ran) {
    if (!TIMED_STEPS.contains(step)) {
      return;
    }
    if (ran != null && !ran.isNegative()) {
      stepDuration(step).record(ran);
    }
    String verification = verificationResult(step, job);
    if (verification != null) {
      verifications(verification).increment();
    }
    if (step == Step.RESTORE
        && job != null
        && job.state() == JobObservation.State.SUCCEEDED
        && job.result() != null) {
      long rows = discardedRows(job.result());
      if (rows > 0) {
        writesAfterBackup.increment(rows);
      }
    }
  }

  /**
   * The verification result a finished Job reports, as a {@code result} label of {@code
   * dbguard_backup_verifications_total}.
   *
   * @param step the Job's step
   * @param job what was observed of the finished Job; may be null
   * @return {@code passed} for a backup Job that succeeded with a backup in its result (taken and
   *     verified) or a snapshot check Job that succeeded; {@code failed} for either whose exit code
   *     is {@link ExitCode#BACKUP_CORRUPT} (the backup or snapshot failed verification); null for
   *     any other step, an active Job, a backup with nothing to back up, or a failure that is not a
   *     verdict on a backup (connection lost, backup could not be taken)
   */
  static String verificationResult(Step step, JobObservation job) {
    if (job == null
        || job.state() == JobObservation.State.ACTIVE
        || (step != Step.BACKUP && step != Step.SNAPSHOT_CHECK)) {
      return null;
    }
    int exit = job.effectiveExitCode();
    if (exit == ExitCode.BACKUP_CORRUPT.code()) {
      return "failed";
    }
    if (exit != ExitCode.OK.code()) {
      return null;
    }
    if (step == Step.SNAPSHOT_CHECK) {
      return "passed";
    }
    return job.result() != null && job.result().backup() != null ? "passed" : null;
  }

  /**
   * Records the analysis findings of an attempt, once: when {@code status.findings} is first
   * written for it. Reads {@code details.refuse}, {@code details.warn} and {@code details.notice}
   * of the analyze step's result (counts of unacknowledged findings); a missing or non-numeric
   * count adds nothing.
   */
  public void findingsRecorded(StepResult analyze) {
    if (analyze == null || analyze.details() == null) {
      return;
    }
    Map<String, String> d = analyze.details();
    for (String level : FINDING_LEVELS) {
      long n = count(d.get(level));
      if (n > 0) {
        findings(level).increment(n);
      }
    }
  }

  /**
   * Rows a restore discarded, at least: 0 unless its result says {@code writesAfterBackup} was
   * {@code found}. Per table with the application's writes ({@link
   * WritesAfterBackup.TableWrites#applicationWrites()}): the larger of (rows inserted or updated +
   * rows deleted at least) and the backup's rows changed or deleted, each count a lower bound of
   * the rows written; summed over the tables; at least 1 when {@code found} (the termination
   * message may have cut the table list to fit 4096 bytes).
   */
  static long discardedRows(StepResult restore) {
    boolean found =
        restore.details() != null && "found".equals(restore.details().get("writesAfterBackup"));
    WritesAfterBackup w = restore.writesAfterBackup();
    if (w != null) {
      found = found || w.found();
    }
    if (!found) {
      return 0;
    }
    long rows = 0;
    if (w != null) {
      for (WritesAfterBackup.TableWrites t : w.tables()) {
        if (t.applicationWrites()) {
          long written =
              orZero(t.insertedOrUpdated())
                  + orZero(t.insertedAtLeast())
                  + orZero(t.deletedAtLeast());
          rows += Math.max(written, orZero(t.backupRowsChangedOrDeleted()));
        }
      }
    }
    return Math.max(1, rows);
  }

  private static long orZero(Long v) {
    return v == null || v < 0 ? 0 : v;
  }

  private static long count(String s) {
    try {
      return s == null ? 0 : Math.max(0, Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Counts one created step Job. */
  public void jobCreated() {
    jobsCreated.increment();
  }

  /**
   * Records what the change from {@code before} to {@code next} means (nothing when the phase did
   * not change).
   *
   * @param now the reconcile's clock, for the backup duration
   */
  public void phaseChanged(
      DatabaseMigrationStatus before, DatabaseMigrationStatus next, Instant now) {
    Phase from = before == null ? null : before.getPhase();
    Phase to = next.getPhase();
    if (to == null || from == to) {
      return;
    }
    transitions(to).increment();
    boolean requested =
        before != null
            && before.getCurrent() != null
            && RestoreRequests.RESTORE_REQUESTED.equals(before.getCurrent().getRestoreCause());
    if (MigrationPlanner.FINISHED.contains(to) && !requested) {
      migrations(to).increment();
    }
    if (from == Phase.Restoring && to == Phase.RolledBack) {
      restores("succeeded").increment();
    }
    if (to == Phase.Failed && Reason.RESTORE_FAILED.equals(next.getReason())) {
      restores("failed").increment();
    }
    if (from == Phase.BackingUp && next.getBackup() != null) {
      if (next.getBackup().getSizeBytes() != null) {
        backupSize.record(next.getBackup().getSizeBytes());
      }
      Instant started = startedAt(before);
      if (started != null && !now.isBefore(started)) {
        backupDuration.record(Duration.between(started, now));
      }
    }
  }

  private static Instant startedAt(DatabaseMigrationStatus before) {
    if (before.getCurrent() == null || before.getCurrent().getStartedAt() == null) {
      return null;
    }
    try {
      return Instant.parse(before.getCurrent().getStartedAt());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private Counter transitions(Phase phase) {
    return Counter.builder("dbguard.phase.transitions")
        .description("DatabaseMigrations that entered a phase")
        .tag("phase", phase.name())
        .register(registry);
  }

  private Counter migrations(Phase finalPhase) {
    return Counter.builder("dbguard.migrations")
        .description("Finished migration attempts by final phase")
        .tag("result", finalPhase.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }

  private Timer stepDuration(Step step) {
    return Timer.builder("dbguard.step.duration")
        .description("Run time of finished step Jobs, from the Job's start to its completion")
        .tag("step", step.label())
        .serviceLevelObjectives(STEP_BUCKETS)
        .register(registry);
  }

  private Counter findings(String level) {
    return Counter.builder("dbguard.findings")
        .description("Unacknowledged analysis findings by verdict level")
        .tag("level", level)
        .register(registry);
  }

  private Counter verifications(String result) {
    return Counter.builder("dbguard.backup.verifications")
        .description("Backup and snapshot verification results")
        .tag("result", result)
        .register(registry);
  }

  private Counter restores(String result) {
    return Counter.builder("dbguard.restores")
        .description("Restores that ended, automatic or requested with dbguard.io/restore")
        .tag("result", result)
        .register(registry);
  }
}
