package io.dbguard.operator.act;

import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseBackupStatus;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.RetentionStatus;
import io.dbguard.operator.plan.RetentionOutcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;

/**
 * Carries out retention: records the plan in {@code status.retention} (before the prune Job
 * exists), and when the Job has finished writes each DatabaseBackup record's new state ({@link
 * RetentionOutcome}) and deletes old tombstones.
 */
public final class RetentionActions {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;

  public RetentionActions(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes {@code retention} into the migration's status (optimistic locking).
   *
   * @return the updated migration
   * @throws KubernetesClientException 409 when the migration changed since it was read (retried)
   */
  public DatabaseMigration record(DatabaseMigration m, RetentionStatus retention) {
    DatabaseMigrationStatus s =
        m.getStatus() == null ? new DatabaseMigrationStatus() : JSON.clone(m.getStatus());
    s.setRetention(retention);
    return new StatusRecorder(client).write(m, s);
  }

  /**
   * Writes each record's new state ({@link RetentionOutcome}) with {@code checkedAt} (and {@code
   * prunedAt} for Pruned) through the status subresource. A record deleted meanwhile is skipped.
   *
   * @param records the namespace's records by name
   * @param changes the new states by record name
   * @param now UTC ISO-8601 time of the observation
   * @return how many records got each state
   * @throws KubernetesClientException on API errors (the reconcile is retried; writes are
   *     idempotent)
   */
  public Map<BackupState, Integer> apply(
      Map<String, DatabaseBackup> records,
      Map<String, RetentionOutcome.Change> changes,
      String now) {
    Map<BackupState, Integer> counts = new java.util.EnumMap<>(BackupState.class);
    changes.forEach((name, c) -> write(records.get(name), c.state(), c.message(), now, counts));
    return counts;
  }

  /**
   * Deletes old {@code Pruned} records (tombstones), each only if it is still the version given (a
   * resourceVersion precondition: the copies may come from a cache). A record already gone is
   * success; one changed since (409) is left for a later retention.
   *
   * @throws KubernetesClientException on other API errors (retried)
   */
  public void forget(List<DatabaseBackup> tombstones) {
    for (DatabaseBackup b : tombstones) {
      try {
        client.resource(b).lockResourceVersion().delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
  }

  private void write(
      DatabaseBackup rec,
      BackupState state,
      String message,
      String now,
      Map<BackupState, Integer> counts) {
    if (rec == null) {
      return;
    }
    DatabaseBackup copy = JSON.clone(rec);
    DatabaseBackupStatus st =
        copy.getStatus() == null ? BackupRecords.legacyFacts(copy) : copy.getStatus();
    st.setState(state);
    st.setMessage(message);
    st.setCheckedAt(now);
    if (state == BackupState.Pruned && st.getPrunedAt() == null) {
      st.setPrunedAt(now);
    }
    copy.setStatus(st);
    try {
      client.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
    counts.merge(state, 1, Integer::sum);
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }
}
