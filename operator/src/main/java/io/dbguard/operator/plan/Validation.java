package io.dbguard.operator.plan;

import java.util.List;

/**
 * Result of validating a spec before any Job is started.
 *
 * @param invalidSpec why the spec cannot run (e.g. PostgreSQL without {@code urlSecretRef}), or
 *     null
 * @param missing references that do not exist, as {@code Kind/name} (Secrets, PVCs, ConfigMaps,
 *     workloads); empty when all exist
 * @param refusedRule id of the ProductionGuard rule that refused the migrate/seed command, or null
 * @param refusedMessage why the command was refused (matched fragment + reason), or null
 */
public record Validation(
    String invalidSpec, List<String> missing, String refusedRule, String refusedMessage) {

  public Validation {
    missing = List.copyOf(missing);
  }

  /** A spec with nothing wrong. */
  public static Validation ok() {
    return new Validation(null, List.of(), null, null);
  }

  public boolean refused() {
    return refusedRule != null;
  }
}
