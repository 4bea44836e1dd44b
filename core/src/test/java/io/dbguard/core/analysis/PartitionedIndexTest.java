package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE INDEX … ON ONLY parent} builds no index data on a partitioned table: it creates an
 * invalid index on the parent alone, the first step of building a partitioned index without long
 * locks (PostgreSQL manual, "CREATE INDEX", parameter {@code ONLY}; "Table Partitioning",
 * "Partition Maintenance"), followed by {@code CREATE INDEX CONCURRENTLY} on each partition and
 * {@code ALTER INDEX … ATTACH PARTITION} (catalog only). On a table the project's history shows as
 * plain, {@code ONLY} changes nothing and the build still blocks writes (issue 13). Examples
 * written for this test.
 */
class PartitionedIndexTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "db/" + name, sql));
  }

  private static final String ONLY_PARENT =
      "CREATE INDEX readings_hive_idx ON ONLY readings (hive_id);\n";

  private static final String ATTACH =
      "ALTER INDEX readings_hive_idx ATTACH PARTITION readings_2026_hive_idx;\n";

  @Test
  void anIndexOnOnlyAPartitionedParentBuildsNothing() throws Exception {
    assertThat(
            rules(
                "0001_readings.sql",
                "CREATE TABLE readings (id bigint, taken_at timestamptz NOT NULL, hive_id int)\n"
                    + "  PARTITION BY RANGE (taken_at);\n"
                    + "CREATE TABLE readings_2026 PARTITION OF readings\n"
                    + "  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n"))
        .isEmpty();
    // seen failing before the change: DBG201
    assertThat(rules("0002_index.sql", ONLY_PARENT + ATTACH)).isEmpty();
    // without ONLY the build recurses into every partition: still a blocking build
    assertThat(rules("0003_index.sql", "CREATE INDEX readings_t_idx ON readings (taken_at);\n"))
        .containsExactly("DBG201");
  }

  @Test
  void anIndexOnOnlyATableOfUnknownPartitioningIsNotALockFinding() throws Exception {
    assertThat(rules("0001_only.sql", ONLY_PARENT)).isEmpty();
    assertThat(rules("0002_attach.sql", ATTACH)).isEmpty();
  }

  @Test
  void anIndexOnOnlyAPlainTableStillBlocksWrites() throws Exception {
    assertThat(rules("0001_keepers.sql", "CREATE TABLE keepers (id int, name text);\n")).isEmpty();
    assertThat(rules("0002_index.sql", "CREATE INDEX keepers_name_idx ON ONLY keepers (name);\n"))
        .containsExactly("DBG201");
  }
}
