package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes of wrong verdicts (issue 13, item 2), each with examples written for this test: a
 * backfill computed from the row is a lock/scan risk (warn), not data loss; only constants,
 * sub-selects and lossy functions overwrite data (refuse).
 */
class VerdictClassesTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, sql);
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .map(Finding::ruleId)
            .toList();
  }

  @Test
  void updateOfEveryRowComputedFromTheRowIsABackfillNotDataLoss() throws Exception {
    assertThat(rules("a.sql", "UPDATE invoices SET total_cents = amount * 100;"))
        .containsExactly("DBG223");
    assertThat(rules("b.sql", "UPDATE members SET handle_lower = lower(handle);"))
        .containsExactly("DBG223");
    assertThat(
            rules("c.sql", "UPDATE shipments SET eta = shipped_at + interval '3 days', n = n + 1;"))
        .containsExactly("DBG223");
  }

  @Test
  void constantsSubSelectsAndLossyFunctionsStillOverwrite() throws Exception {
    assertThat(rules("d.sql", "UPDATE members SET nickname = 'anon';")).containsExactly("DBG112");
    assertThat(rules("e.sql", "UPDATE members SET nickname = NULL;")).containsExactly("DBG112");
    assertThat(rules("f.sql", "UPDATE readings SET celsius = round(celsius);"))
        .containsExactly("DBG112");
    assertThat(rules("g.sql", "UPDATE members SET bio = left(bio, 40);")).containsExactly("DBG112");
    assertThat(rules("h.sql", "UPDATE prices SET cents = (SELECT max(cents) FROM prices_old);"))
        .containsExactly("DBG112");
    assertThat(rules("i.sql", "UPDATE members SET a = a, b = 'reset';")).containsExactly("DBG112");
  }
}
