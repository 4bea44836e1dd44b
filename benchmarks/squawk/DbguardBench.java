import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.Analyzer;
import io.dbguard.core.analysis.Finding;
import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark driver for benchmarks/squawk-compare.sh: analyses each file given in the list file
 * (one path a line) on its own, prints one JSON document: per-file finding ids, the squawk name
 * → dbguard id mapping from the rule sources, and the throughput (files/s) measured over
 * {@code rounds} passes after {@code warmup} passes in the same JVM.
 */
public class DbguardBench {
  public static void main(String[] args) throws Exception {
    List<Path> files = Files.readAllLines(Path.of(args[0])).stream().filter(s -> !s.isBlank()).map(Path::of).toList();
    int warmup = Integer.parseInt(args.length > 1 ? args[1] : "5");
    int rounds = Integer.parseInt(args.length > 2 ? args[2] : "20");
    Analyzer analyzer = new Analyzer();
    AnalysisOptions opts = AnalysisOptions.defaults();
    StringBuilder out = new StringBuilder("{\"files\":{");
    for (int i = 0; i < files.size(); i++) {
      AnalysisReport r = analyzer.analyze(List.of(files.get(i)), opts);
      List<String> ids = new ArrayList<>();
      for (Finding f : r.findings()) {
        if (!f.acknowledged()) {
          ids.add("\"" + f.ruleId() + "\"");
        }
      }
      out.append(i == 0 ? "" : ",").append("\"").append(files.get(i)).append("\":[").append(String.join(",", ids)).append("]");
    }
    out.append("},\"mapping\":{");
    java.util.Map<String, List<String>> bySquawk = new java.util.TreeMap<>();
    for (Rule rule : Rules.ALL) {
      for (String s : rule.squawkNames()) {
        bySquawk.computeIfAbsent(s, k -> new ArrayList<>()).add("\"" + rule.id() + "\"");
      }
    }
    boolean first = true;
    for (var e : bySquawk.entrySet()) {
      out.append(first ? "" : ",").append("\"").append(e.getKey()).append("\":[").append(String.join(",", e.getValue())).append("]");
      first = false;
    }
    for (int w = 0; w < warmup; w++) {
      for (Path p : files) {
        analyzer.analyze(List.of(p), opts);
      }
    }
    long t0 = System.nanoTime();
    for (int k = 0; k < rounds; k++) {
      for (Path p : files) {
        analyzer.analyze(List.of(p), opts);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    out.append("},\"rounds\":").append(rounds)
        .append(",\"seconds\":").append(String.format(Locale.ROOT, "%.4f", secs))
        .append(",\"filesPerSecond\":").append(String.format(Locale.ROOT, "%.1f", rounds * files.size() / secs))
        .append("}");
    System.out.println(out);
  }
}
