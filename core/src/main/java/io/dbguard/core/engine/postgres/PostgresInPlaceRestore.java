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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PostgresOptions.RestoreStrategy#CLEAN_IN_PLACE} restore for a role that may not create
 * databases: every user schema is dropped and the archive replayed by {@code psql} in one
 * transaction, so a failure rolls everything back.
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
      prelude.append("SET client_min_messages = warning;\n");
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT n.nspname, pg_get_userbyid(n.nspowner),"
                      + " obj_description(n.oid, 'pg_namespace') FROM pg_namespace n WHERE"
                      + " n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' AND"
                      + " NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid ="
                      + " 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')"
                      + " ORDER BY 1")) {
        while (rs.next()) {
          prelude
              .append("DROP SCHEMA ")
              .append(PgProfiler.quoteIdent(rs.getString(1)))
              .append(" CASCADE;\n");
          if ("public".equals(rs.getString(1))) {
            // pg_dump does not emit CREATE SCHEMA public (it exists in every new database), so
            // recreate it as it was: owner, privileges, comment.
            prelude
                .append("CREATE SCHEMA public AUTHORIZATION ")
                .append(PgProfiler.quoteIdent(rs.getString(2)))
                .append(";\n");
            if (rs.getString(3) != null) {
              prelude
                  .append("COMMENT ON SCHEMA public IS ")
                  .append(PgProfiler.quoteLiteral(rs.getString(3)))
                  .append(";\n");
            }
          }
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE"
                      + " quote_ident(pg_get_userbyid(a.grantee)) END, a.privilege_type FROM"
                      + " pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND"
                      + " a.grantee <> n.nspowner")) {
        while (rs.next()) {
          prelude
              .append("GRANT ")
              .append(rs.getString(2))
              .append(" ON SCHEMA public TO ")
              .append(rs.getString(1))
              .append(";\n");
        }
      }
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
    DataProfile after = ctx.profileOf(target);
    PgProfileDiff.requireEqual(
        manifest.profile(), after, target.database() + " after the in-place restore");
    return new RestoreResult(after, null, (System.nanoTime() - t0) / 1_000_000);
  }
}
