package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A verified backup as recorded in status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatusRef {

  @JsonPropertyDescription("Backup name (without extension).")
  private String name;

  @JsonPropertyDescription("File inside the backup volume, or VolumeSnapshot name.")
  private String file;

  @JsonPropertyDescription("Size in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("Lowercase hex SHA-256 of the file.")
  private String sha256;

  @JsonPropertyDescription("UTC time verification passed.")
  private String verifiedAt;

  @JsonPropertyDescription("Name of the DatabaseBackup resource recording it.")
  private String databaseBackup;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
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

  public String getVerifiedAt() {
    return verifiedAt;
  }

  public void setVerifiedAt(String verifiedAt) {
    this.verifiedAt = verifiedAt;
  }

  public String getDatabaseBackup() {
    return databaseBackup;
  }

  public void setDatabaseBackup(String databaseBackup) {
    this.databaseBackup = databaseBackup;
  }
}
