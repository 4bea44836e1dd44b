package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The pre-migration backup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSpec {

  @JsonPropertyDescription(
      "Dump (default) or VolumeSnapshot. VolumeSnapshot: a snapshot.storage.k8s.io/v1 VolumeSnapshot of database.volume.claimName, taken behind the ScaleToZero write fence. For SQLite on a claim, and for a single-instance PostgreSQL whose data directory with its WAL is on database.volume.claimName (database.volume.path the data directory, database.volume.runAsUser its owner's uid; the tool image needs the PostgreSQL server binaries of its major version). PostgreSQL without database.volume or without backup.verify true, writeFence None or no rollout.workloads are refused as InvalidSpec; a copy whose WAL or tablespaces are on other volumes is refused by the SnapshotCheck Job before the migration runs (SnapshotUnusable).")
  @Default("Dump")
  private BackupMethod method;

  @JsonPropertyDescription("Where dump files and manifests are written (method Dump; required).")
  private BackupStorage storage;

  @JsonPropertyDescription(
      "VolumeSnapshotClass for the VolumeSnapshot method; unset: the cluster's default class.")
  private String volumeSnapshotClassName;

  @JsonPropertyDescription(
      "VolumeSnapshot only: before migrating, provision a claim from the ready snapshot and run dbguard verify --copy on it (SQLite: PRAGMA integrity_check; PostgreSQL: a private server must start on the copy and finish crash recovery; then the copy's tables, row and non-null counts, schema and migration history must equal the fenced live database's); the migration runs only when it passes. Defaults to false; required (true) for PostgreSQL.")
  private Boolean verify;

  @JsonPropertyDescription("Which backups are kept.")
  private RetentionSpec retention;

  @JsonPropertyDescription(
      "PostgreSQL dumps only: gzip level passed to pg_dump --compress, 0 (none: fastest, largest file) to 9 (smallest, slowest). Unset means 1. See docs/benchmarks-postgres.md for measured times and sizes.")
  @Min(0)
  @Max(9)
  private Integer compressionLevel;

  @JsonPropertyDescription(
      "Failed (pre-restore) copies of the database kept after a verified restore: the restore step keeps the state it replaced as a copy (SQLite <db>.failed-<stamp> file, PostgreSQL <db>_failed_<stamp> database) and deletes this database's copies beyond the newest keepFailedCopies (dbguard restore --keep-failed-copies). At least 1; defaults to 3. Editing it does not start an attempt; it applies to the next restore.")
  @Min(1)
  @Default("3")
  private Integer keepFailedCopies;

  @JsonPropertyDescription(
      "Record a checksum of every column's values with the backup (dbguard backup --content-checksum; with VolumeSnapshot, of the snapshot copy and the live database in the verify step), so that the data-loss check after the migration also finds values overwritten in place and rows replaced by as many others (finding VALUES_CHANGED). A column the migration means to rewrite must then be listed in safety.acknowledgeDataLoss. Costs several times the count scan (docs/benchmarks.md). Editing it does not start an attempt. Defaults to false.")
  @Default("false")
  private Boolean contentChecksum;

  @JsonPropertyDescription(
      "When false, a backup that cannot be taken or verified is reported and the migration runs anyway. Defaults to true.")
  @Default("true")
  private Boolean required;

  public Boolean getContentChecksum() {
    return contentChecksum;
  }

  public void setContentChecksum(Boolean contentChecksum) {
    this.contentChecksum = contentChecksum;
  }

  public Integer getKeepFailedCopies() {
    return keepFailedCopies;
  }

  public void setKeepFailedCopies(Integer keepFailedCopies) {
    this.keepFailedCopies = keepFailedCopies;
  }

  public BackupMethod getMethod() {
    return method;
  }

  public void setMethod(BackupMethod method) {
    this.method = method;
  }

  public BackupStorage getStorage() {
    return storage;
  }

  public void setStorage(BackupStorage storage) {
    this.storage = storage;
  }

  public String getVolumeSnapshotClassName() {
    return volumeSnapshotClassName;
  }

  public void setVolumeSnapshotClassName(String volumeSnapshotClassName) {
    this.volumeSnapshotClassName = volumeSnapshotClassName;
  }

  public RetentionSpec getRetention() {
    return retention;
  }

  public void setRetention(RetentionSpec retention) {
    this.retention = retention;
  }

  public Integer getCompressionLevel() {
    return compressionLevel;
  }

  public void setCompressionLevel(Integer compressionLevel) {
    this.compressionLevel = compressionLevel;
  }

  public Boolean getRequired() {
    return required;
  }

  public void setRequired(Boolean required) {
    this.required = required;
  }

  public Boolean getVerify() {
    return verify;
  }

  public void setVerify(Boolean verify) {
    this.verify = verify;
  }
}
