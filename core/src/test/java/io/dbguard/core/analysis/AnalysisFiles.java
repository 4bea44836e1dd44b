package io.dbguard.core.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Migration files written for analysis tests, and what the analyzer finds in one of them. */
final class AnalysisFiles {
  private AnalysisFiles() {}

  /** Writes {@code text} to {@code dir/relative}, creating its directories; returns the file. */
  static Path write(Path dir, String relative, String text) throws IOException {
    Path f = dir.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  /** The findings of {@code file} analysed alone (its directory's earlier files are read). */
  static List<Finding> findings(Path file) throws IOException {
    return new Analyzer().analyze(List.of(file), AnalysisOptions.defaults()).findings();
  }

  /** The rule ids of {@link #findings}, in the order found. */
  static List<String> ruleIds(Path file) throws IOException {
    return findings(file).stream().map(Finding::ruleId).toList();
  }
}
