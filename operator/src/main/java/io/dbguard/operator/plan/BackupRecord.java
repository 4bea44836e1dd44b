package io.dbguard.operator.plan;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import java.time.Instant;

/**
 * What retention needs of one {@code DatabaseBackup} record (built by {@code BackupRecordObserver}
 * from spec and {@link io.dbguard.operator.model.BackupFacts}).
 *
 * @param name the record's name
 * @param database {@code spec.database}: the logical database name
 * @param claimName {@code spec.claimName}: the backup volume claim, or null
 * @param subPath {@code spec.subPath}: the sub-path of the claim, or null
 * @param file {@code spec.file}: the dump file inside the backup volume, or null
 * @param method {@code spec.method}; null (older records) reads as {@link BackupMethod#Dump}
 * @param state the observed state (older records without status: {@link BackupState#Ready})
 * @param verified whether the backup step verified it
 * @param pinned {@code spec.pinned}: never pruned
 * @param takenAt when it was verified (UTC), else when the record was created; orders "newest"
 * @param volumeSnapshot {@code spec.volumeSnapshotName} (method VolumeSnapshot), or null
 * @param snapshot what was observed of that VolumeSnapshot, or null when not observed (Dump)
 */
public record BackupRecord(
    String name,
    String database,
    String claimName,
    String subPath,
    String file,
    BackupMethod method,
    BackupState state,
    boolean verified,
    boolean pinned,
    Instant takenAt,
    String volumeSnapshot,
    VolumeSnapshotFacts snapshot) {

  /** A record without a VolumeSnapshot (a dump). */
  public BackupRecord(
      String name,
      String database,
      String claimName,
      String subPath,
      String file,
      BackupMethod method,
      BackupState state,
      boolean verified,
      boolean pinned,
      Instant takenAt) {
    this(
        name, database, claimName, subPath, file, method, state, verified, pinned, takenAt, null,
        null);
  }

  public BackupRecord {
    method = method == null ? BackupMethod.Dump : method;
    state = state == null ? BackupState.Ready : state;
    takenAt = takenAt == null ? Instant.EPOCH : takenAt;
  }
}
