package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The step in progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CurrentStep {

  @JsonPropertyDescription(
      "Step: Plan, Analyze, Backup, SnapshotCheck, Migrate, Verify, Seed or Restore.")
  private String step;

  @JsonPropertyDescription("Name of the Job running the step.")
  private String job;

  @JsonPropertyDescription("UTC time the step was recorded (before the Job was created).")
  private String startedAt;

  @JsonPropertyDescription(
      "Why a restore was started (reason of the failed step); only for Restore.")
  private String restoreCause;

  @JsonPropertyDescription(
      "UID of the Job once the operator has seen it exist; a Job that disappears afterwards before finishing is reported as JobLost.")
  private String jobUid;

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getRestoreCause() {
    return restoreCause;
  }

  public void setRestoreCause(String restoreCause) {
    this.restoreCause = restoreCause;
  }

  public String getJobUid() {
    return jobUid;
  }

  public void setJobUid(String jobUid) {
    this.jobUid = jobUid;
  }
}
