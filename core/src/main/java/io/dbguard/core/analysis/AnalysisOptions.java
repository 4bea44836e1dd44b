package io.dbguard.core.analysis;

import java.util.List;

/**
 * Options of {@link Analyzer#analyze}.
 *
 * @param environment target environment ({@code null} = production); chooses seed files (see {@link
 *     io.dbguard.core.analysis.seed.SeedAnalyzer#seedFiles})
 * @param dialect {@code postgresql}, {@code sqlite}, or {@code null} = decide per file (a path
 *     containing {@code sqlite}, or {@code PRAGMA}/{@code AUTOINCREMENT}/{@code INSERT OR} in the
 *     text → SQLite; else PostgreSQL)
 * @param acknowledgements reviewed acknowledgements (rule + file + optional SHA-256)
 */
public record AnalysisOptions(
    String environment, String dialect, List<Acknowledgement> acknowledgements) {

  public AnalysisOptions {
    acknowledgements = acknowledgements == null ? List.of() : List.copyOf(acknowledgements);
  }

  /** Production, dialect per file, no acknowledgements. */
  public static AnalysisOptions defaults() {
    return new AnalysisOptions(null, null, List.of());
  }
}
