package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Retention state of a backup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseBackupStatus {

  @JsonPropertyDescription("Available or Deleted.")
  private String state;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }
}
