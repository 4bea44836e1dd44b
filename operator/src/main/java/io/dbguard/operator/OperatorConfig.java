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
 * @param secretsValidation whether validation checks that the connection Secret exists ({@code
 *     DBGUARD_SECRETS_VALIDATION}, default true; the chart sets it from {@code
 *     rbac.secretsValidation}, which also decides whether the operator may {@code get} Secrets)
 */
public record OperatorConfig(
    String toolImage,
    long stepTimeoutSeconds,
    long maxReconcileIntervalSeconds,
    boolean secretsValidation) {

  /** Settings with Secret validation on. */
  public OperatorConfig(
      String toolImage, long stepTimeoutSeconds, long maxReconcileIntervalSeconds) {
    this(toolImage, stepTimeoutSeconds, maxReconcileIntervalSeconds, true);
  }

  public static final String DEFAULT_TOOL_IMAGE = "ghcr.io/dbguard/dbguard:0.1.0";

  /** Reads the configuration from {@code env} (normally {@link System#getenv()}). */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    return new OperatorConfig(
        env.getOrDefault("DBGUARD_IMAGE", DEFAULT_TOOL_IMAGE),
        Long.parseLong(env.getOrDefault("DBGUARD_STEP_TIMEOUT_SECONDS", "3600")),
        Long.parseLong(env.getOrDefault("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS", "300")),
        !"false".equalsIgnoreCase(env.getOrDefault("DBGUARD_SECRETS_VALIDATION", "true")));
  }

  /** Defaults, for tests. */
  public static OperatorConfig defaults() {
    return fromEnv(Map.of());
  }
}
