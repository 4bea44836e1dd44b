package io.dbguard.operator.act;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseBackupStatus;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.RetentionItem;
import io.dbguard.operator.model.RetentionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.HttpURLConnection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Carries out retention: records the plan in {@code status.retention} (before the prune Job
 * exists), and when the Job has finished writes each DatabaseBackup record's new state from the
 * Job's result ({@code details.deletedNames}, {@code absent}, {@code missing}, {@code damaged} of
 * {@code dbguard backups prune --delete/--expect}, see docs/cli.md) and deletes old tombstones.
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
   * Writes the outcome of a succeeded prune Job into the records: a pruned backup (deleted, or
   * already absent) becomes {@code Pruned}; a checked one {@code Missing} (manifest or file not
   * found), {@code Failed} (file not as recorded) or stays {@code Ready}, with {@code checkedAt}.
   * Records not in the plan are not touched; a record deleted meanwhile is skipped.
   *
   * @param records the namespace's records by name
   * @param now UTC ISO-8601 time of the observation
   * @return how many records became Pruned, Missing and Failed
   * @throws KubernetesClientException on API errors (the reconcile is retried; writes are
   *     idempotent)
   */
  public Map<BackupState, Integer> applyOutcome(
      Map<String, DatabaseBackup> records, RetentionStatus r, StepResult result, String now) {
    Map<String, String> d =
        result == null || result.details() == null ? Map.of() : result.details();
    Set<String> gone = names(d.get("deletedNames"));
    gone.addAll(names(d.get("absent")));
    Set<String> missing = names(d.get("missing"));
    Set<String> damaged = names(d.get("damaged"));
    Map<BackupState, Integer> counts = new java.util.EnumMap<>(BackupState.class);
    for (RetentionItem i : nullSafe(r.getPrune())) {
      if (gone.contains(fileName(i.getFile()))) {
        write(
            records.get(i.getDatabaseBackup()),
            BackupState.Pruned,
            "deleted by retention (Job " + r.getJob() + ")",
            now,
            counts);
      }
    }
    for (RetentionItem i : nullSafe(r.getCheck())) {
      if (missing.contains(fileName(i.getFile()))) {
        write(
            records.get(i.getDatabaseBackup()),
            BackupState.Missing,
            "file or manifest " + i.getFile() + " not found on the backup volume",
            now,
            counts);
      } else if (damaged.contains(fileName(i.getFile()))) {
        write(
            records.get(i.getDatabaseBackup()),
            BackupState.Failed,
            "file " + i.getFile() + " differs from its manifest (size) or cannot be read",
            now,
            counts);
      } else {
        write(records.get(i.getDatabaseBackup()), BackupState.Ready, null, now, counts);
      }
    }
    return counts;
  }

  /**
   * Deletes old {@code Pruned} records (tombstones); a record already gone is success.
   *
   * @throws KubernetesClientException on other API errors (retried)
   */
  public void forget(List<DatabaseBackup> tombstones) {
    for (DatabaseBackup b : tombstones) {
      client.resource(b).delete();
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

  /**
   * The file name of a recorded path ({@code /var/lib/dbguard/backups/x.dump} → {@code x.dump}).
   */
  public static String fileName(String path) {
    return path == null ? null : java.nio.file.Path.of(path).getFileName().toString();
  }

  /** The file names of a comma-separated list of names or paths, as the prune Job reports them. */
  private static Set<String> names(String csv) {
    return csv == null || csv.isBlank()
        ? new java.util.HashSet<>()
        : Arrays.stream(csv.split(","))
            .map(RetentionActions::fileName)
            .collect(Collectors.toCollection(java.util.HashSet::new));
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }
}
