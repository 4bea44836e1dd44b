package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteFiles.shellQuote;
import static io.dbguard.core.engine.sqlite.SqliteFiles.sqliteQuote;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.isVirtual;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * SQLite engine on sqlite-jdbc. Facts it relies on come from sqlite.org ("SQLite Backup API",
 * "Write-Ahead Logging", "Pragma statements") and are checked by the engine tests:
 *
 * <ul>
 *   <li><b>Backup</b> uses SQLite's online backup API ({@code sqlite3_backup_*} through {@code
 *       org.sqlite.core.DB#backup}), never a file copy, so committed data still in {@code -wal} is
 *       captured and the copy is consistent. It is written to a hidden temp name with mode 0600,
 *       converted to {@code journal_mode=DELETE} (a single self-contained file), synced, checked
 *       with {@code PRAGMA integrity_check} (exactly one row {@code ok}; foreign-key violations are
 *       data, not damage, and are kept as they are, see {@link SqliteProfiler#checkIntegrity}),
 *       profiled, hashed (SHA-256) and only then renamed to its final name. The manifest is written
 *       last.
 *   <li><b>Free space</b> is checked before a backup (the backup directory) and a restore (the
 *       database's volume) writes anything ({@link SqliteDiskSpace}; reason {@code
 *       InsufficientSpace}, nothing touched).
 *   <li><b>Restore</b> checks the backup's size first, then reads the whole backup (SHA-256, then
 *       {@code integrity_check}) on a second thread while this one copies the current (failed)
 *       state into a sibling file {@code <db>.failed-<UTC stamp>[-N]} ({@link SqliteFailedState}: a
 *       kernel copy of the file under SQLite's SHARED lock, or the backup API for a WAL database).
 *       Only when both succeeded is the live file written: a refused backup ({@code BackupCorrupt})
 *       or a copy that cannot be made ({@code RestoreFailed}) deletes the copy just made and leaves
 *       the database as it was. The backup is then page-copied into the live database with the
 *       backup API in one write transaction (open connections see the old database or the whole
 *       restored one; stale WAL frames are never replayed; an interruption is rolled back by
 *       SQLite's journal), the WAL is checkpointed and truncated, and the result is
 *       <b>re-verified</b>: {@code integrity_check} {@code ok} and the profile (row counts,
 *       non-null counts, schema fingerprint, history version) equal to the manifest's, the two on
 *       parallel connections ({@link SqliteRestoreCheck}). sqlite-jdbc's restore returns success
 *       and restores nothing while another connection holds a write transaction (tested with
 *       3.54.1.0); the re-verification turns that into reason {@code RestoreNotVerified}. Since the
 *       restore reads the whole backup itself before touching anything, {@link
 *       #restoreChecksArchive} is true.
 *   <li><b>Failed copies</b> are full copies of the database beside it: {@code <db file
 *       name>.failed-<yyyyMMdd'T'HHmmss'Z'>} (UTC), with {@code -2}, {@code -3}, … for further
 *       restores in the same second, mode 0600. Nothing deletes them but {@link
 *       #pruneFailedCopies}, which the pipeline and {@code dbguard restore} call after a verified
 *       restore (keeping the newest 3 by default), so they cannot fill the volume.
 * </ul>
 *
 * <p>Writers (the application) must be stopped during backup and restore; dbguard cannot stop them,
 * but it detects the effects.
 */
public final class SqliteEngine implements DatabaseEngine {
  private final Path file;
  private final SqliteBackup backups;
  private final SqliteRestore restores;
  private final SqliteFailedCopies failedCopies;

  /**
   * @param target a SQLite target ({@link DatabaseTarget#sqliteFile()} set)
   * @throws IllegalArgumentException for a non-SQLite target
   */
  public SqliteEngine(DatabaseTarget target) {
    if (target.kind() != EngineKind.SQLITE) {
      throw new IllegalArgumentException("not a SQLite target: " + target);
    }
    this.file = target.sqliteFile();
    this.failedCopies = new SqliteFailedCopies(file);
    this.backups = new SqliteBackup(this);
    this.restores = new SqliteRestore(this, failedCopies);
  }

  /** The database file this engine works on (absolute). */
  public Path file() {
    return file;
  }

  @Override
  public EngineKind kind() {
    return EngineKind.SQLITE;
  }

  @Override
  public String displayName() {
    return file.toString();
  }

  @Override
  public boolean exists() {
    // a zero-byte file is a valid, empty SQLite database (SQLite "Database File Format"): it is
    // backed up and restored as one, never called missing
    return Files.isRegularFile(file);
  }

  @Override
  public DataProfile profile() {
    return profile(false);
  }

  @Override
  public DataProfile profile(boolean contentChecksums) {
    if (!exists()) {
      return new DataProfile(Map.of(), Sha256.ofString(""), null);
    }
    try (Connection c = open(file, false)) {
      return SqliteProfiler.profile(c, contentChecksums);
    } catch (SQLException e) {
      throw new DbguardException(
          "ConnectionFailed", "cannot read SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public BackupManifest backup(BackupRequest request, ProgressListener progress) {
    return backups.backup(request, progress);
  }

  @Override
  public void verify(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    SqliteBackupCheck.verify(backupFile, manifest, progress);
  }

  @Override
  public RestoreResult restore(
      Path backupFile, BackupManifest manifest, ProgressListener progress) {
    return restores.restore(backupFile, manifest, progress);
  }

  /**
   * True: {@link #restore} reads the whole backup (SHA-256 and {@code integrity_check}) before the
   * live file is written, so a separate {@link #verify} just before it would read it twice.
   */
  @Override
  public boolean restoreChecksArchive() {
    return true;
  }

  /**
   * Restores the database from a copy of its volume (a claim provisioned from a VolumeSnapshot):
   * the copy is checkpointed, checked and profiled ({@link SqliteCopy#read}), then restored exactly
   * as a backup is (backup API into the live file, the failed state kept as a failed copy, then
   * integrity and profile compared with the copy's) — except that the copy is not hashed and
   * checked a second time: the manifest the restore checks against was just made from it.
   *
   * @param copy the database file on the copy volume
   * @throws DbguardException {@code BackupCorrupt} (the copy is unusable, the database untouched),
   *     {@code RestoreFailed} or {@code RestoreNotVerified}
   */
  public RestoreResult restoreFromCopy(Path copy, ProgressListener progress) {
    SqliteCopy.Content content = SqliteCopy.read(copy, progress);
    return restores.restore(copy, content.asManifest(), progress, true);
  }

  /**
   * Renames the database file to {@code <db>.failed-<UTC stamp>} (the name a restore gives the
   * failed state, with {@code -2}, {@code -3}, … when taken, so failed-copy retention counts it)
   * and its {@code -wal}/{@code -shm}/{@code -journal} sidecars to the same name plus their suffix,
   * so SQLite still pairs them when someone opens the kept copy. Nothing is deleted.
   */
  @Override
  public String setAsideNew() {
    return restores.setAsideNew();
  }

  /**
   * The failed copies of this file, newest first: regular files (not symbolic links) in its
   * directory named {@code <file name>.failed-<yyyyMMdd'T'HHmmss'Z'>} with an optional {@code -N}
   * (N &ge; 2), whose stamp is a real UTC date and time, or such a name whose file is gone but
   * whose {@code -wal}, {@code -shm} or {@code -journal} is left.
   *
   * @return absolute paths
   * @throws DbguardException {@code FailedCopiesUnreadable} when the directory cannot be listed
   */
  @Override
  public List<String> failedCopies() {
    return failedCopies.failedCopies();
  }

  /**
   * Deletes the failed copies beyond the newest {@code keep} (see {@link
   * DatabaseEngine#pruneFailedCopies}): each file, then its {@code -wal}, {@code -shm} and {@code
   * -journal}. A file that cannot be deleted is reported in {@link FailedCopyPruning#problems()}.
   */
  @Override
  public FailedCopyPruning pruneFailedCopies(int keep) {
    return failedCopies.pruneFailedCopies(keep);
  }

  @Override
  public String manualRestoreCommand(Path backupFile) {
    return "sqlite3 "
        + shellQuote(file.toString())
        + " "
        + shellQuote(".restore " + sqliteQuote(backupFile.toAbsolutePath().toString()));
  }

  /** The canonical path and, when the file exists, its application id ({@link SqliteIdentity}). */
  @Override
  public Map<String, String> identity() {
    if (!exists()) {
      return SqliteIdentity.ofPath(file);
    }
    try (Connection c = open(file, false)) {
      return SqliteIdentity.of(file, c);
    } catch (SQLException e) {
      return SqliteIdentity.ofPath(file);
    }
  }

  @Override
  public boolean hasUserTables() {
    if (!exists()) {
      return false;
    }
    try (Connection c = open(file, false);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
      while (rs.next()) {
        String sql = rs.getString(1);
        if (sql == null || !isVirtual(sql)) {
          return true;
        }
      }
      return false;
    } catch (SQLException e) {
      throw new DbguardException(
          "ConnectionFailed", "cannot read SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  /** The sqlite-jdbc driver version, e.g. {@code 3.54.1.0}. */
  public static String driverVersion() {
    return SqliteFiles.driverVersion();
  }

  /** POSIX shell single-quoting. */
  public static String shellQuote(String s) {
    return SqliteFiles.shellQuote(s);
  }

  /** See {@link DatabaseEngine#writesAfterBackup}; done by {@link SqliteWritesAfterBackup}. */
  @Override
  public io.dbguard.core.engine.WritesAfterBackup writesAfterBackup(
      BackupManifest manifest, String failedCopy) {
    return SqliteWritesAfterBackup.measure(
        manifest, failedCopy == null ? file : Path.of(failedCopy), failedCopy);
  }
}
