package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Backup retention. The newest verified and pinned backups are never deleted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionSpec {

  @JsonPropertyDescription("Keep the last N verified backups.")
  @Min(1)
  @Default("10")
  private Integer keepLast;

  @JsonPropertyDescription("Also keep backups younger than this many days.")
  @Min(1)
  private Integer maxAgeDays;

  public Integer getKeepLast() {
    return keepLast;
  }

  public void setKeepLast(Integer keepLast) {
    this.keepLast = keepLast;
  }

  public Integer getMaxAgeDays() {
    return maxAgeDays;
  }

  public void setMaxAgeDays(Integer maxAgeDays) {
    this.maxAgeDays = maxAgeDays;
  }
}
