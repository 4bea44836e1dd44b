package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Desired migration: which database, which command, how to back up and what is safe. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseMigrationSpec {

  @JsonPropertyDescription("The database to migrate.")
  @Required
  private DatabaseSpec database;

  @JsonPropertyDescription(
      "How to run the migration: image + command, the built-in SQL runner, or a container copied from a workload.")
  @Required
  private MigrateSpec migrate;

  @JsonPropertyDescription("Optional seed step after a successful migration.")
  private SeedSpec seed;

  @JsonPropertyDescription("How the pre-migration backup is taken and kept.")
  private BackupSpec backup;

  @JsonPropertyDescription("Safety checks: environment, lint mode and acknowledgements.")
  private SafetySpec safety;

  @JsonPropertyDescription(
      "What to do when migrate, verify or seed fails: Restore (default) or Halt.")
  @Default("Restore")
  private OnFailure onFailure;

  @JsonPropertyDescription(
      "The application's workloads: their pods carry the dbguard rollout gate init container, and writeFence keeps their writers out of the database during the migration window.")
  private RolloutSpec rollout;

  @JsonPropertyDescription(
      "Plan each attempt first (a Job runs `dbguard plan`; its summary is in status.plan) and, with mode Manual, wait in phase AwaitingApproval until `kubectl annotate dbmig NAME dbguard.io/approve=<status.revision>`. Unset: no plan step. Not part of the attempt's revision.")
  private ApprovalSpec approval;

  @JsonPropertyDescription(
      "Image that runs the dbguard steps (backup, verify, restore, analyze); defaults to the operator's DBGUARD_IMAGE.")
  private String toolImage;

  @JsonPropertyDescription(
      "Seconds a finished Job is kept before Kubernetes deletes it (ttlSecondsAfterFinished).")
  @Min(60)
  @Default("86400")
  private Integer jobTtlSeconds;

  public DatabaseSpec getDatabase() {
    return database;
  }

  public void setDatabase(DatabaseSpec database) {
    this.database = database;
  }

  public MigrateSpec getMigrate() {
    return migrate;
  }

  public void setMigrate(MigrateSpec migrate) {
    this.migrate = migrate;
  }

  public SeedSpec getSeed() {
    return seed;
  }

  public void setSeed(SeedSpec seed) {
    this.seed = seed;
  }

  public BackupSpec getBackup() {
    return backup;
  }

  public void setBackup(BackupSpec backup) {
    this.backup = backup;
  }

  public SafetySpec getSafety() {
    return safety;
  }

  public void setSafety(SafetySpec safety) {
    this.safety = safety;
  }

  public OnFailure getOnFailure() {
    return onFailure;
  }

  public void setOnFailure(OnFailure onFailure) {
    this.onFailure = onFailure;
  }

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }

  public ApprovalSpec getApproval() {
    return approval;
  }

  public void setApproval(ApprovalSpec approval) {
    this.approval = approval;
  }

  public String getToolImage() {
    return toolImage;
  }

  public void setToolImage(String toolImage) {
    this.toolImage = toolImage;
  }

  public Integer getJobTtlSeconds() {
    return jobTtlSeconds;
  }

  public void setJobTtlSeconds(Integer jobTtlSeconds) {
    this.jobTtlSeconds = jobTtlSeconds;
  }
}
