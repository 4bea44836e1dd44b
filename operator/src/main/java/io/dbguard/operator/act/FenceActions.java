package io.dbguard.operator.act;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.FenceStatus;
import io.dbguard.operator.plan.Plan;
import io.dbguard.operator.plan.ScaleAction;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Objects;

/**
 * Acts on a {@link Plan.Fence} after its status is written: sets the replica counts, and reports a
 * change of the fence's state (or a new breach) as an Event.
 */
public final class FenceActions {
  /** Re-check interval while the fence goes up or comes down, seconds. */
  static final long MOVING_SECONDS = 2;

  /** Re-check interval while fenced, to notice a breach between Job events, seconds. */
  static final long FENCED_SECONDS = 10;

  private final KubernetesClient client;

  public FenceActions(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Scales the workloads of {@code f} and records an Event when the fence's state changed.
   *
   * @param m the DatabaseMigration (status already written)
   * @param before the status before this reconcile, or null
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public void carryOut(
      DatabaseMigration m, DatabaseMigrationStatus before, Plan.Fence f, Instant now) {
    String ns = m.getMetadata().getNamespace();
    WorkloadScaler scaler = new WorkloadScaler(client);
    for (ScaleAction a : f.actions()) {
      scaler.apply(ns, a);
    }
    FenceStatus old = before == null ? null : before.getFence();
    FenceStatus cur = f.fence();
    boolean stateChanged = old == null || old.getState() != cur.getState();
    boolean newBreach =
        cur.getBreachedAt() != null
            && !Objects.equals(cur.getBreachedAt(), old == null ? null : old.getBreachedAt());
    if (stateChanged || newBreach) {
      String reason = newBreach ? "FenceBreached" : "Fence" + cur.getState();
      new EventRecorder(client)
          .fenceChanged(
              m, reason, cur.getMessage(), newBreach || cur.getState() == FenceState.Held, now);
    }
  }

  /** Seconds until the next look at the fence, or 0 when it needs none. */
  public static long recheckSeconds(DatabaseMigrationStatus s) {
    FenceStatus f = s == null ? null : s.getFence();
    if (f == null || f.getState() == null) {
      return 0;
    }
    return switch (f.getState()) {
      case Fencing, Lifting -> MOVING_SECONDS;
      case Fenced -> FENCED_SECONDS;
      default -> 0;
    };
  }
}
