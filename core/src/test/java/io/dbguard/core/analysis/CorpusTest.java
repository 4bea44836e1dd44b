package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.rules.Rules;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The labelled corpus ({@code src/test/resources/corpus}): every file (or its sidecar {@code
 * <file>.expect}, for JSON) starts with {@code expect: DBG101, DBG201!} (a {@code !} marks an
 * acknowledged finding; {@code none} = no finding) and seed files with {@code seed: <class>}.
 * Directories named {@code batch-*} are analysed as one batch, everything under {@code seeds/} with
 * {@link SeedAnalyzer}, every other file on its own. Files under {@code app/models/} are not
 * analysed: they are the Rails models the seeds beside them are judged with. Precision and recall
 * are computed per verdict over (file, rule, acknowledged) occurrences and must each be at least
 * 0.95. The figures are printed and written to {@code target/corpus-metrics.txt}.
 */
class CorpusTest {

  static final Path CORPUS = Path.of("src/test/resources/corpus");
  static final Pattern EXPECT = Pattern.compile("(?m)^\\s*(?:--|#)\\s*expect:\\s*(.*)$");
  static final Pattern SEED = Pattern.compile("(?m)^\\s*(?:--|#)\\s*seed:\\s*(\\S+)");

  record Counts(int tp, int fp, int fn) {}

  @Test
  void precisionAndRecallPerVerdictAreAtLeast95Percent() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(CORPUS)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().endsWith(".expect"))
              .filter(p -> !p.toString().replace('\\', '/').contains("/app/models/"))
              .sorted()
              .toList();
    }
    Map<String, List<String>> actual = new TreeMap<>();
    Map<String, String> actualSeed = new HashMap<>();
    List<Path> batches = new ArrayList<>();
    for (Path f : files) {
      Path parent = f.getParent();
      if (parent.getFileName().toString().startsWith("batch-")) {
        if (!batches.contains(parent)) {
          batches.add(parent);
          AnalysisReport r = new Analyzer().analyze(List.of(parent), AnalysisOptions.defaults());
          collect(r, actual, actualSeed);
        }
      } else if (CORPUS.relativize(f).startsWith("seeds")) {
        collect(
            new SeedAnalyzer().analyze(List.of(f), AnalysisOptions.defaults()), actual, actualSeed);
      } else {
        collect(new Analyzer().analyze(List.of(f), AnalysisOptions.defaults()), actual, actualSeed);
      }
    }
    Map<Verdict, int[]> counts = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      counts.put(v, new int[3]);
    }
    List<String> mismatches = new ArrayList<>();
    int seedTotal = 0;
    int seedOk = 0;
    int labelled = 0;
    for (Path f : files) {
      // JSON cannot hold comments: its labels live in a sidecar <file>.expect
      Path sidecar = f.resolveSibling(f.getFileName() + ".expect");
      String text = Files.readString(Files.exists(sidecar) ? sidecar : f);
      Matcher m = EXPECT.matcher(text);
      assertThat(m.find()).as("label missing in " + f).isTrue();
      labelled++;
      List<String> expected = parse(m.group(1));
      List<String> got = new ArrayList<>(actual.getOrDefault(f.toString(), List.of()));
      Map<String, Integer> e = histogram(expected);
      Map<String, Integer> a = histogram(got);
      java.util.Set<String> keys = new java.util.TreeSet<>(e.keySet());
      keys.addAll(a.keySet());
      for (String k : keys) {
        int ec = e.getOrDefault(k, 0);
        int ac = a.getOrDefault(k, 0);
        int tp = Math.min(ec, ac);
        Verdict v = Rules.find(k.replace("!", "")).orElseThrow().verdict();
        int[] c = counts.get(v);
        c[0] += tp;
        c[1] += ac - tp;
        c[2] += ec - tp;
      }
      if (!e.equals(a)) {
        mismatches.add(CORPUS.relativize(f) + ": expected " + expected + " got " + got);
      }
      Matcher sm = SEED.matcher(text);
      if (sm.find()) {
        seedTotal++;
        String got2 = actualSeed.get(f.toString());
        if (sm.group(1).equals(got2)) {
          seedOk++;
        } else {
          mismatches.add(CORPUS.relativize(f) + ": seed expected " + sm.group(1) + " got " + got2);
        }
      }
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT, "corpus: %d labelled files, %d seed files%n", labelled, seedTotal));
    Map<Verdict, double[]> pr = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      int[] c = counts.get(v);
      double p = c[0] + c[1] == 0 ? 1.0 : (double) c[0] / (c[0] + c[1]);
      double r = c[0] + c[2] == 0 ? 1.0 : (double) c[0] / (c[0] + c[2]);
      pr.put(v, new double[] {p, r});
      report.append(
          String.format(
              Locale.ROOT,
              "%-6s tp=%d fp=%d fn=%d precision=%.3f recall=%.3f%n",
              v.label(),
              c[0],
              c[1],
              c[2],
              p,
              r));
    }
    report.append(
        String.format(
            Locale.ROOT,
            "seed classification: %d/%d correct (%.3f)%n",
            seedOk,
            seedTotal,
            seedTotal == 0 ? 1.0 : (double) seedOk / seedTotal));
    mismatches.forEach(x -> report.append("  mismatch ").append(x).append('\n'));
    System.out.print(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/corpus-metrics.txt"), report.toString());

    assertThat(labelled).isGreaterThanOrEqualTo(80);
    for (Verdict v : Verdict.values()) {
      assertThat(pr.get(v)[0]).as(v + " precision\n" + report).isGreaterThanOrEqualTo(0.95);
      assertThat(pr.get(v)[1]).as(v + " recall\n" + report).isGreaterThanOrEqualTo(0.95);
    }
    assertThat((double) seedOk / seedTotal)
        .as("seed classification\n" + report)
        .isGreaterThanOrEqualTo(0.95);
  }

  static void collect(
      AnalysisReport r, Map<String, List<String>> actual, Map<String, String> seeds) {
    for (AnalyzedFile f : r.files()) {
      actual.computeIfAbsent(f.path(), k -> new ArrayList<>());
    }
    for (Finding f : r.findings()) {
      actual
          .computeIfAbsent(f.file(), k -> new ArrayList<>())
          .add(f.ruleId() + (f.acknowledged() ? "!" : ""));
    }
    for (SeedClassification c : r.seeds()) {
      seeds.put(c.file(), c.idempotency().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
  }

  static List<String> parse(String s) {
    List<String> out = new ArrayList<>();
    for (String x : s.split("[,\\s]+")) {
      if (!x.isBlank() && !x.equals("none")) {
        out.add(x.trim());
      }
    }
    return out;
  }

  private static Map<String, Integer> histogram(List<String> xs) {
    Map<String, Integer> m = new TreeMap<>();
    xs.forEach(x -> m.merge(x, 1, Integer::sum));
    return m;
  }
}
