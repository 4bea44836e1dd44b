package io.dbguard.core.migrate;

import io.dbguard.core.engine.DatabaseTarget;
import java.util.function.Consumer;

/**
 * Something that changes a database: the application's migration or seed command ({@link
 * CommandRunner}), or the built-in SQL directory runner ({@link FlywayRunner}).
 *
 * <p>Failures are {@link io.dbguard.core.engine.DbguardException}s with reason {@code
 * MigrationFailed} (non-zero exit, SQL error), {@code MigrationTimeout}, {@code CommandNotFound},
 * {@code SchemaConflict} ("table already exists": the message carries the exact command to
 * baseline) or {@code Terminated} (aborted by {@link #abort()}).
 */
public interface MigrationRunner {
  /** A short description for logs, without secrets, e.g. {@code bundle exec rake db:migrate}. */
  String describe();

  /**
   * Runs to completion.
   *
   * @param target the database (its secret URL goes only into the child's environment or JDBC
   *     properties)
   * @param output receives each output line (already redacted of the database password)
   * @return a one-line summary, e.g. {@code 3 migrations applied, now at version 4}
   */
  String run(DatabaseTarget target, Consumer<String> output);

  /**
   * Stops a run in progress from another thread (used on SIGTERM): kills the child process tree.
   * Returns at once; {@link #run} then fails with reason {@code Terminated}. Default: no-op.
   */
  default void abort() {}
}
