package io.dbguard.operator.act;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.plan.RestoreRequests;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * The verify and restore Jobs of {@code backup.method: VolumeSnapshot}: instead of the backup
 * volume they mount the claim provisioned from the snapshot ({@code status.snapshot.copyClaim}) at
 * {@link #SNAPSHOT_DIR}, beside the live database claim at {@link JobFactory#DB_DIR}, and compare
 * with or restore from the database file (SQLite) or data directory (PostgreSQL) on it ({@code
 * dbguard verify-data|restore --from-copy}).
 */
final class SnapshotJobs {
  /** Mount point of the claim provisioned from the VolumeSnapshot. */
  static final String SNAPSHOT_DIR = "/var/lib/dbguard/snapshot";

  private SnapshotJobs() {}

  /**
   * Whether {@code step}'s Job reads the snapshot copy instead of the backup volume: the attempt
   * recorded a claim from its snapshot (decided by the attempt's status, not by the spec, which may
   * have been edited since).
   */
  static boolean usesCopy(DatabaseMigrationSpec spec, DatabaseMigrationStatus st, Step step) {
    return (step == Step.SNAPSHOT_CHECK || step == Step.VERIFY || step == Step.RESTORE)
        && !(step == Step.RESTORE && RestoreRequests.isRequested(st))
        && st.getSnapshot() != null
        && st.getSnapshot().getCopyClaim() != null;
  }

  /**
   * Adds the copy claim's volume and mount; returns the pod security context: {@code hardened} for
   * SQLite; for PostgreSQL the same without {@code fsGroup} (the kubelet would make the data
   * directory group-writable, which PostgreSQL refuses) and with {@code runAsUser}/{@code
   * runAsGroup} from {@code database.volume} (the data directory's owner: PostgreSQL runs only as
   * it).
   */
  static PodSecurityContext mount(
      DatabaseMigrationSpec spec,
      DatabaseMigrationStatus st,
      List<Volume> volumes,
      List<VolumeMount> mounts,
      PodSecurityContext hardened) {
    volumes.add(volume(st));
    mounts.add(mount());
    if (spec.getDatabase().getEngine() != Engine.PostgreSQL) {
      return hardened;
    }
    var v = spec.getDatabase().getVolume();
    Long uid = v.getRunAsUser() == null ? hardened.getRunAsUser() : v.getRunAsUser();
    return new PodSecurityContextBuilder(hardened)
        .withFsGroup(null)
        .withRunAsUser(uid)
        .withRunAsGroup(v.getRunAsGroup() == null ? uid : v.getRunAsGroup())
        .build();
  }

  static Volume volume(DatabaseMigrationStatus st) {
    return new VolumeBuilder()
        .withName("snapshot")
        .withNewPersistentVolumeClaim(st.getSnapshot().getCopyClaim(), false)
        .build();
  }

  static VolumeMount mount() {
    return new VolumeMountBuilder().withName("snapshot").withMountPath(SNAPSHOT_DIR).build();
  }

  /**
   * {@code --from-copy <SNAPSHOT_DIR>/<database.volume.path>}: the SQLite file or PostgreSQL's data
   * directory on the copy.
   */
  static String fromCopy(DatabaseMigrationSpec spec) {
    return SNAPSHOT_DIR + "/" + spec.getDatabase().getVolume().getPath();
  }
}
