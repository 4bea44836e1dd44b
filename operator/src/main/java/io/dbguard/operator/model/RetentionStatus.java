package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Retention after the last succeeded attempt ({@code status.retention}): the plan is written here
 * before the prune Job is created (write-ahead), so a restarted operator finishes the same plan and
 * never plans twice for one attempt.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionStatus {

  @JsonPropertyDescription("Revision of the succeeded attempt this retention run follows.")
  private String revision;

  @JsonPropertyDescription("Pruning, Done or Failed.")
  private RetentionState state;

  @JsonPropertyDescription("The prune Job (<cr>-prune-<revision>), when one runs.")
  private String job;

  @JsonPropertyDescription("Backups to delete (beyond keepLast; never pinned, in use or newest).")
  private List<RetentionItem> prune;

  @JsonPropertyDescription("Backups kept, whose files the prune Job checks.")
  private List<RetentionItem> check;

  @JsonPropertyDescription("What retention did, or why it failed.")
  private String message;

  @JsonPropertyDescription("UTC time the plan was recorded.")
  private String startedAt;

  @JsonPropertyDescription("UTC time the records were updated.")
  private String completedAt;

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public RetentionState getState() {
    return state;
  }

  public void setState(RetentionState state) {
    this.state = state;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public List<RetentionItem> getPrune() {
    return prune;
  }

  public void setPrune(List<RetentionItem> prune) {
    this.prune = prune;
  }

  public List<RetentionItem> getCheck() {
    return check;
  }

  public void setCheck(List<RetentionItem> check) {
    this.check = check;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }
}
