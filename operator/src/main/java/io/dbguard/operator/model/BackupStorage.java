package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Backup volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStorage {

  @JsonPropertyDescription("PersistentVolumeClaim that holds the backups.")
  @Required
  private String claimName;

  @JsonPropertyDescription("Directory inside the claim; defaults to the claim root.")
  private String subPath;

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
}
