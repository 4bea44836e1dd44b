package io.dbguard.operator.act;

import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.SnapshotState;
import io.dbguard.operator.model.SnapshotStatus;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Plan;
import io.dbguard.operator.plan.SnapshotObservation;
import io.dbguard.operator.plan.SnapshotPlanner;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The {@code status.snapshot} part of {@link StatusRecorder#next}: the snapshot's name before it is
 * created, the facts observed on the VolumeSnapshot, the verified backup once it is ready, and the
 * name of the claim provisioned from it before that claim is created. Pure.
 */
final class SnapshotRecorder {
  private SnapshotRecorder() {}

  /** Records the snapshot of {@code plan} (write-ahead: before the VolumeSnapshot exists). */
  static void request(Observation o, DatabaseMigrationStatus s, Plan.Snapshot plan) {
    if (s.getSnapshot() != null && plan.snapshotName().equals(s.getSnapshot().getName())) {
      return;
    }
    SnapshotStatus rec = new SnapshotStatus();
    rec.setName(plan.snapshotName());
    rec.setRevision(s.getRevision());
    rec.setSourceClaim(
        o.spec().getDatabase().getVolume() == null
            ? null
            : o.spec().getDatabase().getVolume().getClaimName());
    rec.setVolumeSnapshotClassName(
        o.spec().getBackup() == null ? null : o.spec().getBackup().getVolumeSnapshotClassName());
    rec.setState(SnapshotState.Requested);
    s.setSnapshot(rec);
  }

  /** Copies what was observed on the VolumeSnapshot; a ready one becomes {@code status.backup}. */
  static void observed(Observation o, DatabaseMigrationStatus s) {
    SnapshotStatus rec = s.getSnapshot();
    SnapshotObservation seen = o.snapshot();
    if (rec == null || seen == null || !seen.exists() || !seen.name().equals(rec.getName())) {
      return;
    }
    rec.setBoundVolumeSnapshotContentName(seen.boundContentName());
    rec.setCreationTime(seen.creationTime());
    rec.setRestoreSize(seen.restoreSize());
    rec.setError(seen.error());
    if (seen.error() != null) {
      rec.setState(SnapshotState.Failed);
    } else if (seen.ready()) {
      rec.setState(SnapshotState.Ready);
    } else if (seen.taken()) {
      rec.setState(SnapshotState.Taken);
    }
    boolean checked =
        !SnapshotPlanner.verify(o.spec())
            || o.job(JobNames.of(o.name(), Step.SNAPSHOT_CHECK, s.getRevision()))
                .filter(j -> j.state() == JobObservation.State.SUCCEEDED)
                .isPresent();
    if (rec.getState() == SnapshotState.Ready
        && checked
        && s.getBackup() == null
        && rec.getRevision() != null
        && rec.getRevision().equals(s.getRevision())) {
      BackupStatusRef ref = new BackupStatusRef();
      ref.setName(rec.getName());
      ref.setFile(rec.getName());
      if (rec.getRestoreSize() != null) {
        ref.setSizeBytes(
            Quantity.getAmountInBytes(new Quantity(rec.getRestoreSize())).longValueExact());
      }
      // "verified" for a snapshot: readyToUse was observed (and, with backup.verify, the check
      // Job passed); the content is also checked by the data check and the restore
      ref.setVerifiedAt(o.now().toString());
      ref.setDatabaseBackup(BackupRecords.resourceName(rec.getName()));
      s.setBackup(ref);
    }
  }

  /** Names the claim to provision from the snapshot before a verify or restore Job needs it. */
  static void copyClaim(Observation o, DatabaseMigrationStatus s, Plan plan) {
    boolean needsCopy =
        (plan instanceof Plan.LaunchStep ls
                && (ls.step() == Step.VERIFY || ls.step() == Step.SNAPSHOT_CHECK))
            || plan instanceof Plan.StartRestore;
    SnapshotStatus rec = s.getSnapshot();
    if (!needsCopy
        || rec == null
        || rec.getState() != SnapshotState.Ready
        || rec.getCopyClaim() != null) {
      return;
    }
    rec.setCopyClaim(SnapshotPlanner.copyClaimName(o.name(), rec.getRevision()));
  }
}
