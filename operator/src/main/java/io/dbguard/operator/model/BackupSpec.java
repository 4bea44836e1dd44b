package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The pre-migration backup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSpec {

  @JsonPropertyDescription("Dump (default) or VolumeSnapshot.")
  @Default("Dump")
  private BackupMethod method;

  @JsonPropertyDescription("Where dump files and manifests are written.")
  private BackupStorage storage;

  @JsonPropertyDescription("VolumeSnapshotClass for the VolumeSnapshot method.")
  private String volumeSnapshotClassName;

  @JsonPropertyDescription("Which backups are kept.")
  private RetentionSpec retention;

  @JsonPropertyDescription(
      "When false, a backup that cannot be taken or verified is reported and the migration runs anyway. Defaults to true.")
  @Default("true")
  private Boolean required;

  public BackupMethod getMethod() {
    return method;
  }

  public void setMethod(BackupMethod method) {
    this.method = method;
  }

  public BackupStorage getStorage() {
    return storage;
  }

  public void setStorage(BackupStorage storage) {
    this.storage = storage;
  }

  public String getVolumeSnapshotClassName() {
    return volumeSnapshotClassName;
  }

  public void setVolumeSnapshotClassName(String volumeSnapshotClassName) {
    this.volumeSnapshotClassName = volumeSnapshotClassName;
  }

  public RetentionSpec getRetention() {
    return retention;
  }

  public void setRetention(RetentionSpec retention) {
    this.retention = retention;
  }

  public Boolean getRequired() {
    return required;
  }

  public void setRequired(Boolean required) {
    this.required = required;
  }
}
