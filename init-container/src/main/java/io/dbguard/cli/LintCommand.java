package io.dbguard.cli;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.Analyzer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dbguard lint PATH…}: analyses pending migration files (SQL, Flyway, golang-migrate, Rails,
 * Django; seed files among them as seeds) as one batch. See {@code docs/rules.md}.
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = "Lint migration files: refuse data loss, warn on locks and rewrites.")
public class LintCommand extends AnalysisCli {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "migration files or directories")
  List<Path> paths;

  @Override
  AnalysisReport analyze(AnalysisOptions options) throws IOException {
    return new Analyzer().analyze(paths, options);
  }
}
