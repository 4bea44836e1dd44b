package io.dbguard.cli;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dbguard seeds …}: seed-file commands. */
@Command(
    name = "seeds",
    mixinStandardHelpOptions = true,
    description = "Seed file analysis.",
    subcommands = {SeedsCommand.Check.class})
public class SeedsCommand {

  /**
   * {@code dbguard seeds check [PATH…] [--project DIR]}: classifies each seed file as idempotent /
   * non-idempotent / destructive / unknown. With {@code --project}, the seed files the application
   * loads for {@code --environment} are chosen ({@code db/seeds/<env>_seeds.rb}, {@code
   * db/<env>_seeds.rb}, {@code db/seeds.rb}, …).
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Classify seed files: idempotent, non-idempotent, destructive, unknown.")
  public static class Check extends AnalysisCli {

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "seed files or directories")
    List<Path> paths = new ArrayList<>();

    @Option(
        names = "--project",
        paramLabel = "DIR",
        description = "choose the seed files of this application for --environment")
    Path project;

    @Override
    AnalysisReport analyze(AnalysisOptions options) throws IOException {
      List<Path> all = new ArrayList<>(paths);
      if (project != null) {
        List<Path> chosen = SeedAnalyzer.seedFiles(project, environment);
        if (chosen.isEmpty()) {
          throw new NoSuchFileException(project.resolve("db/seeds.rb").toString());
        }
        all.addAll(chosen);
      }
      if (all.isEmpty()) {
        throw new IllegalArgumentException("give seed PATHs or --project DIR");
      }
      return new SeedAnalyzer().analyze(all, options);
    }
  }
}
