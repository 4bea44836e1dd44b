package io.dbguard.core.engine;

import io.dbguard.core.engine.sqlite.SqliteEngine;
import java.nio.file.Path;

/** Opens the engine for a target. */
public final class Engines {
  private Engines() {}

  /**
   * The engine for a target.
   *
   * @param target parsed database URL
   * @param toolDirectory directory of the PostgreSQL client tools ({@code pg_dump}, {@code
   *     pg_restore}), or null to use {@code PATH}; ignored for SQLite
   * @throws DbguardException reason {@code EngineUnavailable} when the engine is not built in
   */
  public static DatabaseEngine open(DatabaseTarget target, Path toolDirectory) {
    return switch (target.kind()) {
      case SQLITE -> new SqliteEngine(target);
      case POSTGRESQL ->
          new io.dbguard.core.engine.postgres.PostgresEngine(
              target,
              toolDirectory == null
                  ? io.dbguard.core.engine.postgres.PostgresOptions.defaults()
                  : io.dbguard.core.engine.postgres.PostgresOptions.defaults()
                      .withToolDirectory(toolDirectory));
    };
  }
}
