package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One acknowledged lint finding or dangerous command. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Acknowledgement {

  @JsonPropertyDescription("Rule id, e.g. drop-column.")
  private String rule;

  @JsonPropertyDescription("File the finding is in (relative to migrationsPath).")
  private String file;

  @JsonPropertyDescription(
      "An exact dangerous command (joined argv) that may run in this environment.")
  private String command;

  @JsonPropertyDescription("Why this is acceptable (shown in status and Events).")
  private String reason;

  public String getRule() {
    return rule;
  }

  public void setRule(String rule) {
    this.rule = rule;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public String getCommand() {
    return command;
  }

  public void setCommand(String command) {
    this.command = command;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
