package io.dbguard.core.engine.postgres;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.postgres.PostgresOptions.RestoreStrategy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a PostgreSQL backup with the configured strategy: {@link PostgresSwapRestore} (restore
 * aside, then swap) or {@link PostgresInPlaceRestore}. Part of {@link PostgresEngine}; see {@link
 * PostgresEngine#restore}.
 */
final class PostgresRestore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  private final PostgresArchiveCheck archiveCheck;

  PostgresRestore(PgContext ctx, PostgresArchiveCheck archiveCheck) {
    this.ctx = ctx;
    this.archiveCheck = archiveCheck;
    this.target = ctx.target();
    this.options = ctx.options();
    this.tools = ctx.tools();
  }

  private Connection open(DatabaseTarget t, String app) {
    return ctx.open(t, app);
  }

  private Connection openMaintenance(String app) {
    return ctx.openMaintenance(app);
  }

  // ---------------------------------------------------------------- restore

  /**
   * Restores as described in {@link DatabaseEngine#restore} with the configured {@link
   * RestoreStrategy}. Progress phases {@code hash} then {@code restore} (bytes of the archive); for
   * {@link RestoreStrategy#SWAP} the hash runs on its own thread while {@code pg_restore --jobs N}
   * ({@link PostgresOptions#resolvedRestoreJobs()}) restores the file into the aside database, and
   * the aside database is profiled by N sessions in one snapshot ({@link PgParallelProfile});
   * nothing is swapped in unless the hash matched and the profile equals the manifest's.
   *
   * <p>{@link RestoreStrategy#SWAP} keeps the replaced live database, renamed {@code
   * <db>_failed_<YYYYMMDD_HHMMSS>} (UTC; {@code _2}, {@code _3}, … when that name is taken; a long
   * live name shortened and tagged with a hash of the full name to fit 63 bytes, see {@link
   * PgNames}). It is a full copy on the same server: {@link PostgresEngine#pruneFailedCopies} drops
   * all but the newest few, and the pipeline and {@code dbguard restore} call it after a verified
   * restore (keeping 3 by default).
   *
   * @return the verified profile and, for {@link RestoreStrategy#SWAP}, the name of the kept {@code
   *     <db>_failed_<YYYYMMDD_HHMMSS>} database (UTC)
   * @throws DbguardException {@code BackupCorrupt} (nothing was changed), {@code RestoreFailed}
   *     (pg_restore failed: SWAP leaves the live database untouched, CLEAN_IN_PLACE rolls back),
   *     {@code RestoreNotVerified}, {@code DatabaseBusy}, {@code ConnectionFailed}, {@code
   *     AuthenticationFailed}, {@code ToolMissing}
   */
  RestoreResult restore(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
    long t0 = System.nanoTime();
    // cheap refusal first; SWAP checks the SHA-256 beside the restore (PostgresSwapRestore)
    archiveCheck.requireSize(backupFile, manifest);
    RestoreStrategy strategy = chooseStrategy();
    if (strategy != RestoreStrategy.SWAP) {
      archiveCheck.requireHash(backupFile, manifest, pl);
    }
    Path pgRestore = tools.locate("pg_restore");
    LOG.info("restore {}: strategy {}", target.redacted(), strategy.displayName());
    RestoreResult r =
        strategy == RestoreStrategy.SWAP
            ? new PostgresSwapRestore(ctx).restore(backupFile, manifest, pgRestore, pl, t0)
            : new PostgresInPlaceRestore(ctx).restore(backupFile, manifest, pgRestore, pl, t0);
    LOG.info("restore {}: verified, kept failed state as {}", target.redacted(), r.keptFailedAs());
    return r;
  }

  /** The strategy {@link RestoreStrategy#AUTO} resolves to for this target and role. */
  RestoreStrategy chooseStrategy() {
    if (options.restoreStrategy() != RestoreStrategy.AUTO) {
      return options.restoreStrategy();
    }
    try (Connection c =
            open(target.withDatabase(options.maintenanceDatabase()), "dbguard-restore");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT r.rolsuper OR (r.rolcreatedb AND coalesce((SELECT pg_has_role(d.datdba,"
                    + " 'MEMBER') FROM pg_database d WHERE d.datname = ?), true)) FROM pg_roles r"
                    + " WHERE r.rolname = current_user")) {
      ps.setString(1, target.database());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1)
            ? RestoreStrategy.SWAP
            : RestoreStrategy.CLEAN_IN_PLACE;
      }
    } catch (DbguardException e) {
      // The maintenance database may be closed to this role (pg_hba, CONNECT privilege): when the
      // target itself is reachable, restore in place; otherwise report the target's error.
      try (Connection c = open(target, "dbguard-restore")) {
        return RestoreStrategy.CLEAN_IN_PLACE;
      } catch (SQLException ignored) {
        return RestoreStrategy.CLEAN_IN_PLACE;
      }
    } catch (SQLException e) {
      return RestoreStrategy.CLEAN_IN_PLACE;
    }
  }
}
