package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The target database. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {

  @JsonPropertyDescription(
      "Logical database name; one run at a time per namespace + name; used in backup names and the dbguard.io/database label.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9_]{0,61}[a-z0-9])?$")
  private String name;

  @JsonPropertyDescription("Database engine: PostgreSQL or SQLite.")
  @Required
  private Engine engine;

  @JsonPropertyDescription(
      "PostgreSQL: Secret key holding the connection URL (postgresql://user:password@host:port/db). Passed to Jobs only as the DATABASE_URL environment variable from this Secret.")
  private SecretKeyRef urlSecretRef;

  @JsonPropertyDescription(
      "SQLite: the PersistentVolumeClaim and file path of the database. PostgreSQL with backup.method VolumeSnapshot: the claim holding the server's data directory (with its WAL) and the data directory's path on it.")
  private DatabaseVolume volume;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Engine getEngine() {
    return engine;
  }

  public void setEngine(Engine engine) {
    this.engine = engine;
  }

  public SecretKeyRef getUrlSecretRef() {
    return urlSecretRef;
  }

  public void setUrlSecretRef(SecretKeyRef urlSecretRef) {
    this.urlSecretRef = urlSecretRef;
  }

  public DatabaseVolume getVolume() {
    return volume;
  }

  public void setVolume(DatabaseVolume volume) {
    this.volume = volume;
  }
}
