package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column named {@code interval} (PostgreSQL accepts it unquoted: {@code INTERVAL} is a
 * non-reserved keyword) is judged like any other column, not reported as a statement the parser
 * could not read (DBG901); interval literals, casts and the type keep their meaning. Examples
 * written for this test.
 */
class IntervalColumnTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, sql));
  }

  @Test
  void aColumnNamedIntervalIsReadAsAColumn() throws Exception {
    // seen failing before the change: DBG901 for each
    assertThat(rules("pg/V2__scale.sql", "UPDATE schedules SET interval = interval * 60;"))
        .containsExactly("DBG112");
    assertThat(rules("pg/V3__fill.sql", "UPDATE schedules SET every_s = interval * 60;"))
        .containsExactly("DBG223");
    assertThat(
            rules("pg/V4__scoped.sql", "UPDATE schedules s SET interval = 5 WHERE s.interval < 0;"))
        .isEmpty();
    assertThat(rules("pg/V5__wipe.sql", "UPDATE schedules SET interval = NULL;"))
        .containsExactly("DBG112");
  }

  @Test
  void intervalLiteralsAndCastsKeepTheirMeaning() throws Exception {
    assertThat(
            rules(
                "pg/V6__lit.sql",
                "UPDATE sessions SET expires_at = created_at + INTERVAL '30 days';"))
        .containsExactly("DBG223");
    assertThat(
            rules(
                "pg/V7__cast.sql",
                "UPDATE sessions SET ttl = '1 hour'::interval WHERE ttl IS NULL;"))
        .isEmpty();
  }
}
