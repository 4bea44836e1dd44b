package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications that keep their schema version in a table of their own bump it at the end of each
 * upgrade script ({@code UPDATE schema_version SET version = 16}): that is the runner's
 * bookkeeping, not application data, and no finding; any other column or table is judged as any
 * UPDATE. In-place bitwise operators clear or set bits for good (DBG112). Examples written for this
 * test.
 */
class VersionStampTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "schema/" + name, sql));
  }

  @Test
  void aVersionStampIsNoFinding() throws Exception {
    // seen failing before the change: DBG112 on each
    assertThat(rules("schema-17.sql", "UPDATE schema_version SET version = 17;")).isEmpty();
    assertThat(rules("schema-18.sql", "UPDATE birdapp_version SET schema_version = 18;")).isEmpty();
    assertThat(rules("schema-19.sql", "UPDATE public.schema_info SET version = 19;")).isEmpty();
  }

  @Test
  void otherColumnsOrTablesAreStillOverwrites() throws Exception {
    assertThat(rules("schema-20.sql", "UPDATE schema_version SET version = 20, note = 'x';"))
        .containsExactly("DBG112");
    assertThat(rules("schema-21.sql", "UPDATE releases SET version = 21;"))
        .containsExactly("DBG112");
    // an application's own versioned rows, not its schema's version
    assertThat(rules("schema-22.sql", "UPDATE document_version SET version = 1;"))
        .containsExactly("DBG112");
    assertThat(rules("schema-23.sql", "UPDATE document_versions SET version = 1;"))
        .containsExactly("DBG112");
  }

  @Test
  void bitwiseOperatorsInPlaceOverwrite() throws Exception {
    // seen failing before the change: DBG223 on PostgreSQL (nothing on SQLite)
    assertThat(rules("V22__flags.sql", "UPDATE backlog SET flags = flags & 1;"))
        .containsExactly("DBG112");
    assertThat(rules("V23__flags.sql", "UPDATE backlog SET flags = flags | 4;"))
        .containsExactly("DBG112");
    // into another column the source is kept: a backfill
    assertThat(rules("V24__flags.sql", "UPDATE backlog SET highlighted = flags & 1;"))
        .containsExactly("DBG223");
  }
}
