package io.dbguard.core.plan;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.engine.DatabaseTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * What {@link Planner#plan} plans: the same migration source {@code dbguard run} would be given.
 *
 * @param target the database
 * @param sqlDirs Flyway directories, or empty when a migration command is given
 * @param migrateCommand the application's migration command, or null with {@code sqlDirs}
 * @param planCommand the read-only listing command to run instead of the one derived from {@code
 *     migrateCommand} (see {@link Framework}), or null
 * @param workingDirectory where the commands run and where pending files are looked for; null = the
 *     current directory
 * @param listingTimeout the listing command's wall-clock limit; null or zero = {@link
 *     #DEFAULT_LISTING_TIMEOUT}
 * @param analysis environment, dialect and acknowledged findings for the analysis
 * @param acknowledgedCommands dangerous commands acknowledged for the production guard
 */
public record PlanRequest(
    DatabaseTarget target,
    List<Path> sqlDirs,
    String migrateCommand,
    String planCommand,
    Path workingDirectory,
    Duration listingTimeout,
    AnalysisOptions analysis,
    Collection<String> acknowledgedCommands) {

  /** Limit on the listing command when none is given: 300 s. */
  public static final Duration DEFAULT_LISTING_TIMEOUT = Duration.ofSeconds(300);

  public PlanRequest {
    sqlDirs = sqlDirs == null ? List.of() : List.copyOf(sqlDirs);
    listingTimeout =
        listingTimeout == null || listingTimeout.isZero()
            ? DEFAULT_LISTING_TIMEOUT
            : listingTimeout;
    analysis = analysis == null ? AnalysisOptions.defaults() : analysis;
    acknowledgedCommands =
        acknowledgedCommands == null ? List.of() : List.copyOf(acknowledgedCommands);
    workingDirectory =
        (workingDirectory == null ? Path.of("") : workingDirectory).toAbsolutePath().normalize();
  }

  /** The environment the plan is for ({@code production} when none was given). */
  public String environment() {
    return analysis.environment() == null ? "production" : analysis.environment();
  }
}
