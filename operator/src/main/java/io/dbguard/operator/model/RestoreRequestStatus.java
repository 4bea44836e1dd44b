package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The latest restore requested with the {@code dbguard.io/restore} annotation (value {@code
 * <DatabaseBackup>@<status.revision>}) and what became of it. Recorded before the restore Job is
 * created; a request whose value is recorded here is handled once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreRequestStatus {
  @JsonPropertyDescription("The dbguard.io/restore annotation value this request came from.")
  private String value;

  @JsonPropertyDescription("Name of the DatabaseBackup to restore (in this namespace).")
  private String backup;

  @JsonPropertyDescription(
      "The backup's name in the backup directory (its file without extension), as the restore"
          + " Job is given it.")
  private String backupName;

  @JsonPropertyDescription("status.revision the request was made for.")
  private String revision;

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Refused.")
  private RestoreRequestState state;

  @JsonPropertyDescription("What happened, or why the request was refused.")
  private String message;

  @JsonPropertyDescription("Name of the restore Job (deterministic per request value).")
  private String job;

  @JsonPropertyDescription("When the request was recorded (RFC 3339, UTC).")
  private String requestedAt;

  @JsonPropertyDescription("When it ended: succeeded, failed or refused (RFC 3339, UTC).")
  private String finishedAt;

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public String getBackup() {
    return backup;
  }

  public void setBackup(String backup) {
    this.backup = backup;
  }

  public String getBackupName() {
    return backupName;
  }

  public void setBackupName(String backupName) {
    this.backupName = backupName;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public RestoreRequestState getState() {
    return state;
  }

  public void setState(RestoreRequestState state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getRequestedAt() {
    return requestedAt;
  }

  public void setRequestedAt(String requestedAt) {
    this.requestedAt = requestedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }
}
