package io.dbguard.operator;

import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import java.util.Locale;

/**
 * dbguard's own meters, on top of the SDK's reconcile meters. Labels are bounded: a phase, a
 * result; never a resource name. In the Prometheus text format ({@code /metrics}):
 *
 * <ul>
 *   <li>{@code dbguard_phase_transitions_total{phase}}: DatabaseMigrations that entered {@code
 *       phase} (one of {@link Phase}).
 *   <li>{@code dbguard_migrations_total{result}}: attempts that finished, {@code result} the final
 *       phase in lower case ({@code succeeded}, {@code rolledback}, {@code failed}, {@code
 *       blocked}, {@code rejected}).
 *   <li>{@code dbguard_restores_total{result}}: automatic restores that ended, {@code succeeded}
 *       (phase RolledBack) or {@code failed} (phase Failed, reason RestoreFailed: the page).
 *   <li>{@code dbguard_backup_size_bytes} (summary, bytes) and {@code
 *       dbguard_backup_duration_seconds} (timer, seconds from the backup step's start to the status
 *       that records the verified backup).
 *   <li>{@code dbguard_step_jobs_total}: step Jobs this operator created (not {@code _created}:
 *       that suffix is reserved in the Prometheus format).
 *   <li>JVM and process meters ({@code jvm_*}, {@code process_*}, {@code system_cpu_*}).
 * </ul>
 */
public final class DbguardMetrics {
  private final MeterRegistry registry;
  private final Counter jobsCreated;
  private final DistributionSummary backupSize;
  private final Timer backupDuration;

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
    if (MigrationPlanner.FINISHED.contains(to)) {
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

  private Counter restores(String result) {
    return Counter.builder("dbguard.restores")
        .description("Automatic restores that ended")
        .tag("result", result)
        .register(registry);
  }
}
