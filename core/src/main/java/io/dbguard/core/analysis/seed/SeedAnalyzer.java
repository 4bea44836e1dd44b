package io.dbguard.core.analysis.seed;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.Analyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed analysis: classifies each seed file as idempotent / non-idempotent / destructive / unknown
 * (with the deciding statement) and reports the seed rules (DBG301 destructive → refuse, DBG302
 * non-idempotent and DBG303 unknown → warn). Front ends: Ruby ({@code db/seeds.rb}, {@code
 * db/seeds/*.rb}, rake tasks {@code lib/tasks/*.rake}), SQL, Python (Django data migrations, seed
 * scripts, {@code call_command}), Django fixtures (JSON/YAML).
 */
public final class SeedAnalyzer {

  private final Analyzer analyzer = new Analyzer();

  /**
   * Analyses {@code paths} (files or directories) as seed files.
   *
   * @throws IOException when a file cannot be read ({@link java.nio.file.NoSuchFileException} when
   *     missing)
   */
  public AnalysisReport analyze(List<Path> paths, AnalysisOptions options) throws IOException {
    return analyzer.run(paths, options, true);
  }

  /**
   * Classifies one seed file.
   *
   * @throws IOException when it cannot be read
   */
  public SeedClassification classify(Path file) throws IOException {
    AnalysisReport r = analyze(List.of(file), AnalysisOptions.defaults());
    return r.seeds().isEmpty()
        ? new SeedClassification(
            file.toString(), Idempotency.UNKNOWN, 0, "not a seed file dbguard reads")
        : r.seeds().get(0);
  }

  /**
   * The seed files an application would load for {@code environment} ({@code null} = production),
   * most specific first, existing files only. Rails: {@code db/seeds/<env>_seeds.rb}, {@code
   * db/<env>_seeds.rb}, {@code db/seeds/<env>.rb}, then {@code db/seeds.rb} — the first one found
   * wins (so production uses {@code db/seeds/production_seeds.rb} when it exists). The same order
   * is applied to SQL ({@code db/seeds/<env>.sql}, {@code db/seeds.sql}, {@code seed.sql}) and
   * Python ({@code seeds/<env>.py}, {@code seed.py}, {@code seeds.py}) seeds.
   */
  public static List<Path> seedFiles(Path projectRoot, String environment) {
    String env =
        environment == null || environment.isBlank()
            ? "production"
            : environment.trim().toLowerCase(Locale.ROOT);
    List<Path> out = new ArrayList<>();
    first(
        projectRoot,
        out,
        "db/seeds/" + env + "_seeds.rb",
        "db/" + env + "_seeds.rb",
        "db/seeds/" + env + ".rb",
        "db/seeds.rb");
    first(
        projectRoot,
        out,
        "db/seeds/" + env + ".sql",
        "db/" + env + "_seeds.sql",
        "db/seeds.sql",
        "seeds.sql",
        "seed.sql");
    first(projectRoot, out, "seeds/" + env + ".py", env + "_seeds.py", "seed.py", "seeds.py");
    return out;
  }

  private static void first(Path root, List<Path> out, String... candidates) {
    for (String c : candidates) {
      Path p = root.resolve(c);
      if (Files.isRegularFile(p)) {
        out.add(p);
        return;
      }
    }
  }
}
