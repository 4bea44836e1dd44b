package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.Engines;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import java.nio.file.Path;

/**
 * {@code --from-copy PATH} of {@code restore} and {@code verify-data}: the reference is a SQLite
 * database file on a copy of the database volume (the operator provisions a claim from the
 * VolumeSnapshot it took before the migration), not a dump with a manifest.
 */
final class SnapshotCopy {
  private SnapshotCopy() {}

  /**
   * The live database's engine, which must be SQLite.
   *
   * @throws DbguardException reason {@code Usage} for PostgreSQL (snapshot copies are SQLite only)
   *     or when a backup selection is given as well
   */
  static SqliteEngine liveSqlite(CommonOptions common, BackupSelection selection, Path copy) {
    if (selection.manifest != null || selection.backupDir != null || selection.backup != null) {
      throw new DbguardException(
          "Usage", "--from-copy " + copy + " is the reference; it takes no backup selection");
    }
    DatabaseTarget target = common.target();
    DatabaseEngine engine = Engines.open(target, selection.toolDir);
    if (!(engine instanceof SqliteEngine sqlite)) {
      throw new DbguardException(
          "Usage",
          "--from-copy works for SQLite databases only (a copy of the volume the file lives on);"
              + " "
              + target.redacted()
              + " is not one");
    }
    return sqlite;
  }
}
