package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One entry of the bounded history: an attempt, or a restore requested with {@code
 * dbguard.io/restore} after it ({@link #getRestoredBackup()} set; attempt, revision and image are
 * those of the attempt it ran under).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttemptRecord {

  @JsonPropertyDescription("Attempt number.")
  private Integer attempt;

  @JsonPropertyDescription("Revision of the attempt.")
  private String revision;

  @JsonPropertyDescription("Image of the attempt.")
  private String image;

  @JsonPropertyDescription("Final phase (or the current phase for the running attempt).")
  private Phase phase;

  @JsonPropertyDescription("Reason of the final phase.")
  private String reason;

  @JsonPropertyDescription("UTC start time.")
  private String startedAt;

  @JsonPropertyDescription("UTC end time.")
  private String finishedAt;

  @JsonPropertyDescription(
      "Set on the entry of a restore requested with the dbguard.io/restore annotation: the"
          + " DatabaseBackup it restored. attempt, revision and image are those of the attempt it"
          + " ran under; phase is Restoring while it runs, then RolledBack (restored, reason"
          + " RestoreRequested) or Failed (reason RestoreFailed); startedAt and finishedAt are"
          + " its own.")
  private String restoredBackup;

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public String getRestoredBackup() {
    return restoredBackup;
  }

  public void setRestoredBackup(String restoredBackup) {
    this.restoredBackup = restoredBackup;
  }
}
