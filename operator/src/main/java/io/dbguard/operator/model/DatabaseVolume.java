package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * {@code spec.database.volume}: where the database lives on a PersistentVolumeClaim, for either
 * engine: a SQLite database file, or (PostgreSQL with {@code backup.method: VolumeSnapshot}) the
 * data directory with its owner's uid/gid. Unset for a PostgreSQL reached only by URL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseVolume {

  @JsonPropertyDescription(
      "PersistentVolumeClaim holding the database file (SQLite; with ReadWriteOnce the Jobs are placed on the node where the claim is in use) or PostgreSQL's data directory.")
  @Required
  private String claimName;

  @JsonPropertyDescription(
      "Path relative to the claim root of the SQLite database file, e.g. data/app.db, or of PostgreSQL's data directory, e.g. pgdata (. for the claim root).")
  @Required
  @Pattern("^[^/].*$")
  private String path;

  @JsonPropertyDescription(
      "PostgreSQL: the uid that owns the data directory (999 in the Docker official postgres image). The Jobs that start a private server on the snapshot's copy run as it (PostgreSQL runs only as its data directory's owner). Required with backup.method VolumeSnapshot.")
  @io.fabric8.generator.annotation.Min(1)
  private Long runAsUser;

  @JsonPropertyDescription("PostgreSQL: the gid of the data directory's group; default runAsUser.")
  @io.fabric8.generator.annotation.Min(0)
  private Long runAsGroup;

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public Long getRunAsUser() {
    return runAsUser;
  }

  public void setRunAsUser(Long runAsUser) {
    this.runAsUser = runAsUser;
  }

  public Long getRunAsGroup() {
    return runAsGroup;
  }

  public void setRunAsGroup(Long runAsGroup) {
    this.runAsGroup = runAsGroup;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
