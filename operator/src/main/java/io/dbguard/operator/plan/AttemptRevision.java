package io.dbguard.operator.plan;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;

/**
 * The desired revision of a DatabaseMigration, and its status read in the current revision scheme.
 *
 * <p>An attempt recorded by dbguard 0.1 carries a revision over the whole spec ({@link
 * Revisions#legacy}). When that revision still describes the spec, image and retry token, the
 * attempt is the same one, so an operator upgrade starts nothing:
 *
 * <ul>
 *   <li>a finished attempt (Succeeded, RolledBack, Blocked, Rejected, Failed) is re-recorded under
 *       its current revision ({@code status.revision}, and {@code status.lastSucceededRevision}
 *       when it named the same attempt); the next status write persists it;
 *   <li>a running attempt keeps its recorded revision (its Jobs are named after it) until it
 *       finishes, and is re-recorded then.
 * </ul>
 *
 * A recorded revision that matches neither scheme is a different attempt, as before.
 *
 * @param desired the revision the planner compares with {@code status.revision}
 * @param status the status to plan with (a copy when it was re-recorded; may be null)
 */
public record AttemptRevision(String desired, DatabaseMigrationStatus status) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Resolves the desired revision for {@code spec}, {@code image}, {@code retryToken}. */
  public static AttemptRevision resolve(
      DatabaseMigrationSpec spec, String image, String retryToken, DatabaseMigrationStatus status) {
    String current = Revisions.of(spec, image, retryToken);
    String recorded = status == null ? null : status.getRevision();
    if (recorded == null
        || recorded.equals(current)
        || !recorded.equals(Revisions.legacy(spec, image, retryToken))) {
      return new AttemptRevision(current, status);
    }
    Phase phase = status.getPhase();
    if (phase != null && MigrationPlanner.RUNNING.contains(phase)) {
      return new AttemptRevision(recorded, status);
    }
    if (phase == null || !MigrationPlanner.FINISHED.contains(phase)) {
      return new AttemptRevision(current, status);
    }
    DatabaseMigrationStatus copy = JSON.clone(status);
    copy.setRevision(current);
    if (Objects.equals(copy.getLastSucceededRevision(), recorded)) {
      copy.setLastSucceededRevision(current);
    }
    return new AttemptRevision(current, copy);
  }
}
