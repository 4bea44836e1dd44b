package io.dbguard.operator.plan;

/**
 * What the observer saw of the VolumeSnapshot recorded in {@code status.snapshot} ({@code
 * snapshot.storage.k8s.io/v1}) and of the temporary claim provisioned from it.
 *
 * @param name the VolumeSnapshot's name
 * @param exists false when no VolumeSnapshot of that name exists, or when it was not read ({@link
 *     #read})
 * @param boundContentName {@code status.boundVolumeSnapshotContentName}, or null
 * @param creationTime {@code status.creationTime} (RFC 3339, UTC), or null
 * @param restoreSize {@code status.restoreSize} as a quantity string (e.g. {@code 1Gi}), or null
 * @param readyToUse {@code status.readyToUse} (false when absent)
 * @param error {@code status.error.message}, or null
 * @param copyClaimExists whether the claim named in {@code status.snapshot.copyClaim} exists (as
 *     the claims cache shows it)
 * @param read whether the VolumeSnapshot was read from the API server; false once the attempt has
 *     ended ({@link #notRead})
 */
public record SnapshotObservation(
    String name,
    boolean exists,
    String boundContentName,
    String creationTime,
    String restoreSize,
    boolean readyToUse,
    String error,
    boolean copyClaimExists,
    boolean read) {

  /**
   * A VolumeSnapshot as read from the API server ({@code read} true).
   *
   * @see SnapshotObservation
   */
  public SnapshotObservation(
      String name,
      boolean exists,
      String boundContentName,
      String creationTime,
      String restoreSize,
      boolean readyToUse,
      String error,
      boolean copyClaimExists) {
    this(
        name,
        exists,
        boundContentName,
        creationTime,
        restoreSize,
        readyToUse,
        error,
        copyClaimExists,
        true);
  }

  /** A snapshot that does not exist (yet). */
  public static SnapshotObservation absent(String name, boolean copyClaimExists) {
    return new SnapshotObservation(name, false, null, null, null, false, null, copyClaimExists);
  }

  /**
   * The VolumeSnapshot was not read (the attempt has ended: nothing decides from it); only the
   * temporary claim was observed. {@code exists} is false and says nothing about the snapshot.
   */
  public static SnapshotObservation notRead(String name, boolean copyClaimExists) {
    return new SnapshotObservation(
        name, false, null, null, null, false, null, copyClaimExists, false);
  }

  /**
   * Taken: bound to a VolumeSnapshotContent with a {@code creationTime}; the point in time is cut
   * (the external-snapshotter's definition), though it may not be usable yet.
   */
  public boolean taken() {
    return exists && boundContentName != null && creationTime != null;
  }

  /** Usable for a restore: taken and {@code readyToUse}. */
  public boolean ready() {
    return taken() && readyToUse;
  }
}
