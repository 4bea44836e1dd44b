package io.dbguard.operator;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * What every container of a step Job (analyze, backup, verify, restore, and the built-in SQL
 * migrate) gets from the operator's installation, so the Jobs are admitted in a namespace with a
 * ResourceQuota and their JVM sizes its heap from the container limit rather than from the node.
 *
 * @param resources requests/limits of the dbguard containers, and of the application's migration
 *     container when neither the DatabaseMigration ({@code spec.migrate.resources}) nor the copied
 *     workload container sets any; null: none ({@code DBGUARD_JOB_RESOURCES}, JSON of a Kubernetes
 *     ResourceRequirements, set by the chart from {@code jobs.resources})
 * @param javaOptions {@code JAVA_TOOL_OPTIONS} of the dbguard containers, e.g. {@code
 *     -XX:MaxRAMPercentage=75}; null or blank: not set ({@code DBGUARD_JOB_JAVA_OPTIONS}, chart
 *     value {@code jobs.javaOptions})
 * @param logFormat {@code DBGUARD_LOG_FORMAT} of the dbguard containers: the operator's own log
 *     format ({@code text} or {@code json}, chart value {@code operator.logFormat}), so that the
 *     step Jobs' logs read like the operator's; null: not set (the CLI's default, text)
 */
public record JobDefaults(ResourceRequirements resources, String javaOptions, String logFormat) {

  /** No resources, no JVM options (Kubernetes defaults: a LimitRange may still fill them in). */
  public static final JobDefaults NONE = new JobDefaults(null, null, null);

  /** Resources and JVM options, no log format. */
  public JobDefaults(ResourceRequirements resources, String javaOptions) {
    this(resources, javaOptions, null);
  }

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * Reads {@code DBGUARD_JOB_RESOURCES}, {@code DBGUARD_JOB_JAVA_OPTIONS} and the operator's own
   * {@code DBGUARD_LOG_FORMAT} (validated by the operator's start-up).
   *
   * @throws IllegalArgumentException when {@code DBGUARD_JOB_RESOURCES} is not a JSON object of a
   *     ResourceRequirements (the message names the variable, never its surroundings)
   */
  public static JobDefaults fromEnv(Map<String, String> env) {
    String json = env.getOrDefault("DBGUARD_JOB_RESOURCES", "").strip();
    ResourceRequirements resources = null;
    if (!json.isEmpty() && !json.equals("{}") && !json.equals("null")) {
      try {
        resources = JSON.unmarshal(json, ResourceRequirements.class);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "DBGUARD_JOB_RESOURCES is not a ResourceRequirements JSON object: " + e.getMessage(),
            e);
      }
    }
    String options = env.getOrDefault("DBGUARD_JOB_JAVA_OPTIONS", "").strip();
    String logFormat = env.getOrDefault("DBGUARD_LOG_FORMAT", "").strip();
    return new JobDefaults(
        resources, options.isEmpty() ? null : options, logFormat.isEmpty() ? null : logFormat);
  }
}
