package io.dbguard.operator.plan;

import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.FenceStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.SecretKeyRef;
import io.dbguard.operator.model.WriteFence;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL read-only write fence ({@code spec.rollout.writeFence: ReadOnly}) as a pure
 * function around the plan of the migration state machine; {@link WriteFencePlanner} hands it the
 * plan when the fence in force (or, with none in force, the spec) is ReadOnly. The fence itself is
 * set and reset by Jobs running {@code dbguard fence raise} / {@code dbguard fence lift} (exit 0,
 * or 7 {@code FenceFailed}): the database settings they write are the fence's record, and both are
 * idempotent (a raise takes over a fence already up; a lift of no fence says so), so a Job started
 * again after an operator restart is harmless.
 *
 * <ul>
 *   <li>Before the first Job that reads or writes the database: {@code status.fence} {mode
 *       ReadOnly, state Fencing} is recorded, then the {@link Step#FENCE} Job is created; the held
 *       step waits until that Job succeeded (state Fenced). A raise that fails ends the attempt
 *       {@code Failed}/{@code FenceFailed} before anything else ran, and the fence is lifted (the
 *       lift leaves alone a read-only setting dbguard did not make).
 *   <li>After the attempt (any phase that is not running): state Lifting and the {@link
 *       Step#UNFENCE} Job; Lifted when it succeeded. A lift that fails leaves the fence Held with
 *       the error and the way out.
 *   <li>Phase Failed after the migration ran (restore failed, {@code onFailure: Halt}, nothing to
 *       restore from): the fence is Held, the database stays read-only for the application until a
 *       person lifts it ({@code dbguard fence lift}) or retries (the next attempt takes the fence
 *       over and lifts it when it ends). A Held record cannot be seen lifted by hand from
 *       Kubernetes, so it reads Held until the next attempt.
 * </ul>
 *
 * A breach cannot be observed from Kubernetes (a session may still {@code SET
 * default_transaction_read_only = off}); the restore Job counts the writes after the backup, and
 * {@link UnfencedWrites} reports any it found.
 */
final class ReadOnlyFencePlanner {
  /** Reason when {@code dbguard fence raise} failed: the attempt ends before the backup. */
  static final String FENCE_FAILED = "FenceFailed";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ReadOnlyFencePlanner() {}

  /**
   * {@code base} with the read-only fence's Jobs around it.
   *
   * @param fence {@code status.fence}, or null; a record of another mode that is Lifted counts as
   *     none
   */
  static Plan apply(Observation o, Plan base, FenceStatus fence) {
    boolean live =
        fence != null
            && fence.getMode() == WriteFence.ReadOnly
            && fence.getState() != FenceState.Lifted;
    if (WriteFencePlanner.needsFence(base)) {
      if (live && fence.getState() == FenceState.Fenced) {
        return base;
      }
      if (live && fence.getState() == FenceState.Fencing) {
        return raising(o, base, fence);
      }
      return start(o, base);
    }
    if (!live || MigrationPlanner.RUNNING.contains(base.phase())) {
      return base;
    }
    return switch (fence.getState()) {
      case Held -> base;
      case Lifting -> lifting(o, base, fence);
      default -> WriteFencePlanner.holds(o, base) ? hold(o, base, fence, null) : lift(base, fence);
    };
  }

  /** Record the fence (write-ahead), then create the raise Job; the held step waits. */
  private static Plan start(Observation o, Plan base) {
    FenceStatus f = new FenceStatus();
    f.setMode(WriteFence.ReadOnly);
    f.setState(FenceState.Fencing);
    f.setRevision(
        base instanceof Plan.LaunchStep ls && ls.newAttempt()
            ? o.desiredRevision()
            : o.status().getRevision());
    f.setMessage(
        "making database "
            + database(o)
            + " read-only for every role but the migration's before the backup (Job "
            + JobNames.of(o.name(), Step.FENCE, f.getRevision())
            + ")");
    return new Plan.Fence(
        base, f, List.of(), false, WriteFencePlanner.FENCING_WRITES, f.getMessage(), Step.FENCE);
  }

  /**
   * Fencing: wait for the raise Job; Fenced when it succeeded; the attempt fails when it failed.
   */
  private static Plan raising(Observation o, Plan base, FenceStatus fence) {
    Optional<JobObservation> job = o.job(JobNames.of(o.name(), Step.FENCE, fence.getRevision()));
    if (job.isEmpty() || job.get().state() == JobObservation.State.ACTIVE) {
      return new Plan.Fence(
          base,
          fence,
          List.of(),
          false,
          WriteFencePlanner.FENCING_WRITES,
          fence.getMessage(),
          Step.FENCE);
    }
    FenceStatus f = JSON.clone(fence);
    if (job.get().state() == JobObservation.State.SUCCEEDED) {
      f.setState(FenceState.Fenced);
      f.setMessage(job.get().describe());
      return new Plan.Fence(base, f, List.of(), true, base.reason(), base.message());
    }
    Plan.Fail failed =
        new Plan.Fail(
            Phase.Failed,
            FENCE_FAILED,
            "the read-only write fence could not be raised, so nothing ran: "
                + job.get().describe(),
            false);
    return lift(failed, fence);
  }

  /** The attempt ended with the database known good: record Lifting, create the lift Job. */
  private static Plan lift(Plan base, FenceStatus fence) {
    FenceStatus f = JSON.clone(fence);
    f.setState(FenceState.Lifting);
    f.setMessage("the attempt ended (" + base.phase() + "): lifting the read-only fence");
    return new Plan.Fence(base, f, List.of(), true, base.reason(), base.message(), Step.UNFENCE);
  }

  /**
   * Lifting: wait for the lift Job; Lifted when it succeeded, Held with its error when it failed.
   */
  private static Plan lifting(Observation o, Plan base, FenceStatus fence) {
    Optional<JobObservation> job = o.job(JobNames.of(o.name(), Step.UNFENCE, fence.getRevision()));
    if (job.isEmpty() || job.get().state() == JobObservation.State.ACTIVE) {
      return new Plan.Fence(
          base, fence, List.of(), true, base.reason(), base.message(), Step.UNFENCE);
    }
    if (job.get().state() == JobObservation.State.FAILED) {
      return hold(o, base, fence, "the fence could not be lifted: " + job.get().describe());
    }
    FenceStatus f = JSON.clone(fence);
    f.setState(FenceState.Lifted);
    f.setMessage("fence lifted: " + job.get().describe());
    return new Plan.Fence(base, f, List.of(), true, base.reason(), base.message());
  }

  /**
   * Held: the database stays read-only for the application until a person lifts the fence.
   *
   * @param why the lift's error, or null when the attempt ended with the database unchecked
   */
  private static Plan hold(Observation o, Plan base, FenceStatus fence, String why) {
    FenceStatus f = JSON.clone(fence);
    f.setState(FenceState.Held);
    String how =
        "lift it with `dbguard fence lift` run with the DATABASE_URL of "
            + secret(o)
            + " (docs/operations.md#runbook-a-held-read-only-fence), or retry the migration: the next"
            + " attempt takes the fence over and lifts it when it ends";
    f.setMessage(
        why != null
            ? why + "; the database stays read-only for the application: " + how
            : "the fence stays: the database was not returned to its backup, so it stays"
                + " read-only for the application until a person has checked or repaired it"
                + " (docs/operations.md#runbook-restorefailed); then "
                + how);
    String prior = base instanceof Plan.Noop ? o.status().getMessage() : base.message();
    String message =
        (prior == null ? "" : prior + "; ")
            + (why == null ? "" : why + "; ")
            + "write fence held (database read-only): "
            + how;
    return new Plan.Fence(base, f, List.of(), true, base.reason(), message);
  }

  private static String database(Observation o) {
    return o.spec().getDatabase().getName();
  }

  private static String secret(Observation o) {
    SecretKeyRef ref = o.spec().getDatabase().getUrlSecretRef();
    return ref == null
        ? "the migration's database"
        : "Secret "
            + o.namespace()
            + "/"
            + ref.getName()
            + (ref.getKey() == null ? "" : " (key " + ref.getKey() + ")");
  }
}
