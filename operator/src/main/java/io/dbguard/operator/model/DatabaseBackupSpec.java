package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Identity of one backup: which database, which migration attempt, which file or snapshot. Written
 * once by the operator. What the operator observes of the backup (size, SHA-256, verification,
 * state) is in {@link DatabaseBackupStatus}; the {@code sizeBytes}, {@code sha256}, {@code
 * verified} and {@code verifiedAt} fields here are deprecated: records written before status
 * carried them have them only here, and {@link BackupFacts} still reads them.
 */
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

  @JsonPropertyDescription("Sub-path of the backup volume the file is in (Dump), if any.")
  private String subPath;

  @JsonPropertyDescription(
      "File inside the backup volume (Dump). Records written before volumeSnapshotName existed"
          + " may hold a VolumeSnapshot name here.")
  private String file;

  @JsonPropertyDescription(
      "method VolumeSnapshot: name of the VolumeSnapshot (snapshot.storage.k8s.io/v1) in this"
          + " namespace.")
  private String volumeSnapshotName;

  @JsonPropertyDescription("Deprecated: read status.sizeBytes. Size in bytes (older records).")
  private Long sizeBytes;

  @JsonPropertyDescription("Deprecated: read status.sha256. Lowercase hex SHA-256 (older records).")
  private String sha256;

  @JsonPropertyDescription("Deprecated: read status.verified (older records).")
  private Boolean verified;

  @JsonPropertyDescription("Deprecated: read status.verifiedAt (older records).")
  private String verifiedAt;

  @JsonPropertyDescription("Pinned backups are never deleted by retention.")
  private Boolean pinned;

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

  public String getSubPath() {
    return subPath;
  }

  public void setSubPath(String subPath) {
    this.subPath = subPath;
  }

  public String getVolumeSnapshotName() {
    return volumeSnapshotName;
  }

  public void setVolumeSnapshotName(String volumeSnapshotName) {
    this.volumeSnapshotName = volumeSnapshotName;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  /**
   * @deprecated read {@link DatabaseBackupStatus} (through {@link BackupFacts}); kept for records
   *     written by older versions.
   */
  @Deprecated
  public Long getSizeBytes() {
    return sizeBytes;
  }

  /**
   * @deprecated write {@link DatabaseBackupStatus}; kept for records written by older versions.
   */
  @Deprecated
  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  /**
   * @deprecated read {@link DatabaseBackupStatus} (through {@link BackupFacts}); kept for records
   *     written by older versions.
   */
  @Deprecated
  public String getSha256() {
    return sha256;
  }

  /**
   * @deprecated write {@link DatabaseBackupStatus}; kept for records written by older versions.
   */
  @Deprecated
  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  /**
   * @deprecated read {@link DatabaseBackupStatus} (through {@link BackupFacts}); kept for records
   *     written by older versions.
   */
  @Deprecated
  public Boolean getVerified() {
    return verified;
  }

  /**
   * @deprecated write {@link DatabaseBackupStatus}; kept for records written by older versions.
   */
  @Deprecated
  public void setVerified(Boolean verified) {
    this.verified = verified;
  }

  /**
   * @deprecated read {@link DatabaseBackupStatus} (through {@link BackupFacts}); kept for records
   *     written by older versions.
   */
  @Deprecated
  public String getVerifiedAt() {
    return verifiedAt;
  }

  /**
   * @deprecated write {@link DatabaseBackupStatus}; kept for records written by older versions.
   */
  @Deprecated
  public void setVerifiedAt(String verifiedAt) {
    this.verifiedAt = verifiedAt;
  }

  public Boolean getPinned() {
    return pinned;
  }

  public void setPinned(Boolean pinned) {
    this.pinned = pinned;
  }
}
