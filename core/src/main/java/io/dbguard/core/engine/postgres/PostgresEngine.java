package io.dbguard.core.engine.postgres;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.postgres.PostgresOptions.RestoreStrategy;
import io.dbguard.core.engine.postgres.PostgresOptions.VerifyMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL engine: {@code pg_dump} custom-format backups taken inside an exported snapshot,
 * verified by a full read, restored by replacing (never overlaying) the database. See {@code
 * docs/postgres.md} for the procedure, required privileges and the traps each step handles.
 *
 * <p>Facts relied on come from the PostgreSQL 15 manual pages "pg_dump", "pg_restore", "Snapshot
 * Synchronization Functions" ({@code pg_export_snapshot}), "ALTER DATABASE", "Server Signaling
 * Functions" ({@code pg_terminate_backend}) and "PostgreSQL Error Codes", each checked by the
 * engine tests against a real server.
 *
 * <p>Failures are {@link DbguardException}s with these reasons: {@code ToolMissing}, {@code
 * PgDumpTooOld}, {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code DatabaseMissing},
 * {@code LockTimeout}, {@code PermissionDenied}, {@code BackupDirectoryUnusable}, {@code
 * BackupStorageFull}, {@code BackupWriteFailed}, {@code BackupFailed}, {@code BackupCorrupt},
 * {@code RestoreFailed}, {@code RestoreNotVerified}, {@code DatabaseBusy}, {@code DatabaseError}.
 * No message contains a password.
 */
public final class PostgresEngine implements DatabaseEngine {
  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PostgresBackup backups;
  private final PostgresArchiveCheck archiveCheck;
  private final PostgresRestore restores;
  private final PostgresFailedCopies failedCopies;
  private final PostgresManualRestore manualRestore;
  private final PostgresCopyRestore copyRestore;

  /** Test seam: runs after the snapshot is exported and before pg_dump starts. */
  volatile Runnable afterSnapshotExport = () -> {};

  /**
   * @param target a PostgreSQL target ({@link DatabaseTarget#kind()} must be {@code POSTGRESQL})
   * @param options tools, compression, lock wait, restore strategy; {@code null} means {@link
   *     PostgresOptions#defaults()}
   * @throws IllegalArgumentException when the target is not PostgreSQL
   */
  public PostgresEngine(DatabaseTarget target, PostgresOptions options) {
    if (target == null || target.kind() != EngineKind.POSTGRESQL) {
      throw new IllegalArgumentException("PostgresEngine needs a PostgreSQL target: " + target);
    }
    this.target = target;
    this.options = options == null ? PostgresOptions.defaults() : options;
    this.ctx = new PgContext(target, this.options);
    this.archiveCheck = new PostgresArchiveCheck(ctx);
    this.backups = new PostgresBackup(ctx, archiveCheck, () -> afterSnapshotExport.run());
    this.restores = new PostgresRestore(ctx, archiveCheck);
    this.failedCopies = new PostgresFailedCopies(ctx);
    this.manualRestore = new PostgresManualRestore(ctx);
    this.copyRestore = new PostgresCopyRestore(ctx, restores);
  }

  /** The options in effect. */
  public PostgresOptions options() {
    return options;
  }

  @Override
  public EngineKind kind() {
    return EngineKind.POSTGRESQL;
  }

  @Override
  public String displayName() {
    return target.database();
  }

  /**
   * Whether the database exists: a session to it can be opened.
   *
   * @throws DbguardException {@code ConnectionFailed} or {@code AuthenticationFailed}
   */
  @Override
  public boolean exists() {
    try (Connection c = open(target, "dbguard-exists")) {
      return true;
    } catch (DbguardException e) {
      if ("DatabaseMissing".equals(e.reason())) {
        return false;
      }
      throw e;
    } catch (SQLException e) {
      return true;
    }
  }

  /**
   * Profiles the live database in one {@code REPEATABLE READ READ ONLY} transaction; an empty
   * profile when the database does not exist.
   *
   * @throws DbguardException {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code
   *     DatabaseError}
   */
  @Override
  public DataProfile profile() {
    return profile(false);
  }

  /**
   * As {@link #profile()}, with per-column content checksums when {@code contentChecksums} is set.
   *
   * @throws DbguardException as {@link #profile()}
   */
  @Override
  public DataProfile profile(boolean contentChecksums) {
    Connection c = openIfExists("dbguard-profile");
    if (c == null) {
      return new DataProfile(Map.of(), null, null);
    }
    try (c) {
      return PgContext.profileIn(c, contentChecksums);
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot profile " + target.redacted());
    }
  }

  /**
   * The identity read from the database ({@link PgIdentity}); for a database that does not exist,
   * what the URL names.
   */
  @Override
  public Map<String, String> identity() {
    Connection c = openIfExists("dbguard-identity");
    if (c == null) {
      return PgIdentity.ofTarget(target);
    }
    try (c) {
      return PgIdentity.of(target, c);
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot identify " + target.redacted());
    }
  }

  @Override
  public boolean hasUserTables() {
    Connection c = openIfExists("dbguard-profile");
    if (c == null) {
      return false;
    }
    try (c) {
      return !PgProfiler.userTables(c).isEmpty();
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot list the tables of " + target.redacted());
    }
  }

  /**
   * Takes the backup described in {@link DatabaseEngine#backup}: {@code pg_dump -Fc -Z<level>
   * --snapshot=<exported> --lock-wait-timeout=<ms>} while dbguard's own {@code REPEATABLE READ}
   * transaction (which exported the snapshot and holds {@code ACCESS SHARE} on every user table)
   * profiles the same snapshot; pg_dump's stdout is hashed, written to {@code
   * .<file>.<owner>.partial} (mode 0600) and, in {@link VerifyMode#STREAMING}, fed to {@code
   * pg_restore -f /dev/null} at the same time. The file is fsync'd, renamed, its directory fsync'd,
   * then the manifest is written. Progress phase {@code dump}, in bytes of the archive.
   *
   * @return the written manifest, {@code verifiedAt} set
   * @throws DbguardException {@code ToolMissing}, {@code PgDumpTooOld}, {@code ConnectionFailed},
   *     {@code AuthenticationFailed}, {@code DatabaseMissing}, {@code LockTimeout}, {@code
   *     BackupDirectoryUnusable}, {@code BackupStorageFull}, {@code BackupWriteFailed}, {@code
   *     BackupFailed}, {@code BackupCorrupt}; the partial file is removed in every case
   */
  @Override
  public BackupManifest backup(BackupRequest request, ProgressListener progress) {
    return backups.backup(request, progress);
  }

  /**
   * Checks size and SHA-256 against the manifest and reads the whole archive with {@code pg_restore
   * -f /dev/null}, all in one read of the file (the bytes are hashed while they are piped to
   * pg_restore). Progress phase {@code verify}.
   *
   * @throws DbguardException {@code BackupCorrupt} (missing, size or hash mismatch, unreadable
   *     archive), {@code ToolMissing}
   */
  @Override
  public void verify(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    archiveCheck.verify(backupFile, manifest, progress);
  }

  /**
   * Restores as described in {@link DatabaseEngine#restore} with the configured {@link
   * RestoreStrategy}. Progress phases {@code hash} then {@code restore} (bytes of the archive).
   *
   * <p>{@link RestoreStrategy#SWAP} keeps the replaced live database, renamed {@code
   * <db>_failed_<YYYYMMDD_HHMMSS>} (UTC; {@code _2}, {@code _3}, … when that name is taken; a long
   * live name shortened and tagged with a hash of the full name to fit 63 bytes, see {@link
   * PgNames}). It is a full copy on the same server: {@link #pruneFailedCopies} drops all but the
   * newest few, and the pipeline and {@code dbguard restore} call it after a verified restore
   * (keeping 3 by default).
   *
   * @return the verified profile and, for {@link RestoreStrategy#SWAP}, the name of the kept {@code
   *     <db>_failed_<YYYYMMDD_HHMMSS>} database (UTC)
   * @throws DbguardException {@code BackupCorrupt} (nothing was changed), {@code RestoreFailed}
   *     (pg_restore failed: SWAP leaves the live database untouched, CLEAN_IN_PLACE rolls back),
   *     {@code RestoreNotVerified}, {@code DatabaseBusy}, {@code ConnectionFailed}, {@code
   *     AuthenticationFailed}, {@code ToolMissing}
   */
  @Override
  public RestoreResult restore(
      Path backupFile, BackupManifest manifest, ProgressListener progress) {
    return restores.restore(backupFile, manifest, progress);
  }

  /**
   * Restores from a copy of the server's data directory (a claim provisioned from a VolumeSnapshot
   * of the database's volume): a private server is started on the copy ({@link
   * PgDataDirectoryCopy}), this database's name is dumped from it with {@code pg_dump -Fc} into a
   * 0700 {@code dbguard-restore-*} directory inside the copy and verified, the server is stopped,
   * then the dump is restored exactly as {@link #restore} does (swap: the replaced database kept as
   * {@code <db>_failed_…}) and the result verified against the copy's profile. The live server's
   * files are never touched; the dump is deleted afterwards.
   *
   * @param dataDir the copy's data directory (written to: the private server recovers it)
   * @return as {@link #restore}
   * @throws DbguardException {@code SnapshotUnusable} (not a data directory, WAL or tablespaces on
   *     other volumes, another major version, server did not start), and as {@link #backup} and
   *     {@link #restore}
   */
  public RestoreResult restoreFromCopy(Path dataDir, ProgressListener progress) {
    return copyRestore.restore(dataDir, progress);
  }

  /**
   * The profile of this database's name in a copy of the server's data directory, read from a
   * private server started on it ({@link PgDataDirectoryCopy}) and stopped again.
   *
   * @param dataDir the copy's data directory (written to: the private server recovers it)
   * @param contentChecksums whether to add per-column content checksums
   * @throws DbguardException {@code SnapshotUnusable}, and as {@link #profile()}
   */
  public DataProfile profileOfCopy(Path dataDir, boolean contentChecksums) {
    return copyRestore.profile(dataDir, contentChecksums);
  }

  /**
   * How the database's content in a copy of the data directory differs from the live database's
   * (tables, row and non-null counts, schema fingerprint, history), read from a private server on
   * the copy ({@link PgDataDirectoryCopy}); {@code null} when they are equal.
   *
   * @param dataDir the copy's data directory (written to: the private server recovers it)
   * @return a sentence naming the differences, or {@code null}
   * @throws DbguardException {@code SnapshotUnusable}, and as {@link #profile()}
   */
  public String differenceFromCopy(Path dataDir) {
    DataProfile copy = profileOfCopy(dataDir, false);
    List<String> d = PgProfileDiff.differences(profile(false), copy);
    return d.isEmpty() ? null : String.join("; ", d);
  }

  /**
   * {@code true} when the restore will be a {@link RestoreStrategy#SWAP}: it hashes the archive
   * beside {@code pg_restore --jobs}, which reads every entry, and swaps only after both succeeded.
   * Asks the server which strategy {@link RestoreStrategy#AUTO} resolves to.
   */
  @Override
  public boolean restoreChecksArchive() {
    return restores.chooseStrategy() == RestoreStrategy.SWAP;
  }

  /** See {@link DatabaseEngine#writesAfterBackup}; done by {@link PgWritesAfterBackup}. */
  @Override
  public io.dbguard.core.engine.WritesAfterBackup writesAfterBackup(
      BackupManifest manifest, String failedCopy) {
    return new PgWritesAfterBackup(ctx).measure(manifest, failedCopy);
  }

  /** The strategy {@link RestoreStrategy#AUTO} resolves to for this target and role. */
  public RestoreStrategy chooseStrategy() {
    return restores.chooseStrategy();
  }

  /**
   * The databases swap restores of this database renamed aside, newest first: {@code
   * <db>_failed_<yyyyMMdd_HHmmss>} (UTC) with {@code _2}, {@code _3}, … when a name was taken, a
   * long live name shortened and hashed exactly as the restore does ({@link PgNames}), and the
   * stamp a real date and time. Read from {@code pg_database} over a session on the maintenance
   * database.
   *
   * @return database names
   * @throws DbguardException {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code
   *     DatabaseMissing} (the maintenance database), {@code PermissionDenied}, {@code
   *     DatabaseError}
   */
  @Override
  public List<String> failedCopies() {
    return failedCopies.failedCopies();
  }

  /**
   * Drops the failed copies beyond the newest {@code keep} (see {@link
   * DatabaseEngine#pruneFailedCopies}) with {@code DROP DATABASE} from the maintenance database,
   * one at a time. It never ends other sessions: a copy someone is connected to (SQLSTATE 55006) or
   * that this role may not drop (42501, only its owner or a superuser may) is left and reported in
   * {@link FailedCopyPruning#problems()}.
   *
   * @throws DbguardException as {@link #failedCopies()}
   */
  @Override
  public FailedCopyPruning pruneFailedCopies(int keep) {
    return failedCopies.pruneFailedCopies(keep);
  }

  /**
   * A command line for a human (run with {@code PGPASSWORD} set or a {@code ~/.pgpass}; no password
   * in it) that this role can run: restore aside and swap ({@code createdb … && pg_restore … &&
   * psql … ALTER DATABASE …}) when a restore would swap, otherwise the in-place pipeline {@code {
   * printf … ; pg_restore -f - FILE; } | psql --single-transaction} (see {@link
   * PostgresManualRestore}).
   */
  @Override
  public String manualRestoreCommand(Path backupFile) {
    return manualRestore.manualRestoreCommand(backupFile);
  }

  private Connection open(DatabaseTarget t, String app) {
    return ctx.open(t, app);
  }

  private Connection openIfExists(String app) {
    return ctx.openIfExists(app);
  }
}
