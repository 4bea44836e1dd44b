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
  void pluralAndEngineVersionTablesAreStamps() throws Exception {
    // seen failing before the change: DBG112 on each
    assertThat(rules("schema-30.sql", "UPDATE schema_versions SET version = 30;")).isEmpty();
    assertThat(rules("schema-31.sql", "UPDATE engine_processing_versions SET version = 31;"))
        .isEmpty();
    assertThat(rules("schema-32.sql", "UPDATE \"engine_versions\" SET \"version\" = 32;"))
        .isEmpty();
  }

  @Test
  void aScopedVersionBumpWithDdlIsNoBackfill() throws Exception {
    // seen failing before the change: DBG219 on each
    assertThat(
            rules(
                "V40__pause.sql",
                "UPDATE engine_versions SET \"version\" = 4 WHERE type_id = 'escalation';\n"
                    + "ALTER TABLE services ADD COLUMN paused_until timestamptz;\n"))
        .isEmpty();
    assertThat(
            rules(
                "V41__pause.sql",
                "ALTER TABLE services ADD COLUMN resumed_at timestamptz;\n"
                    + "UPDATE engine_processing_versions SET version = 2 WHERE type_id = 'np_cycle';\n"))
        .isEmpty();
    assertThat(
            rules(
                "V42__pause.sql",
                "ALTER TABLE services ADD COLUMN note text;\n"
                    + "UPDATE schema_versions SET version = 42 WHERE component = 'core';\n"))
        .isEmpty();
  }

  @Test
  void applicationVersionRowsStayJudged() throws Exception {
    // scoped, with DDL: DBG219 as before
    assertThat(
            rules(
                "V50__docs.sql",
                "ALTER TABLE documents ADD COLUMN note text;\n"
                    + "UPDATE document_versions SET version = 2 WHERE document_id = 7;\n"))
        .containsExactly("DBG219");
    // another column of a version table, or a table that only ends in "versions"
    assertThat(
            rules(
                "V51__docs.sql",
                "ALTER TABLE services ADD COLUMN note2 text;\n"
                    + "UPDATE engine_versions SET version = 4, note = 'x' WHERE type_id = 'a';\n"))
        .containsExactly("DBG219");
    assertThat(rules("schema-52.sql", "UPDATE page_versions SET version = 1;"))
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
