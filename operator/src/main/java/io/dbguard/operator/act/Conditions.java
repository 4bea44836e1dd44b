package io.dbguard.operator.act;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a condition list, carrying {@code lastTransitionTime} forward from the previous list when
 * a condition's status did not change (kstatus / Kubernetes API conventions).
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String BACKUP_VERIFIED = "BackupVerified";
  public static final String MIGRATED = "Migrated";
  public static final String ROLLOUT_ALLOWED = "RolloutAllowed";
  public static final String ROLLED_BACK = "RolledBack";

  private final List<Condition> previous;
  private final List<Condition> next = new ArrayList<>();
  private final long generation;
  private final String now;

  /**
   * @param previous the conditions currently in status (may be null)
   * @param generation {@code metadata.generation} written as each condition's observedGeneration
   * @param now the transition time for conditions whose status changes
   */
  public Conditions(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.toString();
  }

  /** Adds a condition; {@code status} true → "True", false → "False". */
  public Conditions set(String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    String transition =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && s.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    next.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(s)
            .withReason(reason == null ? "Unknown" : reason)
            // Never empty: an empty message reaches the apiserver as null and fails validation.
            .withMessage(message == null || message.isEmpty() ? type + ": " + s : message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(next);
  }

  /** The condition of a type in a list, or null. */
  public static Condition find(List<Condition> list, String type) {
    return list == null
        ? null
        : list.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
