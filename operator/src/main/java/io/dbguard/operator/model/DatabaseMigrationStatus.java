package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state; written by the operator before it acts (write-ahead). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseMigrationStatus {

  @JsonPropertyDescription("Current phase.")
  private Phase phase;

  @JsonPropertyDescription("metadata.generation the status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Conditions: Ready, Reconciling, Stalled (kstatus), BackupVerified, Migrated, RolloutAllowed, RolledBack.")
  @SchemaFrom(type = DescribedKubernetesTypes.Condition[].class)
  private List<Condition> conditions;

  @JsonPropertyDescription("PascalCase reason of the latest phase change, e.g. MigrationFailed.")
  private String reason;

  @JsonPropertyDescription("Human message of the latest phase change.")
  private String message;

  @JsonPropertyDescription("Image of the current (or latest) attempt.")
  private String image;

  @JsonPropertyDescription(
      "Revision (8 hex) of the current attempt: hash of spec, resolved image and retry token.")
  private String revision;

  @JsonPropertyDescription("Attempt counter, 1 for the first.")
  private Integer attempt;

  @JsonPropertyDescription(
      "The value of the dbguard.io/retry annotation the current attempt started from.")
  private String retryToken;

  @JsonPropertyDescription("The step and Job the operator is running (or about to run).")
  private CurrentStep current;

  @JsonPropertyDescription("The backup that protects the current attempt.")
  private BackupStatusRef backup;

  @JsonPropertyDescription(
      "The latest restore requested with the dbguard.io/restore annotation (kubectl dbguard"
          + " restore) and its state.")
  private RestoreRequestStatus restoreRequest;

  @JsonPropertyDescription("Outcome of the analyze step.")
  private FindingsSummary findings;

  @JsonPropertyDescription(
      "spec.approval: summary of the plan of the current attempt (pending migrations, findings, estimated backup size and time, role warnings) and its approval.")
  private PlanStatus plan;

  @JsonPropertyDescription("Image whose migration last succeeded; the rollout gate opens for it.")
  private String lastSucceededImage;

  @JsonPropertyDescription("Revision that last succeeded.")
  private String lastSucceededRevision;

  @JsonPropertyDescription(
      "The write fence of the migration window: state and the workloads' replica counts before it.")
  private FenceStatus fence;

  @JsonPropertyDescription(
      "backup.method VolumeSnapshot: the snapshot of the database claim that protects the current attempt, recorded before it is created, and the temporary claim provisioned from it.")
  private SnapshotStatus snapshot;

  @JsonPropertyDescription(
      "Bounded history of attempts and of the restores requested with dbguard.io/restore,"
          + " newest last (at most 10 entries).")
  private List<AttemptRecord> history;

  @JsonPropertyDescription(
      "Retention after the last succeeded attempt: the plan (backups to prune and to check), the"
          + " prune Job and its outcome.")
  private RetentionStatus retention;

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public String getRetryToken() {
    return retryToken;
  }

  public void setRetryToken(String retryToken) {
    this.retryToken = retryToken;
  }

  public CurrentStep getCurrent() {
    return current;
  }

  public void setCurrent(CurrentStep current) {
    this.current = current;
  }

  public BackupStatusRef getBackup() {
    return backup;
  }

  public void setBackup(BackupStatusRef backup) {
    this.backup = backup;
  }

  public FindingsSummary getFindings() {
    return findings;
  }

  public void setFindings(FindingsSummary findings) {
    this.findings = findings;
  }

  public PlanStatus getPlan() {
    return plan;
  }

  public void setPlan(PlanStatus plan) {
    this.plan = plan;
  }

  public String getLastSucceededImage() {
    return lastSucceededImage;
  }

  public void setLastSucceededImage(String lastSucceededImage) {
    this.lastSucceededImage = lastSucceededImage;
  }

  public String getLastSucceededRevision() {
    return lastSucceededRevision;
  }

  public void setLastSucceededRevision(String lastSucceededRevision) {
    this.lastSucceededRevision = lastSucceededRevision;
  }

  public FenceStatus getFence() {
    return fence;
  }

  public void setFence(FenceStatus fence) {
    this.fence = fence;
  }

  public SnapshotStatus getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(SnapshotStatus snapshot) {
    this.snapshot = snapshot;
  }

  public List<AttemptRecord> getHistory() {
    return history;
  }

  public void setHistory(List<AttemptRecord> history) {
    this.history = history;
  }

  public RetentionStatus getRetention() {
    return retention;
  }

  public void setRetention(RetentionStatus retention) {
    this.retention = retention;
  }

  public RestoreRequestStatus getRestoreRequest() {
    return restoreRequest;
  }

  public void setRestoreRequest(RestoreRequestStatus restoreRequest) {
    this.restoreRequest = restoreRequest;
  }
}
