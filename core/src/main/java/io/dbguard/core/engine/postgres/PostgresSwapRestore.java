package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.exec;
import static io.dbguard.core.engine.postgres.PgContext.scalar;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PostgresOptions.RestoreStrategy#SWAP} restore: the backup is restored into a new
 * database {@code <db>_restore_<stamp>}, verified there, and swapped in by two renames in one
 * transaction; the replaced database is kept as {@code <db>_failed_<stamp>}.
 */
final class PostgresSwapRestore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;
  private final PgArchive archive;

  PostgresSwapRestore(PgContext ctx) {
    this.ctx = ctx;
    this.target = ctx.target();
    this.options = ctx.options();
    this.tools = ctx.tools();
    this.archive = new PgArchive(ctx);
  }

  private Connection open(DatabaseTarget t, String app) {
    return ctx.open(t, app);
  }

  private Connection openMaintenance(String app) {
    return ctx.openMaintenance(app);
  }

  RestoreResult restore(
      Path file, BackupManifest manifest, Path pgRestore, ProgressListener pl, long t0) {
    String live = target.database();
    String ts = PgNames.STAMP.format(Instant.now());
    String restoreDb;
    String failedDb;
    try (Connection m = openMaintenance("dbguard-restore")) {
      restoreDb = PgNames.freeName(m, live, "_restore_" + ts);
      failedDb = PgNames.freeName(m, live, "_failed_" + ts);
      boolean superuser = "on".equals(scalar(m, "SHOW is_superuser"));
      String owner = null;
      StringBuilder create =
          new StringBuilder("CREATE DATABASE ")
              .append(PgProfiler.quoteIdent(restoreDb))
              .append(" TEMPLATE template0");
      boolean liveExists = false;
      try (PreparedStatement ps =
          m.prepareStatement(
              "SELECT pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate,"
                  + " d.datctype, d.datlocprovider::text, d.daticulocale,"
                  + " pg_has_role(d.datdba, 'MEMBER') FROM pg_database d WHERE d.datname = ?")) {
        ps.setString(1, live);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            liveExists = true;
            owner = rs.getString(1);
            create.append(" ENCODING ").append(PgProfiler.quoteLiteral(rs.getString(2)));
            create.append(" LC_COLLATE ").append(PgProfiler.quoteLiteral(rs.getString(3)));
            create.append(" LC_CTYPE ").append(PgProfiler.quoteLiteral(rs.getString(4)));
            if ("i".equals(rs.getString(5)) && rs.getString(6) != null) {
              create
                  .append(" LOCALE_PROVIDER icu ICU_LOCALE ")
                  .append(PgProfiler.quoteLiteral(rs.getString(6)));
            }
            if (superuser || rs.getBoolean(7)) {
              create.append(" OWNER ").append(PgProfiler.quoteIdent(owner));
            }
          }
        }
      }
      exec(m, create.toString());
      boolean swapped = false;
      try {
        PgArchive.RestoreFlags flags = archive.restoreFlags(m, file, pgRestore, superuser);
        int jobs = options.resolvedRestoreJobs();
        List<String> cmd = new ArrayList<>();
        cmd.add(pgRestore.toString());
        cmd.add("--dbname=" + restoreDb);
        // no --single-transaction: the aside database is invisible until the rename, which is
        // the atomic step, and --jobs needs separate sessions (pg_restore manual page)
        cmd.add("--jobs=" + jobs);
        cmd.add("--exit-on-error");
        cmd.add("--no-password");
        cmd.addAll(flags.args());
        cmd.add(file.toString());
        runRestoreTool(cmd, target.withDatabase(restoreDb), file, manifest, pl);

        DataProfile restored =
            PgParallelProfile.profile(
                ctx,
                target.withDatabase(restoreDb),
                jobs,
                manifest.profile().hasContentChecksums());
        PgProfileDiff.requireEqual(
            manifest.profile(), restored, restoreDb + " (restored aside, not swapped in)");

        for (String sql : archive.databaseProperties(file, pgRestore, restoreDb, superuser)) {
          try {
            exec(m, sql);
          } catch (SQLException e) {
            LOG.warn(
                "restore {}: could not re-apply database property ({}): {}",
                target.redacted(),
                PgContext.firstWords(sql),
                PgConnections.clean(e.getMessage(), target));
          }
        }
        String verifiedOid = oidOf(m, restoreDb);
        swap(m, live, liveExists ? failedDb : null, restoreDb);
        swapped = true;
        // the rename moves the database, not its data: the live name now refers to the database
        // just verified (same OID), so its profile is the one above; profiling it again would
        // only repeat the same scans
        String liveOid = oidOf(m, live);
        if (!verifiedOid.equals(liveOid)) {
          throw new DbguardException(
              "RestoreNotVerified",
              live + " is not the database verified as " + restoreDb + " after the swap");
        }
        return new RestoreResult(
            restored, liveExists ? failedDb : null, (System.nanoTime() - t0) / 1_000_000);
      } finally {
        if (!swapped) {
          ctx.dropQuietly(m, restoreDb);
        }
      }
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "restore of " + target.redacted() + " failed");
    }
  }

  private void swap(Connection m, String live, String failedDb, String restoreDb)
      throws SQLException {
    SQLException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try (PreparedStatement ps =
          m.prepareStatement(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN (?, ?)"
                  + " AND pid <> pg_backend_pid()")) {
        ps.setString(1, live);
        ps.setString(2, restoreDb);
        ps.execute();
      }
      m.setAutoCommit(false);
      try (Statement st = m.createStatement()) {
        // Both renames in one transaction: the app sees the old or the new database, never
        // none ("ALTER DATABASE" manual page: renaming needs no other session connected).
        if (failedDb != null) {
          st.execute(
              "ALTER DATABASE "
                  + PgProfiler.quoteIdent(live)
                  + " RENAME TO "
                  + PgProfiler.quoteIdent(failedDb));
        }
        st.execute(
            "ALTER DATABASE "
                + PgProfiler.quoteIdent(restoreDb)
                + " RENAME TO "
                + PgProfiler.quoteIdent(live));
        m.commit();
        return;
      } catch (SQLException e) {
        m.rollback();
        last = e;
        if (!"55006".equals(e.getSQLState())) {
          throw e;
        }
      } finally {
        m.setAutoCommit(true);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new DbguardException(
        "DatabaseBusy",
        "could not swap the restored database in: sessions keep reconnecting to "
            + live
            + " (stop the application first): "
            + (last == null ? "" : PgConnections.clean(last.getMessage(), target)),
        last);
  }

  private static String oidOf(Connection m, String db) throws SQLException {
    try (PreparedStatement ps =
        m.prepareStatement("SELECT oid::text FROM pg_database WHERE datname = ?")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }

  /**
   * Runs {@code pg_restore --jobs} on the archive file while {@link PgBackgroundHash} checks the
   * same file's size and SHA-256 on another thread; returns only when both succeeded. A hash that
   * does not match stops pg_restore at once and wins over any pg_restore error ({@code
   * BackupCorrupt}); a pg_restore failure on an archive it cannot read is {@code BackupCorrupt}
   * too, any other is {@code RestoreFailed}. Either way the caller drops the aside database.
   */
  private void runRestoreTool(
      List<String> cmd,
      DatabaseTarget db,
      Path file,
      BackupManifest manifest,
      ProgressListener pl) {
    try (ToolProcess p =
        ToolProcess.start("pg_restore", cmd, db, options.connectTimeoutSeconds(), true)) {
      PgBackgroundHash hash =
          PgBackgroundHash.start(file, manifest, pl, () -> p.process().destroy());
      ArchiveStreams.closeQuietly(p.stdin());
      int rc = p.waitFor();
      hash.require();
      if (rc != 0) {
        String err = p.stderr();
        throw new DbguardException(
            unreadableArchive(err) ? "BackupCorrupt" : "RestoreFailed",
            "pg_restore into "
                + db.database()
                + " failed (exit "
                + rc
                + "); it restored aside, so the aside database is dropped and the live database"
                + " was not touched: "
                + err);
      }
      long size = manifest.sizeBytes();
      pl.progress("restore", size, size);
    }
  }

  /** pg_restore's messages for an archive it cannot read (pg_backup_custom.c and friends). */
  static boolean unreadableArchive(String stderr) {
    String s = stderr.toLowerCase(java.util.Locale.ROOT);
    return s.contains("could not read input file")
        || s.contains("could not read from input file")
        || s.contains("could not uncompress data")
        || s.contains("unexpected end of file")
        || s.contains("unrecognized data block type")
        || s.contains("could not find block id")
        || s.contains("did not find magic string")
        || s.contains("unsupported version")
        || s.contains("corrupt");
  }
}
