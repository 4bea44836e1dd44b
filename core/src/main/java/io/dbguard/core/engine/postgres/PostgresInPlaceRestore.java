package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.scalar;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PostgresOptions.RestoreStrategy#CLEAN_IN_PLACE} restore for a role that may not create
 * databases: every user schema is dropped, every large object unlinked ({@link PgCleanSlate}) and
 * the archive replayed by {@code psql} in one transaction, so a failure rolls everything back.
 */
final class PostgresInPlaceRestore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;
  private final PgArchive archive;

  PostgresInPlaceRestore(PgContext ctx) {
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
    Path psql = tools.locate("psql");
    StringBuilder prelude = new StringBuilder();
    boolean superuser;
    PgArchive.RestoreFlags flags;
    try (Connection c = open(target, "dbguard-restore")) {
      superuser = "on".equals(scalar(c, "SHOW is_superuser"));
      flags = archive.restoreFlags(c, file, pgRestore, superuser);
      prelude.append(PgCleanSlate.prelude(c));
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "restore of " + target.redacted() + " failed");
    }
    List<String> dumpCmd = new ArrayList<>();
    dumpCmd.add(pgRestore.toString());
    dumpCmd.add("--file=-");
    dumpCmd.addAll(flags.args());
    List<String> psqlCmd =
        List.of(
            psql.toString(),
            "--no-psqlrc",
            "--quiet",
            "--no-password",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            "--file=-");
    try (ToolProcess sqlGen =
            ToolProcess.start("pg_restore", dumpCmd, null, options.connectTimeoutSeconds(), false);
        ToolProcess applier =
            ToolProcess.start("psql", psqlCmd, target, options.connectTimeoutSeconds(), true)) {
      Thread feeder =
          new Thread(
              () -> {
                try (OutputStream out = sqlGen.stdin()) {
                  ArchiveStreams.readFile(file, out, pl, "restore");
                } catch (IOException | DbguardException ignored) {
                  // reported through pg_restore's exit code
                }
              },
              "dbguard-restore-feed");
      feeder.setDaemon(true);
      feeder.start();
      boolean applierFailed = false;
      try (OutputStream toPsql = applier.stdin();
          InputStream sql = sqlGen.stdout()) {
        toPsql.write(prelude.toString().getBytes(StandardCharsets.UTF_8));
        sql.transferTo(toPsql);
        if (sqlGen.waitFor() != 0) {
          // the archive's SQL ended early: make psql roll back instead of committing a part
          toPsql.write(PgCleanSlate.ABORT.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        applierFailed = true;
        sqlGen.close();
      }
      int genRc = sqlGen.waitFor();
      int rc = applier.waitFor();
      if (rc != 0 || applierFailed || genRc != 0) {
        throw new DbguardException(
            "RestoreFailed",
            "in-place restore of "
                + target.redacted()
                + " failed and was rolled back (the database is still in its migrated state):"
                + " psql exit "
                + rc
                + ": "
                + applier.stderr()
                + (genRc != 0 ? " / pg_restore exit " + genRc + ": " + sqlGen.stderr() : ""));
      }
    }
    DataProfile after = ctx.profileOf(target, manifest.profile().hasContentChecksums());
    PgProfileDiff.requireEqual(
        manifest.profile(), after, target.database() + " after the in-place restore");
    return new RestoreResult(after, null, (System.nanoTime() - t0) / 1_000_000);
  }
}
