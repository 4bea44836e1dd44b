package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Facts of one backup (written once by the operator). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseBackupSpec {

  @JsonPropertyDescription("Logical database name (spec.database.name of the migration).")
  @Required
  private String database;

  @JsonPropertyDescription("Engine of the database.")
  private Engine engine;

  @JsonPropertyDescription("Dump or VolumeSnapshot.")
  private BackupMethod method;

  @JsonPropertyDescription("DatabaseMigration that took it (not an owner reference).")
  private String migration;

  @JsonPropertyDescription("Revision of the attempt it protects.")
  private String revision;

  @JsonPropertyDescription("Image of the attempt it protects.")
  private String image;

  @JsonPropertyDescription("Backup volume claim (Dump).")
  private String claimName;

  @JsonPropertyDescription("File inside the backup volume, or VolumeSnapshot name.")
  private String file;

  @JsonPropertyDescription("Size in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("Lowercase hex SHA-256 of the file.")
  private String sha256;

  @JsonPropertyDescription("Whether verification passed.")
  private Boolean verified;

  @JsonPropertyDescription("UTC time verification passed.")
  private String verifiedAt;

  @JsonPropertyDescription("Pinned backups are never deleted by retention.")
  private Boolean pinned;

  @JsonPropertyDescription(
      "method VolumeSnapshot: name of the VolumeSnapshot (snapshot.storage.k8s.io/v1) in this namespace.")
  private String volumeSnapshotName;

  public String getDatabase() {
    return database;
  }

  public void setDatabase(String database) {
    this.database = database;
  }

  public Engine getEngine() {
    return engine;
  }

  public void setEngine(Engine engine) {
    this.engine = engine;
  }

  public BackupMethod getMethod() {
    return method;
  }

  public void setMethod(BackupMethod method) {
    this.method = method;
  }

  public String getMigration() {
    return migration;
  }

  public void setMigration(String migration) {
    this.migration = migration;
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

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
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

  public Boolean getPinned() {
    return pinned;
  }

  public void setPinned(Boolean pinned) {
    this.pinned = pinned;
  }

  public String getVolumeSnapshotName() {
    return volumeSnapshotName;
  }

  public void setVolumeSnapshotName(String volumeSnapshotName) {
    this.volumeSnapshotName = volumeSnapshotName;
  }
}
