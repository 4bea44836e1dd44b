package io.dbguard.core.analysis;

import io.dbguard.core.analysis.guard.GuardResult;
import io.dbguard.core.analysis.guard.ProductionGuard;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.pipeline.PreflightAnalysis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The analyze step of {@code dbguard run} (docs/design.md §3): the production guard on the migrate
 * and seed commands (and the scripts they invoke), the lint of the pending migration files, and the
 * seed idempotency analysis that decides whether a seed may run on an existing database under
 * policy {@code IfIdempotent}.
 *
 * <p>Refusals are unacknowledged refuse findings and dangerous commands in a protected environment;
 * they block the run before the database is touched. With {@code enforce == false} ({@code --lint
 * Warn}) lint refusals are reported as warnings; the command guard is always enforced.
 */
public final class PreflightAnalyzer implements PreflightAnalysis {
  private final List<String> commands;
  private final List<Path> migrationPaths;
  private final List<Path> seedFiles;
  private final AnalysisOptions options;
  private final Collection<String> acknowledgedCommands;
  private final Path workingDirectory;
  private final boolean enforce;

  /**
   * @param commands the migrate and seed command lines (shell syntax); nulls are ignored
   * @param migrationPaths pending migration files or directories to lint; may be empty
   * @param seedFiles seed files to classify; may be empty (then the seed's idempotency is unknown)
   * @param options environment, dialect and reviewed acknowledgements (rule + file + SHA-256)
   * @param acknowledgedCommands dangerous commands the user explicitly acknowledged
   * @param workingDirectory where the commands run, to read the scripts they invoke; may be null
   * @param enforce whether lint refusals block the run ({@code false}: reported as warnings)
   */
  public PreflightAnalyzer(
      List<String> commands,
      List<Path> migrationPaths,
      List<Path> seedFiles,
      AnalysisOptions options,
      Collection<String> acknowledgedCommands,
      Path workingDirectory,
      boolean enforce) {
    this.commands = commands.stream().filter(Objects::nonNull).toList();
    this.migrationPaths = List.copyOf(migrationPaths);
    this.seedFiles = List.copyOf(seedFiles);
    this.options = options == null ? AnalysisOptions.defaults() : options;
    this.acknowledgedCommands = acknowledgedCommands == null ? List.of() : acknowledgedCommands;
    this.workingDirectory = workingDirectory;
    this.enforce = enforce;
  }

  /**
   * Runs the guard, the lint and the seed analysis.
   *
   * @throws DbguardException reason {@code AnalysisFailed} when a file cannot be read
   */
  @Override
  public Report analyze(Context context) {
    String environment = context.environment();
    List<String> refusals = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    ProductionGuard guard = new ProductionGuard();
    for (String command : commands) {
      GuardResult r = guard.check(command, environment, acknowledgedCommands, workingDirectory);
      if (!r.allowed()) {
        refusals.add(r.reason());
      } else if (r.matched()) {
        warnings.add(r.reason());
      }
    }
    // Each acknowledgement goes to the batch that holds its file, so that it is not reported as an
    // unused suppression (DBG902) by the other batch.
    List<Acknowledgement> seedAcks = new ArrayList<>();
    List<Acknowledgement> migrationAcks = new ArrayList<>();
    for (Acknowledgement a : options.acknowledgements()) {
      boolean forSeed = seedFiles.stream().anyMatch(f -> a.matchesPath(f.toString()));
      (forSeed ? seedAcks : migrationAcks).add(a);
    }
    Boolean seedIdempotent = null;
    try {
      if (!migrationPaths.isEmpty()) {
        collect(
            new Analyzer()
                .analyze(
                    migrationPaths,
                    new AnalysisOptions(environment, options.dialect(), migrationAcks)),
            refusals,
            warnings);
      }
      if (!seedFiles.isEmpty()) {
        // one analysis gives both the seed findings and each file's idempotency class
        AnalysisReport seedReport =
            new SeedAnalyzer()
                .analyze(seedFiles, new AnalysisOptions(environment, options.dialect(), seedAcks));
        collect(seedReport, refusals, warnings);
        boolean all = seedReport.seeds().size() >= seedFiles.size();
        if (!all) {
          warnings.add("a seed file is not one dbguard reads: its idempotency is unknown");
        }
        for (SeedClassification c : seedReport.seeds()) {
          if (!c.safeToRerun()) {
            all = false;
            warnings.add(
                "seed "
                    + Path.of(c.file()).getFileName()
                    + " is "
                    + c.idempotency()
                    + ": "
                    + c.reason());
          }
        }
        seedIdempotent = all;
      }
    } catch (IOException e) {
      throw new DbguardException(
          "AnalysisFailed", "cannot read migration or seed files: " + e.getMessage(), e);
    }
    return new Report(refusals, warnings, seedIdempotent);
  }

  private void collect(AnalysisReport report, List<String> refusals, List<String> warnings) {
    for (Finding f : report.findings()) {
      String text = f.ruleId() + " " + f.file() + ":" + f.line() + " " + f.message();
      if (f.blocking() && enforce) {
        refusals.add(text);
      } else if (f.acknowledged()) {
        warnings.add(
            text + " (" + (f.acknowledgedBy() == null ? "acknowledged" : f.acknowledgedBy()) + ")");
      } else {
        warnings.add(text);
      }
    }
  }
}
