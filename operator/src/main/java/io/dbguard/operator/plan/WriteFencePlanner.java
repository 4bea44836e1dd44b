package io.dbguard.operator.plan;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.FenceStatus;
import io.dbguard.operator.model.FencedWorkload;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.operator.model.WriteFence;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The write fence of the migration window ({@code spec.rollout.writeFence: ScaleToZero}), as a pure
 * function around the plan of the migration state machine. Called by {@link MigrationPlanner#plan};
 * every row is in {@code WriteFencePlannerTest}. {@code ReadOnly} (PostgreSQL) is handed to {@link
 * ReadOnlyFencePlanner}.
 *
 * <ul>
 *   <li>Before the backup (any step but analyze): record each workload's replica count in {@code
 *       status.fence} (state Fencing), then scale it to 0; the step's Job is created only once
 *       every workload is at 0 and has no pods (state Fenced). Counts recorded by an earlier fence
 *       that was not lifted are kept, so a count of 0 set by dbguard is never taken for the
 *       original.
 *   <li>While fenced: a workload scaled up or with pods again is a breach: it is scaled back to 0
 *       and {@code status.fence.breachedAt} records it (a restore may then discard writes).
 *   <li>After the attempt (any phase that is not running): state Lifting, each workload still at 0
 *       is scaled back to its recorded count; one at any other count was scaled by someone else and
 *       is left alone, so the count is put back exactly once, also across restarts. When every
 *       workload is back: state Lifted.
 *   <li>Exception: phase Failed after the migration ran (restore failed, {@code onFailure: Halt},
 *       or nothing to restore from): the database is in a state no one has checked, so the fence
 *       stays (state Held) until a person scales the workloads back; the status message carries the
 *       commands. Once every workload is scaled up again, the fence is recorded as Lifted.
 * </ul>
 */
public final class WriteFencePlanner {
  /** Reason while the fence is going up (workloads scaling down, pods ending). */
  public static final String FENCING_WRITES = "FencingWrites";

  /** Reason when a fenced workload was found scaled up or running pods during the window. */
  public static final String FENCE_BREACHED = "FenceBreached";

  private static final Set<FenceState> ACTIVE =
      EnumSet.of(FenceState.Fencing, FenceState.Fenced, FenceState.Lifting);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private WriteFencePlanner() {}

  /** The fence mode of {@code spec}: {@code ScaleToZero} when unset. */
  public static WriteFence mode(DatabaseMigrationSpec spec) {
    return spec.getRollout() == null || spec.getRollout().getWriteFence() == null
        ? WriteFence.ScaleToZero
        : spec.getRollout().getWriteFence();
  }

  /** {@code base} with the fence's actions around it, or {@code base} when the fence has none. */
  static Plan apply(Observation o, Plan base) {
    DatabaseMigrationStatus st = o.status();
    FenceStatus fence = st == null ? null : st.getFence();
    base = UnfencedWrites.report(o, base, fence);
    // a fence in force is carried through by its own mode; with none, the spec's mode applies
    boolean live = fence != null && fence.getState() != FenceState.Lifted;
    if (live ? fence.getMode() == WriteFence.ReadOnly : mode(o.spec()) == WriteFence.ReadOnly) {
      return ReadOnlyFencePlanner.apply(o, base, fence);
    }
    if (needsFence(base)) {
      if (fence != null
          && (fence.getState() == FenceState.Fencing || fence.getState() == FenceState.Fenced)) {
        return keepFenced(o, base, fence);
      }
      if (mode(o.spec()) == WriteFence.ScaleToZero && !workloads(o.spec()).isEmpty()) {
        return startFence(o, base, fence);
      }
      return base;
    }
    if (fence == null) {
      return base;
    }
    if (MigrationPlanner.RUNNING.contains(base.phase())) {
      return fence.getState() == FenceState.Fenced ? keepFenced(o, base, fence) : base;
    }
    if (holds(o, base)) {
      return ACTIVE.contains(fence.getState())
          ? hold(o, base, fence)
          : liftedByHand(o, base, fence);
    }
    return ACTIVE.contains(fence.getState()) ? lift(o, base, fence) : liftedByHand(o, base, fence);
  }

  /**
   * A plan whose Job reads or writes the database: every step but analyze and plan (read-only, and
   * a plan may wait for a human afterwards); and the creation of a VolumeSnapshot of the database
   * claim ({@link SnapshotPlanner}).
   */
  static boolean needsFence(Plan p) {
    return (p instanceof Plan.LaunchStep ls && ls.step() != Step.ANALYZE && ls.step() != Step.PLAN)
        || p instanceof Plan.StartRestore
        || (p instanceof Plan.Snapshot s && s.create());
  }

  private static List<WorkloadRef> workloads(DatabaseMigrationSpec spec) {
    return spec.getRollout() == null || spec.getRollout().getWorkloads() == null
        ? List.of()
        : spec.getRollout().getWorkloads();
  }

  /** Record the original counts (write-ahead), then scale every workload to 0. */
  private static Plan startFence(Observation o, Plan base, FenceStatus previous) {
    List<FencedWorkload> records = new ArrayList<>();
    List<ScaleAction> actions = new ArrayList<>();
    for (WorkloadRef ref : workloads(o.spec())) {
      Optional<WorkloadObservation> w = o.workload(ref.getKind(), ref.getName());
      boolean exists = w.isPresent() && w.get().exists();
      Integer prior = previousCount(previous, ref);
      Integer original =
          prior != null && (!exists || w.get().replicas() == 0)
              ? prior
              : exists ? Integer.valueOf(w.get().replicas()) : null;
      records.add(new FencedWorkload(ref.getKind(), ref.getName(), original));
      if (exists && w.get().replicas() != 0) {
        actions.add(new ScaleAction(ref.getKind(), ref.getName(), 0));
      }
    }
    FenceStatus f = new FenceStatus();
    f.setMode(WriteFence.ScaleToZero);
    f.setState(FenceState.Fencing);
    f.setRevision(
        (base instanceof Plan.LaunchStep ls && ls.newAttempt())
                || (base instanceof Plan.Snapshot s && s.newAttempt())
            ? o.desiredRevision()
            : o.status().getRevision());
    f.setWorkloads(records);
    f.setMessage("scaling " + describe(records) + " to 0 before the backup");
    return new Plan.Fence(base, f, actions, false, FENCING_WRITES, f.getMessage());
  }

  /** The count an earlier fence recorded and did not put back, if any. */
  private static Integer previousCount(FenceStatus previous, WorkloadRef ref) {
    if (previous == null
        || previous.getState() == FenceState.Lifted
        || previous.getWorkloads() == null) {
      return null;
    }
    return previous.getWorkloads().stream()
        .filter(r -> r.getKind() == ref.getKind() && ref.getName().equals(r.getName()))
        .map(FencedWorkload::getReplicas)
        .filter(r -> r != null)
        .findFirst()
        .orElse(null);
  }

  /**
   * Fencing or Fenced: proceed once every workload is at 0 without pods; otherwise scale it (again)
   * and wait. A workload that comes back while Fenced is a breach.
   */
  private static Plan keepFenced(Observation o, Plan base, FenceStatus fence) {
    List<ScaleAction> actions = new ArrayList<>();
    List<String> up = new ArrayList<>();
    int pods = 0;
    for (FencedWorkload r : records(fence)) {
      Optional<WorkloadObservation> w = o.workload(r.getKind(), r.getName());
      if (w.isEmpty() || !w.get().exists()) {
        continue;
      }
      if (w.get().replicas() != 0) {
        actions.add(new ScaleAction(r.getKind(), r.getName(), 0));
      }
      if (w.get().replicas() != 0 || w.get().pods() > 0) {
        up.add(
            w.get().ref() + " (" + w.get().replicas() + " replicas, " + w.get().pods() + " pods)");
        pods += w.get().pods();
      }
    }
    boolean waitable = needsFence(base);
    if (up.isEmpty()) {
      if (fence.getState() == FenceState.Fenced) {
        return base;
      }
      FenceStatus f = copy(fence);
      f.setState(FenceState.Fenced);
      f.setMessage(describe(records(fence)) + " at 0 replicas with no pods: writers fenced");
      return new Plan.Fence(base, f, List.of(), true, base.reason(), base.message());
    }
    FenceStatus f = copy(fence);
    String why;
    if (fence.getState() == FenceState.Fenced) {
      if (f.getBreachedAt() == null) {
        f.setBreachedAt(o.now().toString());
      }
      why =
          "fence breached: "
              + String.join(", ", up)
              + " during the migration window; scaling back to 0 (writes after the backup are"
              + " possible)";
    } else {
      why = "waiting for " + pods + " pods to end: " + String.join(", ", up);
    }
    f.setMessage(why);
    if (!waitable) {
      return new Plan.Fence(base, f, actions, true, base.reason(), base.message());
    }
    String reason = fence.getState() == FenceState.Fenced ? FENCE_BREACHED : FENCING_WRITES;
    return new Plan.Fence(base, f, actions, false, reason, why);
  }

  /**
   * Whether the attempt ended with the database in an unchecked state: Failed after the migrate
   * step ran (restore failed, onFailure Halt, nothing to restore from), or a restore failed.
   */
  static boolean holds(Observation o, Plan base) {
    if (base.phase() != Phase.Failed) {
      return false;
    }
    DatabaseMigrationStatus st = o.status();
    String reason = base instanceof Plan.Noop ? st.getReason() : base.reason();
    if (Reason.RESTORE_FAILED.equals(reason)) {
      return true;
    }
    return st != null
        && st.getRevision() != null
        && o.job(JobNames.of(o.name(), Step.MIGRATE, st.getRevision())).isPresent();
  }

  private static Plan hold(Observation o, Plan base, FenceStatus fence) {
    FenceStatus f = copy(fence);
    f.setState(FenceState.Held);
    List<String> commands = new ArrayList<>();
    for (FencedWorkload r : records(fence)) {
      if (r.getReplicas() != null) {
        commands.add(
            "kubectl -n "
                + o.namespace()
                + " scale "
                + r.getKind().name().toLowerCase(java.util.Locale.ROOT)
                + "/"
                + r.getName()
                + " --replicas="
                + r.getReplicas());
      }
    }
    f.setMessage(
        "the fence stays: the database was not returned to its backup, so the application stays"
            + " stopped until a person has checked or repaired it (docs/operations.md#runbook-restorefailed);"
            + " then lift the fence with: "
            + String.join("; ", commands));
    String message =
        (base.message() == null ? "" : base.message() + "; ") + "write fence held: " + commands;
    return new Plan.Fence(
        base, f, List.of(), true, base.reason(), base instanceof Plan.Noop ? null : message);
  }

  /** Put back every workload still at 0; Lifted once none is left at 0. */
  private static Plan lift(Observation o, Plan base, FenceStatus fence) {
    List<ScaleAction> actions = new ArrayList<>();
    for (FencedWorkload r : records(fence)) {
      Optional<WorkloadObservation> w = o.workload(r.getKind(), r.getName());
      if (r.getReplicas() != null
          && r.getReplicas() > 0
          && w.isPresent()
          && w.get().exists()
          && w.get().replicas() == 0) {
        actions.add(new ScaleAction(r.getKind(), r.getName(), r.getReplicas()));
      }
    }
    FenceStatus f = copy(fence);
    if (actions.isEmpty()) {
      f.setState(FenceState.Lifted);
      f.setMessage("fence lifted: " + describe(records(fence)) + " put back");
      return new Plan.Fence(base, f, List.of(), true, base.reason(), base.message());
    }
    if (fence.getState() == FenceState.Lifting) {
      // the scale was recorded but not (or not yet visibly) done, e.g. the operator restarted
      return new Plan.Fence(base, fence, actions, true, base.reason(), base.message());
    }
    f.setState(FenceState.Lifting);
    f.setMessage("the attempt ended (" + base.phase() + "): scaling " + describe(records(fence)));
    return new Plan.Fence(base, f, actions, true, base.reason(), base.message());
  }

  /** A Held fence whose workloads a person has scaled up again is recorded as lifted. */
  private static Plan liftedByHand(Observation o, Plan base, FenceStatus fence) {
    if (fence.getState() != FenceState.Held) {
      return base;
    }
    for (FencedWorkload r : records(fence)) {
      Optional<WorkloadObservation> w = o.workload(r.getKind(), r.getName());
      if (r.getReplicas() != null
          && r.getReplicas() > 0
          && w.isPresent()
          && w.get().exists()
          && w.get().replicas() == 0) {
        return base;
      }
    }
    FenceStatus f = copy(fence);
    f.setState(FenceState.Lifted);
    f.setMessage("fence lifted by hand: the workloads were scaled up again");
    return new Plan.Fence(base, f, List.of(), true, base.reason(), base.message());
  }

  private static List<FencedWorkload> records(FenceStatus f) {
    return f.getWorkloads() == null ? List.of() : f.getWorkloads();
  }

  private static String describe(List<FencedWorkload> records) {
    List<String> parts = new ArrayList<>();
    for (FencedWorkload r : records) {
      parts.add(
          r.getKind()
              + "/"
              + r.getName()
              + (r.getReplicas() == null ? " (not found)" : " (" + r.getReplicas() + " replicas)"));
    }
    return String.join(", ", parts);
  }

  private static FenceStatus copy(FenceStatus f) {
    return JSON.clone(f);
  }
}
