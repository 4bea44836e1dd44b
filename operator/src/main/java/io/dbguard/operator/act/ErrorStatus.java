package io.dbguard.operator.act;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.MigrationPlanner;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The status that reports an error the reconcile could not get past (a 403, an exception while
 * acting): condition {@code Stalled=True} with the reason and message, {@code Ready=False} and
 * {@code Reconciling=False}; the other conditions stay as they were. Outside a running step the
 * phase is {@code Pending} (when none was recorded yet) and {@code status.reason/message} carry the
 * error too; during a step they keep the step's own reason and message (its cause).
 */
public final class ErrorStatus {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Set<String> REPLACED =
      Set.of(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED);

  /** Longest message recorded, characters (an exception text can be long). */
  static final int MAX_MESSAGE = 600;

  private ErrorStatus() {}

  /**
   * @param m the resource as last read or written
   * @param reason PascalCase reason, e.g. {@code Forbidden}
   * @param message what went wrong; truncated to {@value #MAX_MESSAGE} characters
   * @param now transition time (UTC)
   */
  public static DatabaseMigrationStatus of(
      DatabaseMigration m, String reason, String message, Instant now) {
    String msg = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
    DatabaseMigrationStatus s =
        m.getStatus() == null ? new DatabaseMigrationStatus() : JSON.clone(m.getStatus());
    if (s.getPhase() == null) {
      s.setPhase(Phase.Pending);
    }
    if (!MigrationPlanner.RUNNING.contains(s.getPhase())) {
      s.setReason(reason);
      s.setMessage(msg);
    }
    long generation = m.getMetadata().getGeneration() == null ? 0 : m.getMetadata().getGeneration();
    List<Condition> fresh =
        new Conditions(s.getConditions(), generation, now)
            .set(Conditions.READY, false, reason, msg)
            .set(Conditions.RECONCILING, false, reason, msg)
            .set(Conditions.STALLED, true, reason, msg)
            .build();
    List<Condition> all = new ArrayList<>(fresh);
    if (s.getConditions() != null) {
      s.getConditions().stream().filter(c -> !REPLACED.contains(c.getType())).forEach(all::add);
    }
    s.setConditions(all);
    return s;
  }
}
