package io.dbguard.operator.observe;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.WriteFence;
import io.dbguard.operator.plan.WriteFencePlanner;

/**
 * What {@code backup.method: VolumeSnapshot} needs (docs/migration-window.md, "VolumeSnapshot
 * backups"): a SQLite database on a claim, and writers that dbguard can fence, because a snapshot
 * of a volume with a live writer is only crash-consistent.
 */
final class SnapshotSpecRules {
  private SnapshotSpecRules() {}

  /** Why the spec cannot take VolumeSnapshot backups, or null when it can. */
  static String invalid(DatabaseMigrationSpec spec) {
    if (spec.getDatabase().getEngine() == Engine.PostgreSQL) {
      return "backup.method VolumeSnapshot is supported for SQLite on a PersistentVolumeClaim"
          + " only; PostgreSQL (its data directory and WAL on claims) is not supported yet: use"
          + " backup.method Dump";
    }
    if (WriteFencePlanner.mode(spec) == WriteFence.None) {
      return "backup.method VolumeSnapshot needs the write fence: with rollout.writeFence None the"
          + " application writes while the volume is snapshotted, and the snapshot is only"
          + " crash-consistent; remove writeFence: None (ScaleToZero is the default)";
    }
    if (spec.getRollout() == null
        || spec.getRollout().getWorkloads() == null
        || spec.getRollout().getWorkloads().isEmpty()) {
      return "backup.method VolumeSnapshot needs the workloads that write to the database in"
          + " rollout.workloads, so that they are scaled to 0 before the snapshot; none are"
          + " listed";
    }
    if (spec.getBackup().getCompressionLevel() != null) {
      return "backup.compressionLevel applies to PostgreSQL dumps only; remove it";
    }
    return null;
  }
}
