package io.dbguard.core.engine;

/**
 * Outcome of a verified restore.
 *
 * @param profileAfter the profile of the restored database, equal to the manifest's
 * @param keptFailedAs where the failed (pre-restore) state was kept for forensics, e.g. the renamed
 *     PostgreSQL database {@code appdb_failed_20261122_101500} or a SQLite file path; {@code null}
 *     when the engine could not keep it
 * @param durationMillis wall time of the restore in milliseconds
 */
public record RestoreResult(DataProfile profileAfter, String keptFailedAs, long durationMillis) {}
