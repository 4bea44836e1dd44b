package io.dbguard.core.analysis;

import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.analysis.seed.SeedClassification;
import io.dbguard.core.report.ExitCode;
import java.util.List;

/**
 * The result of {@link Analyzer#analyze} / {@link
 * io.dbguard.core.analysis.seed.SeedAnalyzer#analyze}: every file read, every finding (acknowledged
 * ones included, marked), and the seed classification of each seed file.
 *
 * @param files in analysis order
 * @param findings in file order, then line order
 * @param seeds one classification per seed file (empty for migration-only runs)
 */
public record AnalysisReport(
    List<AnalyzedFile> files, List<Finding> findings, List<SeedClassification> seeds) {

  /** Unacknowledged refuse findings: these block a run (DESIGN §3 "analyze"). */
  public List<Finding> blocking() {
    return findings.stream().filter(Finding::blocking).toList();
  }

  /** Unacknowledged warn findings. */
  public List<Finding> warnings() {
    return findings.stream().filter(f -> !f.acknowledged() && f.verdict() == Verdict.WARN).toList();
  }

  /** Acknowledged findings (reported, never blocking). */
  public List<Finding> acknowledged() {
    return findings.stream().filter(Finding::acknowledged).toList();
  }

  /**
   * The process exit code: {@link ExitCode#REFUSED} (2) when something blocks; {@link
   * ExitCode#WARNINGS} (1) when {@code failOn} is {@link Verdict#WARN} and unacknowledged warnings
   * exist; else {@link ExitCode#OK} (0).
   */
  public ExitCode exitCode(Verdict failOn) {
    if (!blocking().isEmpty()) {
      return ExitCode.REFUSED;
    }
    if (failOn == Verdict.WARN && !warnings().isEmpty()) {
      return ExitCode.WARNINGS;
    }
    return ExitCode.OK;
  }
}
