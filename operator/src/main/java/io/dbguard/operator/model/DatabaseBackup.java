package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One backup taken by dbguard (a dump file on the backup volume or a VolumeSnapshot). Created by
 * the operator when a backup step succeeds and deliberately <b>not</b> owned by the {@link
 * DatabaseMigration}: deleting or pruning a migration never deletes its backups; only retention
 * does (docs/design.md §4).
 *
 * <p>{@code spec} is the backup's identity (database, migration, revision, file or snapshot);
 * {@code status} is what the operator observed (state, size, SHA-256, verification, last check),
 * written with the status subresource. Read facts through {@link BackupFacts}, which also reads
 * records written by older versions (facts in {@code spec}).
 */
@Group(DatabaseMigration.GROUP)
@Version(DatabaseMigration.VERSION)
@Kind("DatabaseBackup")
@Plural("databasebackups")
@Singular("databasebackup")
@ShortNames({"dbbak"})
@Categories("dbguard")
@AdditionalPrinterColumn(
    name = "Database",
    jsonPath = ".spec.database",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Method",
    jsonPath = ".spec.method",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".status.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Size",
    jsonPath = ".status.sizeBytes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Verified",
    jsonPath = ".status.verified",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DatabaseBackup extends CustomResource<DatabaseBackupSpec, DatabaseBackupStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription(
      "What the backup is: database, method, location, size, checksum, verification and retention pin; written once by the operator.")
  public DatabaseBackupSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state of the backup, written by the operator.")
  public DatabaseBackupStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected DatabaseBackupStatus initStatus() {
    return null;
  }
}
