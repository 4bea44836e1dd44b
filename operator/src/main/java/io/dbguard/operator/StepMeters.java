package io.dbguard.operator;

import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * What a written status change means for {@link DbguardMetrics} beyond the phase: a step Job that
 * status has just moved past (its duration; for a restore, the writes it discarded) and analysis
 * findings recorded for the first time. Called only after the status that says so has been written
 * (optimistic locking), so each Job and each attempt's findings are counted once, also across
 * reconciles and restarts: the next reconcile reads the written status, which no longer names the
 * finished Job and already has the findings.
 */
final class StepMeters {
  private StepMeters() {}

  /**
   * Records what changed from {@code before} to {@code next} (both as written).
   *
   * @param jobs the owned Jobs as read for this reconcile
   */
  static void statusWritten(
      DbguardMetrics metrics,
      DatabaseMigrationStatus before,
      DatabaseMigrationStatus next,
      Observation o,
      List<Job> jobs) {
    CurrentStep was = before == null ? null : before.getCurrent();
    if (was != null && was.getJob() != null && was.getStep() != null) {
      String now = next.getCurrent() == null ? null : next.getCurrent().getJob();
      JobObservation job = o.job(was.getJob()).orElse(null);
      if (!was.getJob().equals(now) && job != null && job.state() != JobObservation.State.ACTIVE) {
        Step step = stepOf(was.getStep());
        Job raw =
            jobs.stream()
                .filter(j -> was.getJob().equals(j.getMetadata().getName()))
                .findFirst()
                .orElse(null);
        if (step != null) {
          metrics.stepFinished(step, job, ran(raw));
        }
      }
    }
    if ((before == null || before.getFindings() == null)
        && next.getFindings() != null
        && next.getRevision() != null) {
      o.job(JobNames.of(o.name(), Step.ANALYZE, next.getRevision()))
          .map(JobObservation::result)
          .ifPresent(metrics::findingsRecorded);
    }
  }

  private static Step stepOf(String label) {
    try {
      return Step.of(label);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * How long a finished Job ran: from {@code status.startTime} to {@code status.completionTime}
   * (set for a succeeded Job) or to the time of its {@code Failed} (else {@code Complete})
   * condition. Null when the Job is null or a time is missing or unreadable.
   */
  static Duration ran(Job job) {
    if (job == null || job.getStatus() == null) {
      return null;
    }
    Instant start = instant(job.getStatus().getStartTime());
    Instant end = instant(job.getStatus().getCompletionTime());
    if (end == null && job.getStatus().getConditions() != null) {
      end =
          job.getStatus().getConditions().stream()
              .filter(c -> "True".equals(c.getStatus()))
              .filter(c -> "Failed".equals(c.getType()) || "Complete".equals(c.getType()))
              .map(JobCondition::getLastTransitionTime)
              .filter(Objects::nonNull)
              .map(StepMeters::instant)
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(null);
    }
    if (start == null || end == null || end.isBefore(start)) {
      return null;
    }
    return Duration.between(start, end);
  }

  private static Instant instant(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
