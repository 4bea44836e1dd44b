package io.dbguard.operator.plan;

/**
 * What retention observed of the VolumeSnapshot ({@code snapshot.storage.k8s.io/v1}) a {@code
 * DatabaseBackup} record of method {@code VolumeSnapshot} names, and of its bound
 * VolumeSnapshotContent (cluster-scoped). Built by {@code BackupRecordObserver}.
 *
 * @param exists false when no VolumeSnapshot of the recorded name exists in the namespace
 * @param sourceClaim {@code spec.source.persistentVolumeClaimName}, or null when absent or unknown
 * @param readyToUse {@code status.readyToUse}
 * @param error {@code status.error.message}, or null
 * @param contentName {@code status.boundVolumeSnapshotContentName}, or null
 * @param contentDeletionPolicy {@code spec.deletionPolicy} of that content ({@code Delete} or
 *     {@code Retain}), or null when there is no bound content or it was not found
 * @param restoreSize {@code status.restoreSize} as a quantity string, or null
 */
public record VolumeSnapshotFacts(
    boolean exists,
    String sourceClaim,
    boolean readyToUse,
    String error,
    String contentName,
    String contentDeletionPolicy,
    String restoreSize) {

  /** A VolumeSnapshot that was not found. */
  public static VolumeSnapshotFacts absent() {
    return new VolumeSnapshotFacts(false, null, false, null, null, null, null);
  }

  /**
   * Whether deleting the VolumeSnapshot leaves its data on the storage system: the bound content
   * has {@code deletionPolicy: Retain} (the external-snapshotter then deletes neither the content
   * object nor the physical snapshot).
   */
  public boolean retainsContent() {
    return "Retain".equals(contentDeletionPolicy);
  }
}
