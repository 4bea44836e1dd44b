package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One backup in a retention plan: its DatabaseBackup record and its file on the backup volume, or
 * its VolumeSnapshot.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionItem {

  @JsonPropertyDescription("Name of the DatabaseBackup record.")
  private String databaseBackup;

  @JsonPropertyDescription("File inside the backup volume, as the prune Job is given it.")
  private String file;

  @JsonPropertyDescription("VolumeSnapshot to delete (backup method VolumeSnapshot).")
  private String volumeSnapshot;

  @JsonPropertyDescription(
      "VolumeSnapshotContent bound to that VolumeSnapshot with deletionPolicy Retain: deleting the"
          + " VolumeSnapshot leaves this content and the data on the storage system; it is"
          + " reported, not deleted.")
  private String retainedContent;

  public RetentionItem() {}

  public RetentionItem(String databaseBackup, String file) {
    this.databaseBackup = databaseBackup;
    this.file = file;
  }

  public String getDatabaseBackup() {
    return databaseBackup;
  }

  public void setDatabaseBackup(String databaseBackup) {
    this.databaseBackup = databaseBackup;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public String getVolumeSnapshot() {
    return volumeSnapshot;
  }

  public void setVolumeSnapshot(String volumeSnapshot) {
    this.volumeSnapshot = volumeSnapshot;
  }

  public String getRetainedContent() {
    return retainedContent;
  }

  public void setRetainedContent(String retainedContent) {
    this.retainedContent = retainedContent;
  }
}
