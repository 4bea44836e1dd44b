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
 * @param maxFileBytes largest file, in bytes, the analysis reads; a larger one is refused with
 *     {@link InputFileException} (a value {@code <= 0} means {@link #DEFAULT_MAX_FILE_BYTES})
 */
public record AnalysisOptions(
    String environment, String dialect, List<Acknowledgement> acknowledgements, long maxFileBytes) {

  /**
   * Default size limit per analysed file: 128 MiB (134 217 728 bytes). Migrations of that size are
   * data dumps; reading one takes about a gigabyte of heap in the parser's structures.
   */
  public static final long DEFAULT_MAX_FILE_BYTES = 128L * 1024 * 1024;

  public AnalysisOptions {
    acknowledgements = acknowledgements == null ? List.of() : List.copyOf(acknowledgements);
    maxFileBytes = maxFileBytes <= 0 ? DEFAULT_MAX_FILE_BYTES : maxFileBytes;
  }

  /** As the canonical constructor, with the {@linkplain #DEFAULT_MAX_FILE_BYTES default limit}. */
  public AnalysisOptions(
      String environment, String dialect, List<Acknowledgement> acknowledgements) {
    this(environment, dialect, acknowledgements, DEFAULT_MAX_FILE_BYTES);
  }

  /** Production, dialect per file, no acknowledgements, the default size limit. */
  public static AnalysisOptions defaults() {
    return new AnalysisOptions(null, null, List.of());
  }

  /** These options with another size limit ({@code <= 0}: the default). */
  public AnalysisOptions withMaxFileBytes(long bytes) {
    return new AnalysisOptions(environment, dialect, acknowledgements, bytes);
  }
}
