package io.dbguard.operator;

import java.util.Map;

/**
 * Operator-wide settings, from environment variables.
 *
 * @param toolImage image that runs the dbguard steps when a spec sets no {@code toolImage} ({@code
 *     DBGUARD_IMAGE})
 * @param stepTimeoutSeconds activeDeadlineSeconds of analyze/backup/verify/restore Jobs, seconds
 *     ({@code DBGUARD_STEP_TIMEOUT_SECONDS}, default 3600)
 * @param maxReconcileIntervalSeconds failsafe reconcile interval in seconds, at least 1: every
 *     DatabaseMigration is reconciled at least this often without events (JOSDK's maximum
 *     reconciliation interval; {@code DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS}, default 300)
 * @param secretsValidation whether validation checks that the connection Secret exists ({@code
 *     DBGUARD_SECRETS_VALIDATION}, default true; the chart sets it from {@code
 *     rbac.secretsValidation}, which also decides whether the operator may {@code get} Secrets)
 * @param jobs resources and JVM options of the step Jobs' containers
 */
public record OperatorConfig(
    String toolImage,
    long stepTimeoutSeconds,
    long maxReconcileIntervalSeconds,
    boolean secretsValidation,
    JobDefaults jobs) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when a timeout or interval is below 1 second
   */
  public OperatorConfig {
    if (stepTimeoutSeconds < 1) {
      throw new IllegalArgumentException("DBGUARD_STEP_TIMEOUT_SECONDS must be at least 1");
    }
    if (maxReconcileIntervalSeconds < 1) {
      throw new IllegalArgumentException(
          "DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS must be at least 1");
    }
    jobs = jobs == null ? JobDefaults.NONE : jobs;
  }

  /** Settings without Job defaults. */
  public OperatorConfig(
      String toolImage,
      long stepTimeoutSeconds,
      long maxReconcileIntervalSeconds,
      boolean secretsValidation) {
    this(
        toolImage,
        stepTimeoutSeconds,
        maxReconcileIntervalSeconds,
        secretsValidation,
        JobDefaults.NONE);
  }

  /** Settings with Secret validation on. */
  public OperatorConfig(
      String toolImage, long stepTimeoutSeconds, long maxReconcileIntervalSeconds) {
    this(toolImage, stepTimeoutSeconds, maxReconcileIntervalSeconds, true);
  }

  /**
   * The tool image when {@code DBGUARD_IMAGE} is not set: {@code ghcr.io/dbguard/dbguard:<the
   * build's version>}, the tag the chart's {@code dbguardImage.tag} defaults to (its appVersion,
   * which equals the Maven project version).
   */
  public static final String DEFAULT_TOOL_IMAGE =
      "ghcr.io/dbguard/dbguard:" + io.dbguard.core.DbguardVersion.current();

  /**
   * Reads the configuration from {@code env} (normally {@link System#getenv()}).
   *
   * @throws IllegalArgumentException when a value is out of range or not parseable
   */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    return new OperatorConfig(
        env.getOrDefault("DBGUARD_IMAGE", DEFAULT_TOOL_IMAGE),
        Long.parseLong(env.getOrDefault("DBGUARD_STEP_TIMEOUT_SECONDS", "3600")),
        Long.parseLong(env.getOrDefault("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS", "300")),
        !"false".equalsIgnoreCase(env.getOrDefault("DBGUARD_SECRETS_VALIDATION", "true")),
        JobDefaults.fromEnv(env));
  }

  /** Defaults, for tests. */
  public static OperatorConfig defaults() {
    return fromEnv(Map.of());
  }
}
