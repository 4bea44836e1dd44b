package io.dbguard.operator.act;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseBackupSpec;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Locale;
import java.util.Map;

/**
 * Creates the {@link DatabaseBackup} record of a verified backup. The record has <b>no</b> owner
 * reference: deleting the DatabaseMigration never deletes backups.
 */
public final class BackupRecords {
  private final KubernetesClient client;

  public BackupRecords(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The DatabaseBackup name for a backup name: lowercase, {@code _} → {@code -}, at most 253
   * characters (e.g. {@code shop_production_20260101_120000} → {@code
   * shop-production-20260101-120000}).
   */
  public static String resourceName(String backupName) {
    String n = backupName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return n.length() > 253 ? n.substring(0, 253) : n;
  }

  /**
   * Creates the record if absent (AlreadyExists counts as success).
   *
   * @throws KubernetesClientException for other API errors (retried by the reconcile loop)
   */
  public void ensure(DatabaseMigration m, DatabaseMigrationStatus status) {
    BackupStatusRef b = status.getBackup();
    if (b == null || b.getDatabaseBackup() == null) {
      return;
    }
    DatabaseMigrationSpec spec = m.getSpec();
    DatabaseBackup rec = new DatabaseBackup();
    rec.setMetadata(
        new ObjectMetaBuilder()
            .withName(b.getDatabaseBackup())
            .withNamespace(m.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    Labels.MANAGED_BY,
                    Labels.MANAGED_BY_VALUE,
                    Labels.DATABASE,
                    spec.getDatabase().getName()))
            .build());
    DatabaseBackupSpec s = new DatabaseBackupSpec();
    s.setDatabase(spec.getDatabase().getName());
    s.setEngine(spec.getDatabase().getEngine());
    s.setMethod(
        spec.getBackup() == null || spec.getBackup().getMethod() == null
            ? BackupMethod.Dump
            : spec.getBackup().getMethod());
    s.setMigration(m.getMetadata().getName());
    s.setRevision(status.getRevision());
    s.setImage(status.getImage());
    if (spec.getBackup() != null && spec.getBackup().getStorage() != null) {
      s.setClaimName(spec.getBackup().getStorage().getClaimName());
    }
    s.setFile(b.getFile());
    if (status.getSnapshot() != null && b.getName().equals(status.getSnapshot().getName())) {
      s.setVolumeSnapshotName(status.getSnapshot().getName());
    }
    s.setSizeBytes(b.getSizeBytes());
    s.setSha256(b.getSha256());
    s.setVerified(b.getVerifiedAt() != null);
    s.setVerifiedAt(b.getVerifiedAt());
    s.setPinned(false);
    rec.setSpec(s);
    try {
      client.resource(rec).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }
}
