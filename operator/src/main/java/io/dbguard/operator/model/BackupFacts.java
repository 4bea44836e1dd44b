package io.dbguard.operator.model;

/**
 * The observed facts of a {@link DatabaseBackup}, read from {@code status} and, for records written
 * before status carried them, from the deprecated {@code spec} fields. A record without {@code
 * status.state} was written by an older version, which created records only for verified backups:
 * it reads as {@link BackupState#Ready}.
 *
 * @param state the state (never null)
 * @param sizeBytes size of the dump in bytes, or null
 * @param sha256 lowercase hex SHA-256, or null
 * @param verified whether verification passed
 * @param verifiedAt UTC ISO-8601 time verification passed, or null
 * @param checkedAt UTC ISO-8601 time the file was last checked, or null
 */
public record BackupFacts(
    BackupState state,
    Long sizeBytes,
    String sha256,
    boolean verified,
    String verifiedAt,
    String checkedAt) {

  /** The facts of {@code b}: status first, then the deprecated spec fields. */
  @SuppressWarnings("deprecation")
  public static BackupFacts of(DatabaseBackup b) {
    DatabaseBackupStatus st = b.getStatus() == null ? new DatabaseBackupStatus() : b.getStatus();
    DatabaseBackupSpec sp = b.getSpec() == null ? new DatabaseBackupSpec() : b.getSpec();
    Boolean verified = st.getVerified() != null ? st.getVerified() : sp.getVerified();
    return new BackupFacts(
        st.getState() == null ? BackupState.Ready : st.getState(),
        st.getSizeBytes() != null ? st.getSizeBytes() : sp.getSizeBytes(),
        st.getSha256() != null ? st.getSha256() : sp.getSha256(),
        Boolean.TRUE.equals(verified),
        st.getVerifiedAt() != null ? st.getVerifiedAt() : sp.getVerifiedAt(),
        st.getCheckedAt());
  }
}
