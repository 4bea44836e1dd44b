package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The VolumeSnapshot backup of one attempt ({@code status.snapshot}, {@code backup.method:
 * VolumeSnapshot}). The name is recorded before the VolumeSnapshot is created (write-ahead), so an
 * operator restart never creates a second one; the other fields are copied from the
 * VolumeSnapshot's status ({@code snapshot.storage.k8s.io/v1}) as they are observed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotStatus {

  @JsonPropertyDescription("Name of the VolumeSnapshot (same namespace).")
  private String name;

  @JsonPropertyDescription("Revision of the attempt the snapshot protects.")
  private String revision;

  @JsonPropertyDescription("The PersistentVolumeClaim snapshotted (database.volume.claimName).")
  private String sourceClaim;

  @JsonPropertyDescription("VolumeSnapshotClass used (backup.volumeSnapshotClassName).")
  private String volumeSnapshotClassName;

  @JsonPropertyDescription("Requested, Taken, Ready or Failed.")
  private SnapshotState state;

  @JsonPropertyDescription("status.boundVolumeSnapshotContentName of the VolumeSnapshot.")
  private String boundVolumeSnapshotContentName;

  @JsonPropertyDescription(
      "status.creationTime of the VolumeSnapshot (RFC 3339, UTC): when the point in time was cut.")
  private String creationTime;

  @JsonPropertyDescription(
      "status.restoreSize of the VolumeSnapshot (a quantity, e.g. 1Gi): the smallest claim that can be provisioned from it.")
  private String restoreSize;

  @JsonPropertyDescription("status.error.message of the VolumeSnapshot, when it reported one.")
  private String error;

  @JsonPropertyDescription(
      "Temporary PersistentVolumeClaim provisioned from the snapshot (dataSource) for the data check and the restore; recorded before it is created, deleted when the attempt ends.")
  private String copyClaim;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getSourceClaim() {
    return sourceClaim;
  }

  public void setSourceClaim(String sourceClaim) {
    this.sourceClaim = sourceClaim;
  }

  public String getVolumeSnapshotClassName() {
    return volumeSnapshotClassName;
  }

  public void setVolumeSnapshotClassName(String volumeSnapshotClassName) {
    this.volumeSnapshotClassName = volumeSnapshotClassName;
  }

  public SnapshotState getState() {
    return state;
  }

  public void setState(SnapshotState state) {
    this.state = state;
  }

  public String getBoundVolumeSnapshotContentName() {
    return boundVolumeSnapshotContentName;
  }

  public void setBoundVolumeSnapshotContentName(String boundVolumeSnapshotContentName) {
    this.boundVolumeSnapshotContentName = boundVolumeSnapshotContentName;
  }

  public String getCreationTime() {
    return creationTime;
  }

  public void setCreationTime(String creationTime) {
    this.creationTime = creationTime;
  }

  public String getRestoreSize() {
    return restoreSize;
  }

  public void setRestoreSize(String restoreSize) {
    this.restoreSize = restoreSize;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }

  public String getCopyClaim() {
    return copyClaim;
  }

  public void setCopyClaim(String copyClaim) {
    this.copyClaim = copyClaim;
  }
}
