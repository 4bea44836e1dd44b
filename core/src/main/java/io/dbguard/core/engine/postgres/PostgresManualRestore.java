package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import java.nio.file.Path;
import java.sql.Connection;
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
   * A restore-aside-and-swap command line for a human (run with {@code PGPASSWORD} set or a {@code
   * ~/.pgpass}; no password in it):
   *
   * <pre>
   * createdb … -T template0 db_restore &amp;&amp; pg_restore … -d db_restore --single-transaction
   *   --exit-on-error FILE &amp;&amp; psql … -d postgres -c 'ALTER DATABASE …' -c 'ALTER DATABASE …'
   * </pre>
   */
  String manualRestoreCommand(Path backupFile) {
    String conn =
        "-h "
            + sh(target.host())
            + " -p "
            + target.port()
            + (target.user() == null ? "" : " -U " + sh(target.user()));
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
