package io.dbguard.core.engine;

import io.dbguard.core.engine.postgres.PostgresEngine;
import io.dbguard.core.engine.postgres.PostgresOptions;
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
   * @return {@link SqliteEngine} or {@link PostgresEngine} (default {@link PostgresOptions}, with
   *     the tool directory when given)
   */
  public static DatabaseEngine open(DatabaseTarget target, Path toolDirectory) {
    return open(target, PostgresOptions.defaults().withToolDirectory(toolDirectory));
  }

  /**
   * The engine for a target with explicit PostgreSQL settings.
   *
   * @param target parsed database URL
   * @param postgres settings for a PostgreSQL target (tools, compression, restore strategy);
   *     ignored for SQLite
   * @return {@link SqliteEngine} or {@link PostgresEngine}
   */
  public static DatabaseEngine open(DatabaseTarget target, PostgresOptions postgres) {
    return switch (target.kind()) {
      case SQLITE -> new SqliteEngine(target);
      case POSTGRESQL -> new PostgresEngine(target, postgres);
    };
  }
}
