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
 * One database migration, run safely: validate, analyze, verified backup, migrate, verify data,
 * seed; restore automatically on failure (docs/design.md §3–§4). {@code kubectl get dbmig} shows
 * Phase, Ready, Image, Backup, Reason and Age in that order (the order of the annotations below,
 * kept by {@link CrdYamlGenerator}); {@code kubectl get dbguard} lists it with the backups.
 */
@Group(DatabaseMigration.GROUP)
@Version(DatabaseMigration.VERSION)
@Kind("DatabaseMigration")
@Plural("databasemigrations")
@Singular("databasemigration")
@ShortNames({"dbmig", "dbm"})
@Categories("dbguard")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Image",
    jsonPath = ".status.image",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Backup",
    jsonPath = ".status.backup.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DatabaseMigration
    extends CustomResource<DatabaseMigrationSpec, DatabaseMigrationStatus> implements Namespaced {

  /** API group of every dbguard resource. */
  public static final String GROUP = "dbguard.io";

  /** API version of every dbguard resource. */
  public static final String VERSION = "v1alpha1";

  /**
   * Annotation whose new value starts a new attempt after RolledBack, Failed, Blocked or Rejected.
   */
  public static final String RETRY_ANNOTATION = "dbguard.io/retry";

  /**
   * Annotation that approves the plan of an attempt waiting in phase AwaitingApproval; only a value
   * equal to {@code status.revision} approves, any other value is ignored.
   */
  public static final String APPROVE_ANNOTATION = "dbguard.io/approve";

  /**
   * Annotation that requests a restore of a verified backup of this database: {@code
   * <DatabaseBackup>@<status.revision>}; each new value is one request (kubectl dbguard restore).
   */
  public static final String RESTORE_ANNOTATION = "dbguard.io/restore";

  @Override
  @JsonPropertyDescription(
      "What to migrate and how: the database, the migration command or SQL directory, backup, safety checks, rollout gate and failure policy.")
  public DatabaseMigrationSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state, written by the operator: phase, conditions, current step, backup, attempts and findings.")
  public DatabaseMigrationStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected DatabaseMigrationStatus initStatus() {
    return null;
  }
}
