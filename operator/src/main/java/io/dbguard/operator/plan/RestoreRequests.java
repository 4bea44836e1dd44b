package io.dbguard.operator.plan;

import io.dbguard.core.report.ExitCode;
import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.BackupStorage;
import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RestoreRequestState;
import io.dbguard.operator.model.RestoreRequestStatus;
import io.dbguard.operator.model.WriteFence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Restores requested with the {@code dbguard.io/restore} annotation ({@code kubectl dbguard restore
 * BACKUP}), as pure functions of an {@link Observation}; every row is in {@code
 * RestoreRequestsTest}.
 *
 * <p>The value is {@code <DatabaseBackup>@<status.revision>}. A value not yet recorded in {@code
 * status.restoreRequest} is a new request. It is carried out only when the migration's last attempt
 * has finished, the revision is the current one, no other run holds the database, and the backup
 * exists, is a verified dump backup of this database on the migration's backup storage, and the
 * write fence is not {@code ReadOnly} (its raise and lift Jobs are per attempt); otherwise it is
 * recorded as {@code Refused} with the reason (and an Event). A request carried out runs as a
 * restore step of the finished attempt: phase Restoring, writers fenced as for a migration, the
 * restore Job ({@code <name>-restorereq-<hash8 of the value>}: one per request, also across
 * restarts) given that backup, then phase RolledBack (reason {@code RestoreRequested}; the database
 * is as the backup holds it, so the rollout gate stays closed) or Failed (reason {@code
 * RestoreFailed}, the fence held). Its value is recorded, so it is handled once.
 */
public final class RestoreRequests {
  /** Reason of a requested restore (status, history, Events). */
  public static final String RESTORE_REQUESTED = "RestoreRequested";

  /** Reason of the Event for a refused request. */
  public static final String RESTORE_REFUSED = "RestoreRefused";

  /** Job name kind of a requested restore: {@code <name>-restorereq-<hash8>}. */
  static final String JOB_KIND = "restorereq";

  private RestoreRequests() {}

  /**
   * The annotation value split at its last {@code @}.
   *
   * @param backup the DatabaseBackup name
   * @param revision the {@code status.revision} the request was made for
   */
  public record Request(String backup, String revision) {
    /** {@code value} parsed, or null when it is not {@code <backup>@<revision>}. */
    public static Request parse(String value) {
      if (value == null) {
        return null;
      }
      int at = value.lastIndexOf('@');
      if (at <= 0 || at == value.length() - 1) {
        return null;
      }
      return new Request(value.substring(0, at).trim(), value.substring(at + 1).trim());
    }
  }

  /** Whether {@code o} carries a request whose value is not recorded in status yet. */
  public static boolean isNew(Observation o) {
    if (o.restore() == null || o.restore().value() == null || o.restore().value().isBlank()) {
      return false;
    }
    RestoreRequestStatus rec = o.status() == null ? null : o.status().getRestoreRequest();
    return rec == null || !o.restore().value().equals(rec.getValue());
  }

  /** Whether {@code next} records a refused request that {@code before} did not. */
  public static boolean refusedNow(DatabaseMigrationStatus before, DatabaseMigrationStatus next) {
    RestoreRequestStatus n = next.getRestoreRequest();
    if (n == null || n.getState() != RestoreRequestState.Refused) {
      return false;
    }
    RestoreRequestStatus b = before == null ? null : before.getRestoreRequest();
    return b == null || !Objects.equals(b.getValue(), n.getValue()) || b.getState() != n.getState();
  }

  /** Whether the current step of {@code st} is a requested restore. */
  public static boolean isRequested(DatabaseMigrationStatus st) {
    return st != null
        && st.getCurrent() != null
        && RESTORE_REQUESTED.equals(st.getCurrent().getRestoreCause())
        && st.getRestoreRequest() != null;
  }

  /**
   * The backup name a Job of {@code step} works with: for a requested restore {@code
   * status.restoreRequest.backupName}, otherwise the attempt's {@code status.backup.name}; null
   * when there is none.
   */
  public static String backupFor(Step step, DatabaseMigrationStatus st) {
    if (step == Step.RESTORE && isRequested(st)) {
      return st.getRestoreRequest().getBackupName();
    }
    return st.getBackup() == null ? null : st.getBackup().getName();
  }

  /**
   * Why the new request of {@code o} is not carried out, or null when it may be.
   *
   * @return a sentence naming the request and the reason
   */
  public static String refusal(Observation o) {
    String value = o.restore().value();
    String what = "restore request dbguard.io/restore=" + value + " refused: ";
    Request r = Request.parse(value);
    if (r == null) {
      return what + "the value is not <DatabaseBackup>@<revision>";
    }
    DatabaseMigrationStatus st = o.status();
    Phase phase = st == null || st.getPhase() == null ? Phase.Pending : st.getPhase();
    if (!MigrationPlanner.FINISHED.contains(phase) || st.getRevision() == null) {
      return what
          + (MigrationPlanner.RUNNING.contains(phase)
              ? "a run is in progress (phase " + phase + "); request again when it has finished"
              : "no attempt has finished yet (phase " + phase + ")");
    }
    if (!r.revision().equals(st.getRevision())) {
      return what
          + "it was made for revision "
          + r.revision()
          + " but the migration is at revision "
          + st.getRevision()
          + "; look again (kubectl dbguard status) and request again";
    }
    if (o.blockingRun().isPresent()) {
      return what
          + "database "
          + o.spec().getDatabase().getName()
          + " is being migrated by "
          + o.blockingRun().get();
    }
    String why = backupRefusal(o, r);
    return why == null ? null : what + why;
  }

  /** Why the backup of request {@code r} cannot be restored for {@code o}, or null. */
  private static String backupRefusal(Observation o, Request r) {
    DatabaseMigrationStatus st = o.status();
    BackupRecord b = o.restore().backup();
    if (b == null) {
      return "DatabaseBackup " + r.backup() + " does not exist in " + o.namespace();
    }
    String db = o.spec().getDatabase() == null ? null : o.spec().getDatabase().getName();
    if (!Objects.equals(db, b.database())) {
      return "DatabaseBackup "
          + b.name()
          + " is a backup of database "
          + b.database()
          + ", not of "
          + db;
    }
    if (b.method() != BackupMethod.Dump) {
      return "DatabaseBackup "
          + b.name()
          + " is a VolumeSnapshot; only dump backups can be restored on request";
    }
    if (b.state() != BackupState.Ready || !b.verified()) {
      return "DatabaseBackup "
          + b.name()
          + " is not a verified backup (state "
          + b.state()
          + (b.verified() ? "" : ", not verified")
          + "); only a verified backup is restored";
    }
    if (backupName(b) == null) {
      return "DatabaseBackup " + b.name() + " records no file";
    }
    BackupStorage storage = o.spec().getBackup() == null ? null : o.spec().getBackup().getStorage();
    String claim = storage == null ? null : storage.getClaimName();
    String sub = storage == null ? null : storage.getSubPath();
    if (!Objects.equals(claim, b.claimName()) || !Objects.equals(blank(sub), blank(b.subPath()))) {
      return "DatabaseBackup "
          + b.name()
          + " is on claim "
          + b.claimName()
          + (blank(b.subPath()) == null ? "" : " (subPath " + b.subPath() + ")")
          + ", not on the migration's backup storage "
          + claim
          + (blank(sub) == null ? "" : " (subPath " + sub + ")");
    }
    boolean readOnly =
        WriteFencePlanner.mode(o.spec()) == WriteFence.ReadOnly
            || (st.getFence() != null && st.getFence().getMode() == WriteFence.ReadOnly);
    if (readOnly) {
      return "writeFence ReadOnly is not supported for a requested restore in this version (use"
          + " ScaleToZero or None)";
    }
    if (SnapshotPlanner.applies(o.spec()) || st.getSnapshot() != null) {
      return "the migration backs up with VolumeSnapshots (backup.method VolumeSnapshot); only dump"
          + " backups can be restored on request";
    }
    return null;
  }

  /** The plan that starts the restore of a new, acceptable request of {@code o}, if any. */
  static Optional<Plan> start(Observation o) {
    if (!isNew(o) || refusal(o) != null) {
      return Optional.empty();
    }
    BackupRecord b = o.restore().backup();
    return Optional.of(
        new Plan.StartRestore(
            jobName(o.name(), o.restore().value()),
            RESTORE_REQUESTED,
            "restoring backup "
                + b.name()
                + " on request (dbguard.io/restore="
                + o.restore().value()
                + "): the live database is replaced by it and its current state kept as a"
                + " failed copy"));
  }

  /**
   * The outcome of a requested restore whose Job has ended: RolledBack when it exited 0, otherwise
   * Failed with reason RestoreFailed.
   */
  static Plan finished(DatabaseMigrationStatus st, JobObservation job) {
    if (job.effectiveExitCode() == ExitCode.OK.code()) {
      return new Plan.Fail(
          Phase.RolledBack,
          RESTORE_REQUESTED,
          "restored backup "
              + st.getRestoreRequest().getBackup()
              + " on request and verified it; the database is as the backup holds it, so the"
              + " rollout gate stays closed for image "
              + st.getImage()
              + " until a new attempt succeeds (kubectl dbguard retry)",
          false);
    }
    return failed(st, job.describe());
  }

  /**
   * The outcome of a requested restore whose Job was seen and is gone before it finished (deleted,
   * or garbage-collected): its outcome is unknown, so Failed with reason RestoreFailed, naming the
   * requested backup ({@code status.restoreRequest.backup}), not the attempt's own.
   *
   * @param jobName the restore Job that disappeared
   */
  static Plan lost(DatabaseMigrationStatus st, String jobName) {
    return failed(st, "Job " + jobName + " disappeared before it finished");
  }

  private static Plan failed(DatabaseMigrationStatus st, String what) {
    return new Plan.Fail(
        Phase.Failed,
        Reason.RESTORE_FAILED,
        "requested restore of backup "
            + st.getRestoreRequest().getBackup()
            + " failed: "
            + what
            + "; the database needs a human (see docs/operations.md#runbook-restorefailed)",
        false);
  }

  /**
   * {@code status.restoreRequest} after {@code plan} (as written in {@code next}). Pure.
   *
   * @return the recorded request, changed when a request started, advanced or ended or a new one
   *     was refused; null when there never was one
   */
  public static RestoreRequestStatus record(
      Observation o, DatabaseMigrationStatus next, Plan plan) {
    RestoreRequestStatus prev = o.status() == null ? null : o.status().getRestoreRequest();
    Plan base = plan instanceof Plan.Fence f ? f.held() : plan;
    String now = o.now().toString();
    if (prev != null
        && (prev.getState() == RestoreRequestState.Pending
            || prev.getState() == RestoreRequestState.Running)) {
      RestoreRequestStatus r = copy(prev);
      CurrentStep cur = next.getCurrent();
      if (cur != null && Objects.equals(prev.getJob(), cur.getJob())) {
        boolean exists = o.job(prev.getJob()).isPresent();
        r.setState(exists ? RestoreRequestState.Running : RestoreRequestState.Pending);
        return r;
      }
      r.setState(
          next.getPhase() == Phase.RolledBack
              ? RestoreRequestState.Succeeded
              : RestoreRequestState.Failed);
      r.setMessage(next.getMessage());
      r.setFinishedAt(now);
      return r;
    }
    if (!isNew(o)) {
      return prev;
    }
    String value = o.restore().value();
    Request req = Request.parse(value);
    RestoreRequestStatus r = new RestoreRequestStatus();
    r.setValue(value);
    r.setRequestedAt(now);
    if (req != null) {
      r.setBackup(req.backup());
      r.setRevision(req.revision());
    }
    if (base instanceof Plan.StartRestore s && RESTORE_REQUESTED.equals(s.reason())) {
      r.setBackupName(backupName(o.restore().backup()));
      r.setJob(s.jobName());
      r.setState(RestoreRequestState.Pending);
      r.setMessage(s.message());
      return r;
    }
    r.setState(RestoreRequestState.Refused);
    r.setMessage(refusal(o));
    r.setFinishedAt(now);
    return r;
  }

  /**
   * The backup's name in the backup directory: its file name up to the first dot (backup names have
   * none: {@code <database>_<environment>_<YYYYMMDD>_<HHMMSS>[-n]}), or null without a file.
   */
  static String backupName(BackupRecord b) {
    if (b == null || b.file() == null || b.file().isBlank()) {
      return null;
    }
    String f = b.file();
    f = f.substring(f.lastIndexOf('/') + 1);
    int dot = f.indexOf('.');
    return dot <= 0 ? (dot == 0 ? null : f) : f.substring(0, dot);
  }

  /** The restore Job of request {@code value}: {@code <name>-restorereq-<8 hex of SHA-256>}. */
  static String jobName(String name, String value) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return JobNames.of(name, JOB_KIND, HexFormat.of().formatHex(h).substring(0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static RestoreRequestStatus copy(RestoreRequestStatus s) {
    RestoreRequestStatus r = new RestoreRequestStatus();
    r.setValue(s.getValue());
    r.setBackup(s.getBackup());
    r.setBackupName(s.getBackupName());
    r.setRevision(s.getRevision());
    r.setState(s.getState());
    r.setMessage(s.getMessage());
    r.setJob(s.getJob());
    r.setRequestedAt(s.getRequestedAt());
    r.setFinishedAt(s.getFinishedAt());
    return r;
  }
}
