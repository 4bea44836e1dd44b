package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.List;

/** Safety checks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SafetySpec {

  @JsonPropertyDescription(
      "Environment name; production (the default) refuses dangerous commands unless acknowledged.")
  @Default("production")
  private String environment;

  @JsonPropertyDescription("Lint mode for the analyze step.")
  @Default("Enforce")
  private LintMode lint;

  @JsonPropertyDescription(
      "Directory inside the migration image holding the pending migration files; the analyze step copies it and lints it. Without it there is no analyze step.")
  private String migrationsPath;

  @JsonPropertyDescription("Acknowledged findings (rule id + file) and dangerous commands.")
  private List<Acknowledgement> acknowledge;

  @JsonPropertyDescription(
      "Acknowledged data loss: table or table.column names the data check may find missing.")
  private List<String> acknowledgeDataLoss;

  public String getEnvironment() {
    return environment;
  }

  public void setEnvironment(String environment) {
    this.environment = environment;
  }

  public LintMode getLint() {
    return lint;
  }

  public void setLint(LintMode lint) {
    this.lint = lint;
  }

  public String getMigrationsPath() {
    return migrationsPath;
  }

  public void setMigrationsPath(String migrationsPath) {
    this.migrationsPath = migrationsPath;
  }

  public List<Acknowledgement> getAcknowledge() {
    return acknowledge;
  }

  public void setAcknowledge(List<Acknowledgement> acknowledge) {
    this.acknowledge = acknowledge;
  }

  public List<String> getAcknowledgeDataLoss() {
    return acknowledgeDataLoss;
  }

  public void setAcknowledgeDataLoss(List<String> acknowledgeDataLoss) {
    this.acknowledgeDataLoss = acknowledgeDataLoss;
  }
}
