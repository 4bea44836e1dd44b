package io.dbguard.operator.act;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseBackupSpec;
import io.dbguard.operator.model.DatabaseBackupStatus;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Creates the {@link DatabaseBackup} record of a verified backup: its identity in {@code spec},
 * then the backup step's facts in {@code status} ({@code state: Ready}, size, SHA-256, verified)
 * with the status subresource. The record has <b>no</b> owner reference: deleting the
 * DatabaseMigration never deletes backups. Marks a record {@code Missing} when a restore Job found
 * its dump or manifest gone ({@link #goneAfterRestore}, {@link #markMissing}).
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
   * Creates the record if absent (AlreadyExists counts as success), and writes its status when it
   * has none yet (a record created by a reconcile that stopped before writing its status).
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
      s.setSubPath(spec.getBackup().getStorage().getSubPath());
    }
    s.setFile(b.getFile());
    if (status.getSnapshot() != null && b.getName().equals(status.getSnapshot().getName())) {
      s.setVolumeSnapshotName(status.getSnapshot().getName());
    }
    s.setPinned(false);
    rec.setSpec(s);
    DatabaseBackup current;
    try {
      current = client.resource(rec).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      current = client.resource(rec).get();
    }
    if (current != null && current.getStatus() == null) {
      current.setStatus(facts(b));
      client.resource(current).updateStatus();
    }
  }

  /**
   * Reasons of a restore Job's result that mean its dump file or manifest is gone from the backup
   * volume ({@code dbguard restore --backup-dir … --backup NAME}).
   */
  static final Set<String> GONE_REASONS = Set.of("BackupNotFound", "ManifestUnreadable");

  /**
   * A record a failed restore Job found gone, and what the Job said.
   *
   * @param record the DatabaseBackup name
   * @param message why, e.g. {@code restore Job shop-restore-1a2b3c4d: backup file … is missing}
   */
  public record Gone(String record, String message) {}

  /**
   * The record whose dump a failed restore Job of {@code st} found gone: the attempt's restore Job
   * ({@code <migration>-restore-<revision8>}, record {@code status.backup.databaseBackup}) or the
   * requested restore's Job ({@code status.restoreRequest.job}, record {@code
   * status.restoreRequest.backup}) when it failed with a result reason in {@link #GONE_REASONS}.
   *
   * @param migration the DatabaseMigration's name
   * @param jobs the observed Job of a name, if any
   * @return the record to mark {@code Missing}, or null
   */
  public static Gone goneAfterRestore(
      String migration,
      DatabaseMigrationStatus st,
      Function<String, Optional<JobObservation>> jobs) {
    if (st == null) {
      return null;
    }
    if (st.getRestoreRequest() != null
        && st.getRestoreRequest().getJob() != null
        && st.getRestoreRequest().getBackup() != null) {
      Gone g =
          gone(jobs.apply(st.getRestoreRequest().getJob()), st.getRestoreRequest().getBackup());
      if (g != null) {
        return g;
      }
    }
    if (st.getRevision() == null
        || st.getBackup() == null
        || st.getBackup().getDatabaseBackup() == null) {
      return null;
    }
    return gone(
        jobs.apply(JobNames.of(migration, Step.RESTORE, st.getRevision())),
        st.getBackup().getDatabaseBackup());
  }

  private static Gone gone(Optional<JobObservation> job, String record) {
    return job.filter(j -> j.state() == JobObservation.State.FAILED)
        .filter(j -> j.result() != null && GONE_REASONS.contains(j.result().reason()))
        .map(j -> new Gone(record, "restore Job " + j.name() + ": " + j.result().message()))
        .orElse(null);
  }

  /**
   * Marks the record {@code Missing} with {@code checkedAt} and the Job's message; a record that is
   * already {@code Missing} or {@code Pruned}, or deleted, is left alone. The next prune Job that
   * checks it (a {@code Missing} record with a file is checked with the kept ones) makes it {@code
   * Ready} again when the file and manifest are back.
   *
   * @param now UTC time of the observation
   * @throws KubernetesClientException on API errors other than not found (retried)
   */
  public void markMissing(String namespace, Gone g, Instant now) {
    DatabaseBackup rec =
        client.resources(DatabaseBackup.class).inNamespace(namespace).withName(g.record()).get();
    if (rec == null) {
      return;
    }
    DatabaseBackupStatus st = rec.getStatus() == null ? legacyFacts(rec) : rec.getStatus();
    if (st.getState() == BackupState.Missing || st.getState() == BackupState.Pruned) {
      return;
    }
    st.setState(BackupState.Missing);
    st.setMessage(g.message());
    st.setCheckedAt(now.toString());
    rec.setStatus(st);
    try {
      client.resource(rec).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * The status of a record written by an older version (facts in the deprecated spec fields, no
   * status): its facts moved to status ({@link io.dbguard.operator.model.BackupFacts}).
   */
  static DatabaseBackupStatus legacyFacts(DatabaseBackup rec) {
    io.dbguard.operator.model.BackupFacts f = io.dbguard.operator.model.BackupFacts.of(rec);
    DatabaseBackupStatus st = new DatabaseBackupStatus();
    st.setState(f.state());
    st.setSizeBytes(f.sizeBytes());
    st.setSha256(f.sha256());
    st.setVerified(f.verified());
    st.setVerifiedAt(f.verifiedAt());
    return st;
  }

  /** The status of a new record: Ready, with the backup step's facts. */
  static DatabaseBackupStatus facts(BackupStatusRef b) {
    DatabaseBackupStatus st = new DatabaseBackupStatus();
    st.setState(BackupState.Ready);
    st.setSizeBytes(b.getSizeBytes());
    st.setSha256(b.getSha256());
    st.setVerified(b.getVerifiedAt() != null);
    st.setVerifiedAt(b.getVerifiedAt());
    return st;
  }
}
