package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A SQLite database file on a PersistentVolumeClaim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SqliteVolume {

  @JsonPropertyDescription(
      "PersistentVolumeClaim holding the database file. With ReadWriteOnce the Jobs are placed on the node where the claim is in use.")
  @Required
  private String claimName;

  @JsonPropertyDescription(
      "Path of the database file relative to the claim root, e.g. data/app.db.")
  @Required
  @Pattern("^[^/].*$")
  private String path;

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
