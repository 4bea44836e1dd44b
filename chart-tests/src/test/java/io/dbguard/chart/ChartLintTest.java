package io.dbguard.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict helm/dbguard}, run by Helm itself. */
class ChartLintTest {

  @Test
  void chartPassesStrictLint() {
    LintResult result = new Helm(ChartFixture.chartDir()).lint().strict().call();
    System.out.println("helm lint --strict: " + result.getMessages());
    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    // Strict mode turns warnings into failures; errors and warnings must both be absent.
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[ERROR]"))
        .noneMatch(m -> m.contains("[WARNING]"));
  }
}
