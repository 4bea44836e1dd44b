package io.dbguard.operator.plan;

/**
 * A restore requested with the {@code dbguard.io/restore} annotation, as observed.
 *
 * @param value the annotation's value, {@code <DatabaseBackup>@<revision>} when well formed
 * @param backup the DatabaseBackup the value names, read from this namespace; null when the value
 *     names none or it does not exist
 */
public record RestoreAsk(String value, BackupRecord backup) {}
