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

  /**
   * Migrations analysed case by case under one directory: a file whose name starts with {@code
   * 0001} opens a new case directory ({@code <prefix>1/}, {@code <prefix>2/} …); a later migration
   * is analysed in its own copy of the current case's directory, so that the cases' later files do
   * not stack.
   */
  static final class Cases {
    private final Path dir;
    private final String prefix;
    private int cases;

    Cases(Path dir, String prefix) {
      this.dir = dir;
      this.prefix = prefix;
    }

    /** The rule ids of migration {@code name} with text {@code sql}, in its case. */
    List<String> rules(String name, String sql) throws IOException {
      if (name.startsWith("0001")) {
        cases++;
        return ruleIds(write(dir, prefix + cases + "/" + name, sql));
      }
      Path first = dir.resolve(prefix + cases);
      Path own = dir.resolve(prefix + cases + "-" + name);
      Files.createDirectories(own);
      try (var files = Files.list(first)) {
        for (Path f : files.toList()) {
          Files.copy(f, own.resolve(f.getFileName()));
        }
      }
      return ruleIds(write(own, name, sql));
    }
  }
}
