package io.dbguard.operator.observe;

import io.dbguard.operator.model.BackupFacts;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseBackupSpec;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.BackupRecord;
import io.dbguard.operator.plan.MigrationPlanner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads what retention plans over: the namespace's {@link DatabaseBackup} records and which of them
 * a migration still needs. Reads only; never writes.
 */
public final class BackupRecordObserver {
  private final KubernetesClient client;

  public BackupRecordObserver(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Every DatabaseBackup record in {@code namespace} (of any database: the planner, not a label
   * selector, decides which are this database's).
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public List<DatabaseBackup> list(String namespace) {
    return client.resources(DatabaseBackup.class).inNamespace(namespace).list().getItems();
  }

  /** The planner's view of {@code b}: identity from spec, facts through {@link BackupFacts}. */
  public static BackupRecord toRecord(DatabaseBackup b) {
    DatabaseBackupSpec s = b.getSpec() == null ? new DatabaseBackupSpec() : b.getSpec();
    BackupFacts f = BackupFacts.of(b);
    Instant taken = parse(f.verifiedAt());
    if (taken == null) {
      taken = parse(b.getMetadata().getCreationTimestamp());
    }
    return new BackupRecord(
        b.getMetadata().getName(),
        s.getDatabase(),
        s.getClaimName(),
        s.getSubPath(),
        s.getFile(),
        s.getMethod(),
        f.state(),
        f.verified(),
        Boolean.TRUE.equals(s.getPinned()),
        taken);
  }

  /**
   * Names of the DatabaseBackup records that migrations on {@code database} still need: those of
   * migrations in progress or restoring ({@link MigrationPlanner#RUNNING}) and of {@code Failed}
   * ones (a person may restore from it by hand).
   */
  public static Set<String> inUse(String database, List<DatabaseMigration> sameNamespace) {
    return sameNamespace.stream()
        .filter(o -> o.getSpec() != null && o.getSpec().getDatabase() != null)
        .filter(o -> database.equals(o.getSpec().getDatabase().getName()))
        .filter(o -> o.getStatus() != null && o.getStatus().getPhase() != null)
        .filter(
            o ->
                MigrationPlanner.RUNNING.contains(o.getStatus().getPhase())
                    || o.getStatus().getPhase() == Phase.Failed)
        .map(o -> o.getStatus().getBackup())
        .filter(Objects::nonNull)
        .map(b -> b.getDatabaseBackup())
        .filter(Objects::nonNull)
        .collect(Collectors.toUnmodifiableSet());
  }

  private static Instant parse(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
