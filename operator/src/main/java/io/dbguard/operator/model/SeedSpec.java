package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.List;

/** The seed step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SeedSpec {

  @JsonPropertyDescription("Seed command (argv), run in the migration image after the data check.")
  private List<String> command;

  @JsonPropertyDescription("Seed files (paths in the application image) analysed for idempotence.")
  private List<String> files;

  @JsonPropertyDescription("When the seed runs.")
  @Default("IfIdempotent")
  private SeedPolicy policy;

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getFiles() {
    return files;
  }

  public void setFiles(List<String> files) {
    this.files = files;
  }

  public SeedPolicy getPolicy() {
    return policy;
  }

  public void setPolicy(SeedPolicy policy) {
    this.policy = policy;
  }
}
