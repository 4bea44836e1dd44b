/**
 * The {@code dbguard.io/v1alpha1} custom resources: {@link
 * io.dbguard.operator.model.DatabaseMigration} and {@link
 * io.dbguard.operator.model.DatabaseBackup}, their spec and status classes. The CRD YAML in {@code
 * crds/} is generated from these classes at build time; every field carries a description that ends
 * up in {@code kubectl explain}.
 */
package io.dbguard.operator.model;
