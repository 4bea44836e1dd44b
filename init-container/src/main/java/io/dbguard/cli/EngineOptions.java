package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.Engines;
import io.dbguard.core.engine.postgres.PostgresOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Engine settings shared by the commands that take backups ({@code backup}, {@code run}): where the
 * PostgreSQL client tools are and how dumps are compressed. A picocli mixin.
 */
final class EngineOptions {
  @Option(
      names = "--tool-dir",
      paramLabel = "DIR",
      description = "Directory of pg_dump/pg_restore (default: $DBGUARD_PG_BIN_DIR, then PATH).")
  Path toolDir;

  @Option(
      names = "--compression-level",
      paramLabel = "0-9",
      description =
          "PostgreSQL only: gzip level of the dump (pg_dump --compress). 0 = none (fastest, file"
              + " about the size of the table data), 1 = default (fast), 9 = smallest (slowest)."
              + " Figures: docs/benchmarks-postgres.md.")
  Integer compressionLevel;

  /**
   * Opens the engine for {@code target} with these settings.
   *
   * @throws DbguardException reason {@code Usage} when {@code --compression-level} is outside 0..9
   *     or given for a SQLite database (whose backups are page copies, never compressed)
   */
  DatabaseEngine open(DatabaseTarget target) {
    return open(target, 0);
  }

  /**
   * As {@link #open(DatabaseTarget)} with {@code restoreJobs} parallel PostgreSQL restore jobs
   * ({@code 0} = auto).
   */
  DatabaseEngine open(DatabaseTarget target, int restoreJobs) {
    if (compressionLevel != null) {
      if (target.kind() != EngineKind.POSTGRESQL) {
        throw new DbguardException(
            "Usage",
            "--compression-level applies to PostgreSQL dumps only; SQLite backups are page copies");
      }
      if (compressionLevel < 0 || compressionLevel > 9) {
        throw new DbguardException(
            "Usage", "--compression-level must be 0..9, got " + compressionLevel);
      }
    }
    return Engines.open(target, postgresOptions().withRestoreJobs(restoreJobs));
  }

  /** The PostgreSQL settings these options give (tool directory, compression level). */
  PostgresOptions postgresOptions() {
    PostgresOptions pg = PostgresOptions.defaults().withToolDirectory(toolDir);
    return compressionLevel == null ? pg : pg.withCompressionLevel(compressionLevel);
  }
}
