package io.dbguard.operator.model;

/** How the pre-migration backup is taken. */
public enum BackupMethod {
  /** A logical dump (pg_dump custom format; SQLite online backup) on the backup volume. */
  Dump,
  /** A CSI VolumeSnapshot of the database volume (SQLite file or PostgreSQL data directory). */
  VolumeSnapshot
}
