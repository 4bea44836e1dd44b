package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The restore command line dbguard prints for a human to run by hand. */
final class PostgresManualRestore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  PostgresManualRestore(PgContext ctx) {
    this.ctx = ctx;
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

  // ---------------------------------------------------------------- manual command

  /**
   * The command line for a human (run with {@code PGPASSWORD} set or a {@code ~/.pgpass}; no
   * password in it) for the strategy a restore of this database would use ({@link
   * PostgresRestore#chooseStrategy}): {@link #swapCommand} when the role may create databases,
   * otherwise {@link #inPlaceCommand}, which needs no privilege beyond owning the database's
   * objects. When the in-place command cannot be prepared (no connection) the swap command is
   * printed.
   */
  String manualRestoreCommand(Path backupFile) {
    if (new PostgresRestore(ctx, new PostgresArchiveCheck(ctx)).chooseStrategy()
        == PostgresOptions.RestoreStrategy.CLEAN_IN_PLACE) {
      try {
        return inPlaceCommand(backupFile);
      } catch (SQLException | io.dbguard.core.engine.DbguardException e) {
        LOG.warn(
            "cannot prepare the in-place manual restore of {}; printing the swap command: {}",
            target.redacted(),
            PgConnections.clean(String.valueOf(e.getMessage()), target));
      }
    }
    return swapCommand(backupFile);
  }

  /**
   * The in-place restore as a shell pipeline, exactly what dbguard's own in-place restore does:
   *
   * <pre>
   * { printf '%s\n' '&lt;prelude&gt;'; pg_restore [--no-owner] [--no-privileges] -f - FILE
   *   || printf '%s\n' '&lt;abort&gt;'; } | psql … -d db --no-psqlrc -v ON_ERROR_STOP=1
   *   --single-transaction -f -
   * </pre>
   *
   * The prelude ({@link PgCleanSlate}) drops the user schemas and unlinks the large objects; all of
   * it runs in one transaction, and a failure of pg_restore or of any statement rolls everything
   * back.
   */
  String inPlaceCommand(Path backupFile) throws SQLException {
    String prelude;
    PgArchive.RestoreFlags flags;
    try (Connection c = open(target, "dbguard-manual-restore")) {
      boolean superuser = "on".equals(PgContext.scalar(c, "SHOW is_superuser"));
      prelude = PgCleanSlate.prelude(c);
      flags = new PgArchive(ctx).restoreFlags(c, backupFile, tools.locate("pg_restore"), superuser);
    }
    StringBuilder restore = new StringBuilder("pg_restore");
    for (String f : flags.args()) {
      restore.append(' ').append(sh(f));
    }
    return "{ printf '%s\\n' "
        + sh(prelude)
        + "; "
        + restore
        + " -f - "
        + sh(backupFile.toAbsolutePath().toString())
        + " || printf '%s\\n' "
        + sh(PgCleanSlate.ABORT.strip())
        + "; } | psql "
        + conn()
        + " -d "
        + sh(target.database())
        + " --no-psqlrc -v ON_ERROR_STOP=1 --single-transaction -f -";
  }

  private String conn() {
    return "-h "
        + sh(target.host())
        + " -p "
        + target.port()
        + (target.user() == null ? "" : " -U " + sh(target.user()));
  }

  /**
   * A restore-aside-and-swap command line for a human (run with {@code PGPASSWORD} set or a {@code
   * ~/.pgpass}; no password in it):
   *
   * <pre>
   * createdb … -T template0 db_restore &amp;&amp; pg_restore … -d db_restore --single-transaction
   *   --exit-on-error FILE &amp;&amp; psql … -d postgres -c 'ALTER DATABASE …' -c 'ALTER DATABASE …'
   * </pre>
   */
  String swapCommand(Path backupFile) {
    String conn = conn();
    String db = target.database();
    String aside = PgNames.derived(db, "_restore");
    String failed = PgNames.derived(db, "_failed");
    return "createdb "
        + conn
        + " -T template0 "
        + sh(aside)
        + " && pg_restore "
        + conn
        + " -d "
        + sh(aside)
        + " --single-transaction --exit-on-error "
        + sh(backupFile.toAbsolutePath().toString())
        + " && psql "
        + conn
        + " -d "
        + sh(options.maintenanceDatabase())
        + " -c "
        + sh(
            "ALTER DATABASE "
                + PgProfiler.quoteIdent(db)
                + " RENAME TO "
                + PgProfiler.quoteIdent(failed))
        + " -c "
        + sh(
            "ALTER DATABASE "
                + PgProfiler.quoteIdent(aside)
                + " RENAME TO "
                + PgProfiler.quoteIdent(db));
  }

  private static String sh(String s) {
    if (s.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
