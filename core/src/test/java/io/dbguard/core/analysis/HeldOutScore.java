package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.HeldOutLabels.Entry;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Held-out measure of the migration analysis: file-level precision and recall per level (refuse,
 * warn, safe) and per kind on real files labelled before dbguard was run on them (labels and
 * provenance in {@code src/test/resources/heldout}), next to the same file-level measure on the
 * tuning corpus ({@code corpus/}, whose expected rules give each file its level). Seeds are scored
 * by idempotency class. The report is printed and written to {@code target/heldout-metrics.txt}.
 *
 * <p>A measurement, not a gate: low figures do not fail it, but a labelled file that is missing,
 * altered (SHA-256) or makes the analyzer throw does. Its name does not match the surefire
 * patterns, so it runs only on request: {@code -Dtest=HeldOutScore}. The files are read from {@code
 * -Ddbguard.heldout.dir=DIR} (default: next to the labels); the labels from {@code
 * -Ddbguard.heldout.labels=DIR} (default {@code src/test/resources/heldout}, the first set; {@code
 * src/test/resources/heldout2} is the second). Only the files named in {@code labels.tsv} are
 * scored, each analysed alone as {@code dbguard lint FILE} would; other files in {@code DIR} (the
 * in-repository layout puts each labelled migration's project migrations beside it) are never
 * scored, only read by the analyzer as the file's earlier migrations.
 *
 * <p>When some files could not be rebuilt, {@code -Ddbguard.heldout.exclude=FILE,FILE} (paths as in
 * the {@code file} column, comma-separated) scores the remaining subset: the excluded files are not
 * looked for, and the report's first line says how many of the labelled files were scored and which
 * were left out, so subset figures are never mistaken for whole-set ones.
 */
class HeldOutScore {

  /** The first held-out set; {@code -Ddbguard.heldout.labels=DIR} names another (heldout2). */
  private static final Path LABELS =
      Path.of(System.getProperty("dbguard.heldout.labels", "src/test/resources/heldout"));

  @Test
  void scoreHeldOutAndTuningCorpus() throws IOException {
    Path files = Path.of(System.getProperty("dbguard.heldout.dir", LABELS.toString()));
    Set<String> excluded = new TreeSet<>();
    for (String x : System.getProperty("dbguard.heldout.exclude", "").split(",")) {
      if (!x.isBlank()) {
        excluded.add(x.strip());
      }
    }
    List<Entry> entries = HeldOutLabels.read(LABELS, files, excluded);

    Map<String, HeldOutConfusion> byKind = new TreeMap<>();
    HeldOutConfusion all = new HeldOutConfusion();
    Map<String, int[]> seeds = new TreeMap<>();
    List<String> misses = new ArrayList<>();
    for (Entry e : entries) {
      Path f = files.resolve(e.file());
      if (e.seed()) {
        AnalysisReport r = new SeedAnalyzer().analyze(List.of(f), AnalysisOptions.defaults());
        String got =
            r.seeds().isEmpty()
                ? "none"
                : r.seeds().get(0).idempotency().name().toLowerCase(Locale.ROOT).replace('_', '-');
        int[] c = seeds.computeIfAbsent(e.label(), k -> new int[2]);
        c[1]++;
        if (got.equals(e.label())) {
          c[0]++;
        } else {
          misses.add(
              String.format(
                  "seed %s -> %s\t%s\t%s\t%s", e.label(), got, rules(r), e.file(), e.reason()));
        }
        continue;
      }
      AnalysisReport r = new Analyzer().analyze(List.of(f), AnalysisOptions.defaults());
      List<String> rules = rules(r);
      HeldOutLevel expected = HeldOutLevel.parse(e.label());
      HeldOutLevel got = HeldOutLevel.ofRules(rules);
      all.add(expected, got);
      byKind.computeIfAbsent(e.kind(), k -> new HeldOutConfusion()).add(expected, got);
      if (expected != got) {
        misses.add(
            String.format(
                "%s %s -> %s\t%s\t%s\t%s",
                e.kind(), expected.label(), got.label(), rules, e.file(), e.reason()));
      }
    }

    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "held-out files scored: %d of %d labelled%s%n",
            entries.size(),
            entries.size() + excluded.size(),
            excluded.isEmpty()
                ? ""
                : "; SUBSET, " + excluded.size() + " excluded: " + String.join(", ", excluded)));
    out.append(tuningCorpus().format("tuning corpus (file level)"));
    out.append(all.format("held-out migrations (file level)"));
    byKind.forEach((k, c) -> out.append(c.format("held-out " + k)));
    int seedOk = 0;
    int seedTotal = 0;
    for (Map.Entry<String, int[]> s : seeds.entrySet()) {
      seedOk += s.getValue()[0];
      seedTotal += s.getValue()[1];
      out.append(
          String.format(
              Locale.ROOT,
              "held-out seeds %-15s %d/%d%n",
              s.getKey(),
              s.getValue()[0],
              s.getValue()[1]));
    }
    out.append(String.format(Locale.ROOT, "held-out seeds: %d/%d right%n", seedOk, seedTotal));
    out.append("misclassified (class expected -> reported, rules, file, label reason):\n");
    misses.stream().sorted().forEach(m -> out.append("  ").append(m).append('\n'));
    System.out.print(out);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/heldout-metrics.txt"), out.toString());

    assertThat(all.total() + seedTotal).as("every labelled file scored").isEqualTo(entries.size());
  }

  /** The tuning corpus scored the same way: a file's level is the highest level it expects. */
  private static HeldOutConfusion tuningCorpus() throws IOException {
    Path corpus = CorpusTest.CORPUS;
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().endsWith(".expect"))
              .filter(p -> !corpus.relativize(p).startsWith("seeds"))
              .sorted()
              .toList();
    }
    Map<String, List<String>> actual = new HashMap<>();
    Map<String, String> ignoredSeeds = new HashMap<>();
    List<Path> batches = new ArrayList<>();
    for (Path f : files) {
      Path parent = f.getParent();
      if (parent.getFileName().toString().startsWith("batch-")) {
        if (!batches.contains(parent)) {
          batches.add(parent);
          CorpusTest.collect(
              new Analyzer().analyze(List.of(parent), AnalysisOptions.defaults()),
              actual,
              ignoredSeeds);
        }
      } else {
        CorpusTest.collect(
            new Analyzer().analyze(List.of(f), AnalysisOptions.defaults()), actual, ignoredSeeds);
      }
    }
    HeldOutConfusion c = new HeldOutConfusion();
    for (Path f : files) {
      Path sidecar = f.resolveSibling(f.getFileName() + ".expect");
      Matcher m = CorpusTest.EXPECT.matcher(Files.readString(Files.exists(sidecar) ? sidecar : f));
      if (!m.find() || CorpusTest.SEED.matcher(Files.readString(f)).find()) {
        continue;
      }
      c.add(
          HeldOutLevel.ofRules(CorpusTest.parse(m.group(1))),
          HeldOutLevel.ofRules(actual.getOrDefault(f.toString(), List.of())));
    }
    return c;
  }

  private static List<String> rules(AnalysisReport r) {
    List<String> out = new ArrayList<>();
    for (Finding f : r.findings()) {
      out.add(f.ruleId() + (f.acknowledged() ? "!" : ""));
    }
    return out;
  }
}
