package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Counts of analysis findings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FindingsSummary {

  @JsonPropertyDescription("Refuse findings not acknowledged.")
  private Integer refuse;

  @JsonPropertyDescription("Warn findings.")
  private Integer warn;

  @JsonPropertyDescription("Acknowledged findings.")
  private Integer acknowledged;

  @JsonPropertyDescription("Short text of the first findings.")
  private String summary;

  public Integer getRefuse() {
    return refuse;
  }

  public void setRefuse(Integer refuse) {
    this.refuse = refuse;
  }

  public Integer getWarn() {
    return warn;
  }

  public void setWarn(Integer warn) {
    this.warn = warn;
  }

  public Integer getAcknowledged() {
    return acknowledged;
  }

  public void setAcknowledged(Integer acknowledged) {
    this.acknowledged = acknowledged;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }
}
