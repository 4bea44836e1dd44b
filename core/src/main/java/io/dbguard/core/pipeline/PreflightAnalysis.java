package io.dbguard.core.pipeline;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.migrate.MigrationRunner;
import java.util.List;

/**
 * The hook for the analyze step (docs/design.md §3/§6): the migration and seed lint /
 * dangerous-command guard plugs in here. It runs before anything touches the database. The default
 * does nothing.
 */
@FunctionalInterface
public interface PreflightAnalysis {

  /**
   * What the analysis sees.
   *
   * @param target the database (use {@code redacted()} in messages)
   * @param environment environment name, e.g. {@code production}
   * @param migration the migration runner (its {@code describe()} is the command or directory)
   * @param seed the seed runner or null
   */
  record Context(
      DatabaseTarget target, String environment, MigrationRunner migration, MigrationRunner seed) {}

  /**
   * The verdict.
   *
   * @param refusals findings with verdict refuse that are not acknowledged: the run is blocked
   * @param warnings warn findings and acknowledged refusals, reported only
   * @param seedIdempotent whether the seed analysis found the seed idempotent; null when unknown
   */
  record Report(List<String> refusals, List<String> warnings, Boolean seedIdempotent) {
    /** Nothing found, nothing known about the seed. */
    public static final Report EMPTY = new Report(List.of(), List.of(), null);

    /** True when the run must stop before touching the database. */
    public boolean blocked() {
      return !refusals.isEmpty();
    }
  }

  /** Analyzes; must not touch the database's data. */
  Report analyze(Context context);

  /** No analysis. */
  PreflightAnalysis NONE = c -> Report.EMPTY;
}
