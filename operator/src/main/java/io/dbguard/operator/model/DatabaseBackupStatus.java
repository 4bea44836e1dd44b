package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the operator observed of one backup, written with the status subresource: the backup step's
 * result when the record is created, then retention's checks and pruning. Times are UTC ISO-8601.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseBackupStatus {

  @JsonPropertyDescription(
      "Ready (verified, present when last checked), Pruned (deleted by retention), Missing (file,"
          + " manifest or VolumeSnapshot not found when checked) or Failed (present but not"
          + " usable, or the VolumeSnapshot reports an error).")
  private BackupState state;

  @JsonPropertyDescription(
      "Why the state is what it is (Missing, Failed, Pruned); for a pruned VolumeSnapshot whose"
          + " content has deletionPolicy Retain, the content still holding the data and how to"
          + " free it.")
  private String message;

  @JsonPropertyDescription("Size of the dump file in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("Lowercase hex SHA-256 of the dump file.")
  private String sha256;

  @JsonPropertyDescription("Whether the backup step verified the backup.")
  private Boolean verified;

  @JsonPropertyDescription("UTC time verification passed.")
  private String verifiedAt;

  @JsonPropertyDescription("UTC time the file was last found present (or found missing).")
  private String checkedAt;

  @JsonPropertyDescription("UTC time retention deleted the backup.")
  private String prunedAt;

  @JsonPropertyDescription(
      "Minimum size of a volume restored from the snapshot, as a quantity (VolumeSnapshot).")
  private String restoreSize;

  @JsonPropertyDescription("VolumeSnapshotContent bound to the snapshot (VolumeSnapshot).")
  private String boundVolumeSnapshotContentName;

  public BackupState getState() {
    return state;
  }

  public void setState(BackupState state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public Boolean getVerified() {
    return verified;
  }

  public void setVerified(Boolean verified) {
    this.verified = verified;
  }

  public String getVerifiedAt() {
    return verifiedAt;
  }

  public void setVerifiedAt(String verifiedAt) {
    this.verifiedAt = verifiedAt;
  }

  public String getCheckedAt() {
    return checkedAt;
  }

  public void setCheckedAt(String checkedAt) {
    this.checkedAt = checkedAt;
  }

  public String getPrunedAt() {
    return prunedAt;
  }

  public void setPrunedAt(String prunedAt) {
    this.prunedAt = prunedAt;
  }

  public String getRestoreSize() {
    return restoreSize;
  }

  public void setRestoreSize(String restoreSize) {
    this.restoreSize = restoreSize;
  }

  public String getBoundVolumeSnapshotContentName() {
    return boundVolumeSnapshotContentName;
  }

  public void setBoundVolumeSnapshotContentName(String boundVolumeSnapshotContentName) {
    this.boundVolumeSnapshotContentName = boundVolumeSnapshotContentName;
  }
}
