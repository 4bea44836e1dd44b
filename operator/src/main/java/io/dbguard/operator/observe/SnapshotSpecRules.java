package io.dbguard.operator.observe;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.WriteFence;
import io.dbguard.operator.plan.WriteFencePlanner;

/**
 * What {@code backup.method: VolumeSnapshot} needs (docs/migration-window.md, "VolumeSnapshot
 * backups"): a SQLite database on a claim, or a PostgreSQL whose data directory is on a claim
 * ({@code database.volume}), and writers that dbguard can fence, because a snapshot of a volume
 * with a live writer is only crash-consistent. Whether the data directory has its WAL and
 * tablespaces on the claim is only visible in the snapshot, so PostgreSQL also needs {@code
 * backup.verify: true}: the SnapshotCheck Job proves the copy usable before the migration runs.
 */
final class SnapshotSpecRules {
  private SnapshotSpecRules() {}

  /** Why the spec cannot take VolumeSnapshot backups, or null when it can. */
  static String invalid(DatabaseMigrationSpec spec) {
    if (spec.getDatabase().getEngine() == Engine.PostgreSQL
        && spec.getDatabase().getVolume() == null) {
      return "backup.method VolumeSnapshot for PostgreSQL needs database.volume: claimName, the"
          + " PersistentVolumeClaim holding the server's data directory with its WAL, and path,"
          + " the data directory on it (e.g. pgdata, or . for the claim's root); a single"
          + " instance only. Otherwise use backup.method Dump";
    }
    if (spec.getDatabase().getEngine() == Engine.PostgreSQL
        && spec.getDatabase().getVolume().getRunAsUser() == null) {
      return "backup.method VolumeSnapshot for PostgreSQL needs database.volume.runAsUser, the uid"
          + " that owns the data directory (999 in the Docker official postgres image): the Jobs"
          + " that start a server on the snapshot's copy run as it, because PostgreSQL runs only"
          + " as its data directory's owner";
    }
    if (spec.getDatabase().getEngine() == Engine.PostgreSQL
        && !Boolean.TRUE.equals(spec.getBackup().getVerify())) {
      return "backup.method VolumeSnapshot for PostgreSQL needs backup.verify: true: whether the"
          + " snapshot can be restored from (its WAL and tablespaces on the claim, the server"
          + " recovers on it) is only seen by starting a server on its copy, which the"
          + " SnapshotCheck Job does before the migration runs; without it a failed migration"
          + " could find an unusable snapshot only when it needs to restore";
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
      return "backup.compressionLevel applies to PostgreSQL dumps (backup.method Dump) only;"
          + " remove it";
    }
    return null;
  }
}
