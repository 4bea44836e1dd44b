package io.dbguard.operator;

import java.util.Map;

/**
 * Operator-wide settings, from environment variables.
 *
 * @param toolImage image that runs the dbguard steps when a spec sets no {@code toolImage} ({@code
 *     DBGUARD_IMAGE})
 * @param stepTimeoutSeconds activeDeadlineSeconds of analyze/backup/verify/restore Jobs, seconds
 *     ({@code DBGUARD_STEP_TIMEOUT_SECONDS}, default 3600)
 * @param maxReconcileIntervalSeconds failsafe reconcile interval, seconds
 */
public record OperatorConfig(
    String toolImage, long stepTimeoutSeconds, long maxReconcileIntervalSeconds) {

  public static final String DEFAULT_TOOL_IMAGE = "ghcr.io/dbguard/dbguard:0.1.0";

  /** Reads the configuration from {@code env} (normally {@link System#getenv()}). */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    return new OperatorConfig(
        env.getOrDefault("DBGUARD_IMAGE", DEFAULT_TOOL_IMAGE),
        Long.parseLong(env.getOrDefault("DBGUARD_STEP_TIMEOUT_SECONDS", "3600")),
        Long.parseLong(env.getOrDefault("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS", "300")));
  }

  /** Defaults, for tests. */
  public static OperatorConfig defaults() {
    return fromEnv(Map.of());
  }
}
