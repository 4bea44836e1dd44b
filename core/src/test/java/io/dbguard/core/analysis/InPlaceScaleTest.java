package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling a column in place over every row ({@code SET seen = seen * 1000}: seconds to
 * milliseconds) changes the unit the running version reads every value in: an overwrite (DBG112),
 * on PostgreSQL and SQLite. Into another column it is a backfill; a shift ({@code n + 1}) stays
 * one. Examples written for this test.
 */
class InPlaceScaleTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, sql));
  }

  @Test
  void scalingInPlaceOverwrites() throws Exception {
    // seen failing before the change: DBG223 on PostgreSQL, nothing on SQLite
    assertThat(rules("pg/V7__ms.sql", "UPDATE sightings SET seen = seen * 1000;"))
        .containsExactly("DBG112");
    assertThat(rules("sqlite/7/upgrade_ms.sql", "UPDATE sightings SET seen = 1000 * seen;"))
        .containsExactly("DBG112");
  }

  @Test
  void intoAnotherColumnOrAShiftIsABackfill() throws Exception {
    assertThat(rules("pg/V8__ms.sql", "UPDATE sightings SET seen_ms = seen * 1000;"))
        .containsExactly("DBG223");
    assertThat(rules("pg/V9__shift.sql", "UPDATE sightings SET position = position + 1;"))
        .containsExactly("DBG223");
  }
}
