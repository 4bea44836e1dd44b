package io.dbguard.core.engine;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import java.nio.file.Path;
import java.util.List;

/**
 * One target database and the engine-specific ways to back it up, verify the backup, restore it and
 * describe its data. Implementations: {@code io.dbguard.core.engine.sqlite.SqliteEngine} and {@code
 * io.dbguard.core.engine.postgres.PostgresEngine}.
 *
 * <p>All methods throw {@link DbguardException} with a user-facing message (never containing a
 * password) and a stable {@link DbguardException#reason()} on failure.
 */
public interface DatabaseEngine {

  /** Which engine this is. */
  EngineKind kind();

  /**
   * The database as users name it, without credentials: e.g. {@code appdb} or {@code /data/app.db}.
   */
  String displayName();

  /**
   * This database's identity, as recorded in every backup manifest it writes ({@link
   * BackupManifest#database()}) and compared by {@link
   * io.dbguard.core.backup.DatabaseIdentity#sameDatabase}: engine, host/port/database name and the
   * cluster's system identifier (PostgreSQL), or the canonical file path (SQLite). No credentials.
   *
   * @throws DbguardException {@code ConnectionFailed} or {@code AuthenticationFailed} (PostgreSQL)
   */
  java.util.Map<String, String> identity();

  /**
   * Whether the database exists (PostgreSQL: in pg_database; SQLite: the file exists and is
   * non-empty).
   */
  boolean exists();

  /**
   * Profiles the live database now (row counts, non-null counts, schema fingerprint, history
   * version). For a database that does not exist, returns an empty profile.
   */
  DataProfile profile();

  /**
   * As {@link #profile()}; with {@code contentChecksums} each table's profile also carries a
   * checksum per column ({@link TableProfile#contentChecksums()}, {@link ContentChecksum}), at
   * several times the cost of the count scan.
   *
   * @throws DbguardException as {@link #profile()}
   */
  DataProfile profile(boolean contentChecksums);

  /**
   * Whether the database exists and holds at least one user table (the tables {@link #profile()}
   * would count), answered from the catalog without reading any table: {@code
   * profile().hasUserTables()} without the scan.
   */
  boolean hasUserTables();

  /**
   * Takes a consistent backup into {@code request.directory()}, named per {@link
   * io.dbguard.core.backup.BackupNaming}, with mode 0600, computes its SHA-256 while writing,
   * profiles the data in the same snapshot as the backup, verifies the whole file, and writes the
   * manifest beside it. Returns the manifest (already written, {@code verifiedAt} set).
   */
  BackupManifest backup(BackupRequest request, ProgressListener progress);

  /**
   * Verifies a backup file against its manifest: size and SHA-256 equal, and the whole archive
   * readable (PostgreSQL: {@code pg_restore -f /dev/null}; SQLite: {@code PRAGMA integrity_check} =
   * {@code ok}). Throws {@link DbguardException} with reason {@code BackupCorrupt} otherwise.
   */
  void verify(Path backupFile, BackupManifest manifest, ProgressListener progress);

  /**
   * Brings the database back to exactly the state in the backup: re-checks the SHA-256 first,
   * replaces (never overlays) the database, then profiles it and compares with the manifest (row
   * counts, schema fingerprint, history version). Throws {@link DbguardException} with reason
   * {@code RestoreFailed} or {@code RestoreNotVerified} when anything differs.
   */
  RestoreResult restore(Path backupFile, BackupManifest manifest, ProgressListener progress);

  /**
   * Whether {@link #restore} checks the whole archive itself before anything replaces the live
   * database, so a separate {@link #verify} just before it would only read the archive again. An
   * unreadable archive is then still {@code BackupCorrupt} with the database untouched. Default
   * {@code false}; PostgreSQL's swap restore says {@code true} (it restores aside and swaps only
   * after the SHA-256 matched and {@code pg_restore} read every entry), and so does SQLite (it
   * hashes and {@code integrity_check}s the backup before it writes the live file).
   */
  default boolean restoreChecksArchive() {
    return false;
  }

  /**
   * The failed (pre-restore) copies earlier restores of this database kept for forensics, newest
   * first (by the UTC stamp in the name, then the same-second counter, then the name; see {@link
   * FailedCopies#NEWEST_FIRST}). Only names dbguard itself gives a failed copy of <em>this</em>
   * database match (SQLite: the file {@code <db file name>.failed-<yyyyMMdd'T'HHmmss'Z'>[-N]} in
   * the database's directory, or only its {@code -wal}/{@code -shm}/{@code -journal} left;
   * PostgreSQL: the database {@code <db>_failed_<yyyyMMdd_HHmmss>[_N]}); anything else is never
   * listed.
   *
   * @return absolute file paths (SQLite) or database names (PostgreSQL), as {@link
   *     RestoreResult#keptFailedAs()} names them; empty when there are none
   * @throws DbguardException when they cannot be listed: SQLite {@code FailedCopiesUnreadable} (the
   *     directory cannot be read); PostgreSQL {@code ConnectionFailed}, {@code
   *     AuthenticationFailed}, {@code DatabaseMissing} (the maintenance database), {@code
   *     PermissionDenied} or {@code DatabaseError}
   */
  List<String> failedCopies();

  /**
   * Deletes this database's failed copies ({@link #failedCopies()}) beyond the newest {@code keep}.
   * SQLite deletes the file and its {@code -wal}, {@code -shm} and {@code -journal}; PostgreSQL
   * runs {@code DROP DATABASE} from the maintenance database and never ends other sessions. A copy
   * that cannot be deleted (a session is connected to it, permission denied) does not fail the
   * call: it stays and is reported in {@link FailedCopyPruning#problems()}. Call it only after a
   * restore was verified: while the database is not known to be good, every copy may be needed.
   *
   * @param keep how many of the newest failed copies to keep, at least 1
   * @return what was removed, kept and could not be removed; all lists empty when there are no
   *     failed copies
   * @throws IllegalArgumentException when {@code keep} is less than 1
   * @throws DbguardException as {@link #failedCopies()} when the copies cannot be listed (nothing
   *     was deleted then)
   */
  FailedCopyPruning pruneFailedCopies(int keep);

  /**
   * The exact shell command a human would run to restore this backup by hand (no password in it).
   */
  String manualRestoreCommand(Path backupFile);

  /**
   * Returns a database that did <b>not exist</b> before a failed run to not existing, keeping what
   * the failed migration created for forensics, so the next attempt starts from nothing instead of
   * a half-built schema. Call it only when the database was absent before the run (there is no
   * backup to restore) and the run failed; never for a database that existed.
   *
   * @return where the partial database was kept (a path or database name), or {@code null} when
   *     there is nothing to set aside (it still does not exist) or this engine cannot do it (the
   *     default; PostgreSQL: a database that does not exist cannot be migrated through dbguard,
   *     whose connection check refuses it first)
   * @throws DbguardException reason {@code RestoreFailed} when it exists but cannot be moved
   */
  default String setAsideNew() {
    return null;
  }

  /**
   * Counts the writes made after {@code manifest}'s backup, per table, from the write horizon the
   * manifest records ({@link io.dbguard.core.backup.BackupManifest#writeHorizon()}): on the live
   * database when {@code failedCopy} is {@code null}, else on that failed copy (as {@link
   * RestoreResult#keptFailedAs()} names it; then each table's extraction command is set). Reads
   * only; one scan per table. Call it before a restore, to know what the restore would discard, and
   * on the failed copy after it, for final figures.
   *
   * @return never {@code null}; {@code unknown} (never an exception) when the manifest has no
   *     horizon or the database cannot be read; the default implementation always answers {@code
   *     unknown}
   */
  default WritesAfterBackup writesAfterBackup(
      io.dbguard.core.backup.BackupManifest manifest, String failedCopy) {
    return WritesAfterBackup.unknown(
        failedCopy == null ? displayName() : failedCopy,
        "this engine cannot count writes after a backup");
  }
}
