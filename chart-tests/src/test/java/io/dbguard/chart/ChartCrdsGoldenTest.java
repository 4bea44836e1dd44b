package io.dbguard.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart ships copies of the generated CRDs: {@code helm/dbguard/crds/} must hold exactly the
 * files of {@code crds/}, byte for byte. Fix a failure with {@code scripts/sync-crds.sh}.
 */
class ChartCrdsGoldenTest {
  private static final String FIX = " (run scripts/sync-crds.sh to copy crds/ into the chart)";

  @Test
  void chartCrdsEqualGeneratedCrds() throws IOException {
    Path generated = ChartFixture.repoRoot().resolve("crds");
    Path chart = ChartFixture.chartDir().resolve("crds");
    List<String> generatedNames = yamlFiles(generated);
    assertThat(generatedNames).as("generated CRDs in %s", generated).isNotEmpty();
    assertThat(yamlFiles(chart)).as("CRD files in the chart" + FIX).isEqualTo(generatedNames);
    for (String name : generatedNames) {
      assertThat(Files.readString(chart.resolve(name)))
          .as("helm/dbguard/crds/%s differs from crds/%s%s", name, name, FIX)
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  private static List<String> yamlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }
}
