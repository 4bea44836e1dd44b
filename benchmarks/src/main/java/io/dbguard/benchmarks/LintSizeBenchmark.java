package io.dbguard.benchmarks;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.Analyzer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Lint time against migration size: generates SQL data migrations of the given sizes and analyses
 * each in this JVM, printing one line per file (bytes, operations read, seconds, MB/s). Linear
 * analysis shows as a constant MB/s across sizes.
 *
 * <p>The generated file is what a large data migration looks like: a table created, then statements
 * cycling through single-row {@code INSERT}s, 500-row {@code INSERT … VALUES}, an {@code INSERT …
 * ON CONFLICT DO NOTHING}, an {@code UPDATE … WHERE id = n} and a {@code DELETE … WHERE id = n}
 * (the last two go through the general SQL parser), with string values containing quotes and
 * semicolons.
 *
 * <p>Usage: {@code LintSizeBenchmark generate DIR MB…} writes {@code DIR/lint-<MB>mb.sql}; {@code
 * LintSizeBenchmark lint FILE…} analyses each file in this JVM (raising the size limit to fit).
 */
public final class LintSizeBenchmark {

  private LintSizeBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 3 && args[0].equals("generate")) {
      Path dir = Path.of(args[1]);
      Files.createDirectories(dir);
      for (int i = 2; i < args.length; i++) {
        long mb = Long.parseLong(args[i]);
        Path f = dir.resolve("lint-" + mb + "mb.sql");
        if (!Files.exists(f) || Files.size(f) < mb * 1_000_000) {
          generate(f, mb * 1_000_000);
        }
        System.out.println(f);
      }
    } else if (args.length >= 2 && args[0].equals("lint")) {
      for (int i = 1; i < args.length; i++) {
        lint(Path.of(args[i]));
      }
    } else {
      System.err.println("usage: LintSizeBenchmark generate DIR MB… | lint FILE…");
      System.exit(2);
    }
  }

  private static void lint(Path f) throws IOException {
    long bytes = Files.size(f);
    AnalysisOptions opts = AnalysisOptions.defaults().withMaxFileBytes(bytes + 1);
    long t0 = System.nanoTime();
    AnalysisReport r = new Analyzer().analyze(List.of(f), opts);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s bytes=%d operations=%d findings=%d seconds=%.2f MB/s=%.2f%n",
        f.getFileName(),
        bytes,
        r.files().get(0).operations(),
        r.findings().size(),
        secs,
        bytes / 1e6 / secs);
  }

  private static void generate(Path f, long target) throws IOException {
    long written = 0;
    try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
      String head =
          "CREATE TABLE bench_rows (id bigint PRIMARY KEY, name text NOT NULL, note text);\n";
      w.write(head);
      written += head.length();
      long id = 0;
      for (int k = 0; written < target; k++) {
        StringBuilder s = new StringBuilder();
        switch (k % 5) {
          case 0, 1 ->
              s.append("INSERT INTO bench_rows (id, name, note) VALUES ")
                  .append(row(id++))
                  .append(";\n");
          case 2 -> {
            s.append("INSERT INTO bench_rows (id, name, note) VALUES\n");
            for (int r = 0; r < 500; r++) {
              s.append(r == 0 ? "  " : ",\n  ").append(row(id++));
            }
            s.append(";\n");
          }
          case 3 ->
              s.append("INSERT INTO bench_rows (id, name, note) VALUES ")
                  .append(row(id++))
                  .append(" ON CONFLICT (id) DO NOTHING;\n");
          default ->
              s.append("UPDATE bench_rows SET note = 'checked; ok' WHERE id = ")
                  .append(id - 1)
                  .append(";\nDELETE FROM bench_rows WHERE id = ")
                  .append(id - 2)
                  .append(";\n");
        }
        w.write(s.toString());
        written += s.length();
      }
    }
  }

  private static String row(long id) {
    return "(" + id + ", 'name " + id + "', 'it''s row " + id + "; see ticket #" + id % 97 + "')";
  }
}
