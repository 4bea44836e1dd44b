package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.Engines;
import io.dbguard.core.engine.postgres.PostgresEngine;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import java.nio.file.Path;

/**
 * {@code --from-copy PATH} of {@code restore} and {@code verify-data}, {@code --copy PATH} of
 * {@code verify}: the reference is a copy of the database volume (the operator provisions a claim
 * from the VolumeSnapshot it took before the migration), not a dump with a manifest. SQLite: the
 * database file on the copy. PostgreSQL: the data directory on the copy, on which a private server
 * is started ({@code PgDataDirectoryCopy}).
 */
final class SnapshotCopy {
  private SnapshotCopy() {}

  /**
   * The live database's engine: a {@link SqliteEngine} or a {@link PostgresEngine}.
   *
   * @throws DbguardException reason {@code Usage} when a backup selection is given as well
   */
  static DatabaseEngine live(CommonOptions common, BackupSelection selection, Path copy) {
    if (selection.manifest != null || selection.backupDir != null || selection.backup != null) {
      throw new DbguardException(
          "Usage", "--from-copy " + copy + " is the reference; it takes no backup selection");
    }
    DatabaseTarget target = common.target();
    DatabaseEngine engine = Engines.open(target, selection.toolDir);
    if (!(engine instanceof SqliteEngine) && !(engine instanceof PostgresEngine)) {
      throw new DbguardException(
          "Usage", "--from-copy works for SQLite and PostgreSQL only; " + target.redacted());
    }
    return engine;
  }
}
