package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One backup in a retention plan: its DatabaseBackup record and its file on the backup volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionItem {

  @JsonPropertyDescription("Name of the DatabaseBackup record.")
  private String databaseBackup;

  @JsonPropertyDescription("File inside the backup volume, as the prune Job is given it.")
  private String file;

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
}
