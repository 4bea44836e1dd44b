package io.dbguard.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD YAML in {@code crds/} (and the Helm chart's copy, once the chart exists) must
 * equal what the crd-generator plugin produced from the model classes in this build ({@code
 * target/classes/META-INF/fabric8}). To refresh: build, then copy the generated files to {@code
 * crds/} (and {@code helm/dbguard/crds/}).
 */
class CrdGoldenTest {

  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");

  static Path repoRoot() {
    String env = System.getenv("DBGUARD_REPO_ROOT");
    return env != null ? Path.of(env) : Path.of("..").toAbsolutePath().normalize();
  }

  static List<Path> generated() throws IOException {
    try (Stream<Path> s = Files.list(GENERATED)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void generatorProducedBothCrds() throws IOException {
    assertThat(generated())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "databasebackups.dbguard.io-v1.yml", "databasemigrations.dbguard.io-v1.yml");
  }

  @Test
  void committedCrdsEqualGenerated() throws IOException {
    assertCopyUpToDate(repoRoot().resolve("crds"));
  }

  @Test
  void chartCrdsEqualGenerated() throws IOException {
    Path chartCrds = repoRoot().resolve("helm/dbguard/crds");
    if (Files.isDirectory(repoRoot().resolve("helm/dbguard"))) {
      assertCopyUpToDate(chartCrds);
    }
  }

  private static void assertCopyUpToDate(Path dir) throws IOException {
    for (Path gen : generated()) {
      Path committed = dir.resolve(gen.getFileName());
      assertThat(committed)
          .as("%s is stale: copy %s there", committed, gen.toAbsolutePath())
          .exists();
      assertThat(Files.readString(committed))
          .as("%s is stale: copy %s there", committed, gen.toAbsolutePath())
          .isEqualTo(Files.readString(gen));
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.filter(p -> p.toString().endsWith(".yml")).count())
          .as("no extra CRD files in %s", dir)
          .isEqualTo(generated().size());
    }
  }
}
