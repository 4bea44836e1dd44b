package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock and rewrite rules (DBG2nn) apply to PostgreSQL only: on SQLite a full-table backfill
 * (DBG223) or a backfill beside DDL in one transaction (DBG219) is not reported, while an UPDATE
 * that overwrites values (DBG112) or a DELETE of every row (DBG111) is data loss on both. Files
 * written for this test.
 */
class SqliteBackfillTest {

  @TempDir Path dir;

  private List<String> rules(String dialectDir, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, dialectDir + "/0003_fill.sql", sql))
        .stream()
        .sorted()
        .toList();
  }

  private static final String BACKFILL =
      "ALTER TABLE hives ADD COLUMN label TEXT;\nUPDATE hives SET label = name || ' #' || id;\n";
  private static final String JOIN_BACKFILL =
      "UPDATE hives SET honey = yields.kg FROM yields WHERE hives.id = yields.hive_id;\n";
  private static final String SCOPED =
      "ALTER TABLE hives ADD COLUMN queen TEXT;\nUPDATE hives SET queen = 'unknown' WHERE queen"
          + " IS NULL;\n";

  @Test
  void backfillsAreLockRisksOnPostgresOnly() throws Exception {
    assertThat(rules("migrations/postgres", BACKFILL)).contains("DBG223");
    assertThat(rules("migrations/sqlite", BACKFILL)).doesNotContain("DBG223");
    assertThat(rules("migrations/postgres", JOIN_BACKFILL)).contains("DBG223");
    assertThat(rules("migrations/sqlite", JOIN_BACKFILL)).isEmpty();
    assertThat(rules("migrations/sqlite", SCOPED)).doesNotContain("DBG219");
  }

  @Test
  void overwritesAndDeletesAreDataLossOnBoth() throws Exception {
    String overwrite = "UPDATE hives SET name = 'hive';\n";
    assertThat(rules("migrations/sqlite", overwrite)).contains("DBG112");
    assertThat(rules("migrations/postgres", overwrite)).contains("DBG112");
    assertThat(rules("migrations/sqlite", "DELETE FROM hives;\n")).contains("DBG111");
  }
}
