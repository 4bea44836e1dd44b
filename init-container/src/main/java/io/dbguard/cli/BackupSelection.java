package io.dbguard.cli;

import java.nio.file.Path;
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

  /**
   * The selected backup.
   *
   * @throws io.dbguard.core.engine.DbguardException when none is given or found
   */
  Cli.Located locate() {
    return Cli.locate(manifest, backupDir, backup);
  }
}
