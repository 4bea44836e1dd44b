package io.dbguard.cli;

import io.dbguard.core.backup.DatabaseIdentity;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.Engines;
import io.dbguard.core.engine.postgres.PostgresOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How {@code verify}, {@code restore} and {@code verify-data} pick a backup: {@code --manifest
 * PATH}, or {@code --backup-dir DIR} with {@code --backup NAME} (default: the newest verified
 * backup there), plus where the PostgreSQL client tools are.
 */
final class BackupSelection {
  @Option(names = "--manifest", paramLabel = "PATH", description = "The backup's manifest.")
  Path manifest;

  @Option(
      names = "--backup-dir",
      paramLabel = "DIR",
      description = "Backup directory (with --backup NAME, or the newest verified backup).")
  Path backupDir;

  @Option(names = "--backup", paramLabel = "NAME", description = "Backup name in --backup-dir.")
  String backup;

  @Option(
      names = "--tool-dir",
      paramLabel = "DIR",
      description = "Directory of pg_dump/pg_restore (default: DBGUARD_PG_BIN_DIR, then PATH).")
  Path toolDir;

  @Option(
      names = "--force-other-database",
      description =
          "Use a backup of another database than the one given by --database-url/DATABASE_URL"
              + " (a deliberate cross-restore or comparison). Without it such a backup is refused.")
  boolean forceOtherDatabase;

  /** A chosen backup and the engine of the database it is used with. */
  record Chosen(Cli.Located located, DatabaseEngine engine) {}

  /**
   * The selected backup and the database to use it with. With a database URL, only backups of that
   * database ({@link DatabaseIdentity#sameDatabase}) are chosen: the newest verified one of it in
   * {@code --backup-dir}, or the named one / {@code --manifest}, which is refused when it belongs
   * to another database unless {@code --force-other-database}. Without a URL (SQLite only) the
   * database is the one the manifest records.
   *
   * @param action what the backup is for, for the refusal message ({@code restore}, …)
   * @throws DbguardException reasons {@code Usage}, {@code ManifestUnreadable}, {@code
   *     BackupNotFound}, {@code BackupOfOtherDatabase}
   */
  Chosen choose(CommonOptions common, String action) {
    return choose(common, action, 0);
  }

  /**
   * As {@link #choose(CommonOptions, String)}, the PostgreSQL engine with {@code restoreJobs}
   * parallel restore jobs ({@code 0} = auto, see {@link PostgresOptions#resolvedRestoreJobs()}).
   */
  Chosen choose(CommonOptions common, String action, int restoreJobs) {
    PostgresOptions pg =
        PostgresOptions.defaults().withToolDirectory(toolDir).withRestoreJobs(restoreJobs);
    if (!common.hasDatabase()) {
      Cli.Located l = Cli.locate(manifest, backupDir, backup, null);
      return new Chosen(l, Engines.open(Cli.targetFor(common, l.manifest()), pg));
    }
    DatabaseEngine engine = Engines.open(common.target(), pg);
    Map<String, String> live = engine.identity();
    Cli.Located l =
        Cli.locate(
            manifest,
            backupDir,
            backup,
            forceOtherDatabase ? null : m -> DatabaseIdentity.sameDatabase(m, live));
    DatabaseIdentity.requireSameDatabase(l.manifest(), live, action, forceOtherDatabase);
    return new Chosen(l, engine);
  }
}
