package io.dbguard.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One database migration, run safely: validate, analyze, verified backup, migrate, verify data,
 * seed; restore automatically on failure (docs/design.md §3–§4). {@code kubectl get dbmig} shows
 * phase, image, backup, reason and age.
 */
@Group(DatabaseMigration.GROUP)
@Version(DatabaseMigration.VERSION)
@Kind("DatabaseMigration")
@Plural("databasemigrations")
@Singular("databasemigration")
@ShortNames({"dbmig", "dbm"})
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
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

  @Override
  protected DatabaseMigrationStatus initStatus() {
    return null;
  }
}
