package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** How the migration runs. Explicit fields override what fromWorkload copies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrateSpec {

  @JsonPropertyDescription(
      "The application's image (runs the migration command); required unless fromWorkload or sql is set.")
  private String image;

  @JsonPropertyDescription(
      "The migration command (argv, no shell), e.g. [bin/rails, db:migrate]. Checked against the dangerous-command list.")
  private List<String> command;

  @JsonPropertyDescription("Arguments appended to command.")
  private List<String> args;

  @JsonPropertyDescription("Extra environment variables for the migration container.")
  @SchemaFrom(type = DescribedKubernetesTypes.EnvVar[].class)
  private List<EnvVar> env;

  @JsonPropertyDescription("Environment from ConfigMaps/Secrets for the migration container.")
  @SchemaFrom(type = DescribedKubernetesTypes.EnvFromSource[].class)
  private List<EnvFromSource> envFrom;

  @JsonPropertyDescription(
      "Name of the environment variable that receives the database URL (from the Secret); defaults to DATABASE_URL.")
  @Default("DATABASE_URL")
  private String databaseUrlEnv;

  @JsonPropertyDescription("ServiceAccount of the migration Job.")
  private String serviceAccountName;

  @JsonPropertyDescription("Resource requests/limits of the migration container.")
  @SchemaFrom(type = DescribedKubernetesTypes.ResourceRequirements.class)
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Maximum run time of the migration Job in seconds (activeDeadlineSeconds).")
  @Min(1)
  @Default("1800")
  private Long timeoutSeconds;

  @JsonPropertyDescription(
      "Built-in SQL directory runner (Flyway) instead of an application command.")
  private SqlMigrations sql;

  @JsonPropertyDescription(
      "Copy image, env, envFrom, volumes and mounts, serviceAccountName, imagePullSecrets, nodeSelector, tolerations and securityContext from a container of this workload.")
  private WorkloadRef fromWorkload;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<EnvFromSource> getEnvFrom() {
    return envFrom;
  }

  public void setEnvFrom(List<EnvFromSource> envFrom) {
    this.envFrom = envFrom;
  }

  public String getDatabaseUrlEnv() {
    return databaseUrlEnv;
  }

  public void setDatabaseUrlEnv(String databaseUrlEnv) {
    this.databaseUrlEnv = databaseUrlEnv;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Long getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Long timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public SqlMigrations getSql() {
    return sql;
  }

  public void setSql(SqlMigrations sql) {
    this.sql = sql;
  }

  public WorkloadRef getFromWorkload() {
    return fromWorkload;
  }

  public void setFromWorkload(WorkloadRef fromWorkload) {
    this.fromWorkload = fromWorkload;
  }
}
