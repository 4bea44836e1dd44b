package io.dbguard.operator.plan;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.SnapshotState;
import io.dbguard.operator.model.SnapshotStatus;

/**
 * The backup step of {@code backup.method: VolumeSnapshot}, as pure functions of an {@link
 * Observation}; every row is in {@code SnapshotPlannerTest}. The step has no Job: its "job" is the
 * VolumeSnapshot ({@code snapshot.storage.k8s.io/v1}) of the claim that holds the SQLite file or
 * PostgreSQL's data directory.
 *
 * <pre>
 *  BACKUP ─► Snapshot(create) ─► [fence up] ─► VolumeSnapshot created
 *   (name in status.snapshot first)
 *     ─► SnapshotPending    (not bound to a content, or no creationTime yet)
 *     ─► SnapshotNotReady   (taken: bound + creationTime; readyToUse false)
 *     ─► [SnapshotCheck]    (backup.verify: dbguard verify --copy on a claim from it)
 *     ─► Migrate            (readyToUse true [and checked]; status.backup names the snapshot)
 *     └► Failed/SnapshotFailed (status.error: the migration never runs)
 * </pre>
 *
 * Taken and usable follow the external-snapshotter's definitions: a snapshot is cut once it is
 * bound to a VolumeSnapshotContent and has a {@code creationTime}, and usable only when {@code
 * readyToUse} is true (Kubernetes documentation, "Volume Snapshots"). Waiting is phase BackingUp
 * (Ready False, Reconciling True, never Stalled); an error stops the attempt with the database
 * untouched. The verify and restore steps that follow read a claim provisioned from the snapshot
 * ({@code status.snapshot.copyClaim}).
 */
public final class SnapshotPlanner {
  private SnapshotPlanner() {}

  /** Whether {@code spec} takes its backup as a VolumeSnapshot. */
  public static boolean applies(DatabaseMigrationSpec spec) {
    return spec != null
        && spec.getBackup() != null
        && spec.getBackup().getMethod() == BackupMethod.VolumeSnapshot;
  }

  /** The VolumeSnapshot's name for an attempt: {@code <cr>-snapshot-<revision8>}. */
  public static String name(String crName, String revision) {
    return JobNames.of(crName, "snapshot", revision);
  }

  /** The temporary claim provisioned from the snapshot: {@code <cr>-snapcopy-<revision8>}. */
  public static String copyClaimName(String crName, String revision) {
    return JobNames.of(crName, "snapcopy", revision);
  }

  /** A planned backup Job becomes the snapshot request, when the method is VolumeSnapshot. */
  static Plan apply(Observation o, Plan base) {
    if (!applies(o.spec()) || !(base instanceof Plan.LaunchStep ls) || ls.step() != Step.BACKUP) {
      return base;
    }
    String rev = ls.newAttempt() ? o.desiredRevision() : o.status().getRevision();
    String snap = name(o.name(), rev);
    return new Plan.Snapshot(
        snap,
        true,
        ls.newAttempt(),
        ls.reason(),
        ls.message().replace("; starting Backup", "")
            + "; VolumeSnapshot "
            + snap
            + " of claim "
            + claim(o)
            + " is created once the writers are fenced");
  }

  /**
   * Phase BackingUp of a snapshot attempt (one whose {@code status.snapshot} is recorded, whatever
   * the spec says now: a method edited mid-attempt applies from the next attempt): create, wait,
   * fail, or go on to Migrate.
   */
  static Plan continueSnapshot(Observation o, DatabaseMigrationStatus st) {
    SnapshotStatus rec = st.getSnapshot();
    String snap = rec != null && rec.getName() != null ? rec.getName() : st.getCurrent().getJob();
    SnapshotObservation s = o.snapshot();
    String what = "VolumeSnapshot " + snap + " of claim " + claim(o);
    if (s == null || !s.exists()) {
      if (rec != null
          && (rec.getState() == SnapshotState.Taken || rec.getState() == SnapshotState.Ready)) {
        return new Plan.Fail(
            Phase.Failed,
            Reason.SNAPSHOT_FAILED,
            what
                + " was taken and has disappeared before the migration ran; the database was not"
                + " touched",
            false);
      }
      return new Plan.Snapshot(
          snap, true, false, Reason.SNAPSHOT_REQUESTED, "creating " + what + " (writers fenced)");
    }
    if (s.error() != null) {
      String failed =
          what
              + " failed: "
              + s.error()
              + " (status.error of the VolumeSnapshot; its class is "
              + className(rec)
              + ")";
      if (!backupRequired(o.spec())) {
        return new Plan.LaunchStep(
            Step.MIGRATE,
            JobNames.of(o.name(), Step.MIGRATE, st.getRevision()),
            false,
            Reason.BACKUP_NOT_REQUIRED,
            failed + "; backup.required is false: migrating without a backup");
      }
      return new Plan.Fail(
          Phase.Failed,
          Reason.SNAPSHOT_FAILED,
          failed
              + "; the migration did not run and the database was not touched. The VolumeSnapshot"
              + " is left for inspection: fix the cause, delete it, then retry with the"
              + " dbguard.io/retry annotation",
          false);
    }
    if (!s.taken()) {
      return new Plan.Snapshot(
          snap,
          false,
          false,
          Reason.SNAPSHOT_PENDING,
          "waiting for "
              + what
              + " to be bound to a VolumeSnapshotContent with a creationTime; the migration"
              + " starts once it is ready");
    }
    if (!s.readyToUse()) {
      return new Plan.Snapshot(
          snap,
          false,
          false,
          Reason.SNAPSHOT_NOT_READY,
          what
              + " was taken at "
              + s.creationTime()
              + " (content "
              + s.boundContentName()
              + "); waiting for readyToUse before migrating");
    }
    if (!o.desiredRevision().equals(st.getRevision())) {
      return MigrationPlanner.superseded(o, st);
    }
    if (verify(o.spec())) {
      return new Plan.LaunchStep(
          Step.SNAPSHOT_CHECK,
          JobNames.of(o.name(), Step.SNAPSHOT_CHECK, st.getRevision()),
          false,
          Reason.SNAPSHOT_READY,
          what
              + " is ready (taken at "
              + s.creationTime()
              + ", restoreSize "
              + s.restoreSize()
              + "); backup.verify: checking it through a claim provisioned from it before"
              + " migrating");
    }
    return new Plan.LaunchStep(
        Step.MIGRATE,
        JobNames.of(o.name(), Step.MIGRATE, st.getRevision()),
        false,
        Reason.SNAPSHOT_READY,
        what
            + " is ready (taken at "
            + s.creationTime()
            + ", restoreSize "
            + s.restoreSize()
            + "); starting "
            + Step.MIGRATE.label());
  }

  /**
   * The snapshot check Job ({@code dbguard verify --copy}) has finished: migrate when it passed,
   * otherwise the attempt fails with the database untouched.
   */
  static Plan checked(Observation o, DatabaseMigrationStatus st, JobObservation job, int exit) {
    String snap = st.getSnapshot() == null ? "(unrecorded)" : st.getSnapshot().getName();
    if (exit == io.dbguard.core.report.ExitCode.OK.code()) {
      return new Plan.LaunchStep(
          Step.MIGRATE,
          JobNames.of(o.name(), Step.MIGRATE, st.getRevision()),
          false,
          Reason.BACKUP_VERIFIED,
          "VolumeSnapshot " + snap + " verified: " + job.describe() + "; starting Migrate");
    }
    return new Plan.Fail(
        Phase.Failed,
        Reason.SNAPSHOT_FAILED,
        "the check of VolumeSnapshot "
            + snap
            + " failed: "
            + job.describe()
            + "; the migration did not run and the database was not touched",
        false);
  }

  /** Whether {@code backup.verify} asks for the snapshot check. */
  public static boolean verify(DatabaseMigrationSpec spec) {
    return spec.getBackup() != null && Boolean.TRUE.equals(spec.getBackup().getVerify());
  }

  private static String claim(Observation o) {
    return o.spec().getDatabase().getVolume() == null
        ? "(none)"
        : o.spec().getDatabase().getVolume().getClaimName();
  }

  private static String className(SnapshotStatus rec) {
    String c = rec == null ? null : rec.getVolumeSnapshotClassName();
    return c == null ? "the cluster's default" : c;
  }

  private static boolean backupRequired(DatabaseMigrationSpec spec) {
    return spec.getBackup() == null
        || spec.getBackup().getRequired() == null
        || spec.getBackup().getRequired();
  }
}
