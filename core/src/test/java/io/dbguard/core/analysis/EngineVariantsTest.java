package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projects that support several database engines keep one variant of each upgrade per engine side
 * by side ({@code upgrade/7/aviary_postgresql.sql} beside {@code aviary_sqlserver.sql}): only the
 * variant of the file's own engine is an earlier migration of it. Examples written for this test.
 */
class EngineVariantsTest {

  @TempDir Path dir;

  @Test
  void anotherEnginesVariantIsNoEarlierMigration() throws Exception {
    AnalysisFiles.write(
        dir, "upgrade/7/aviary_postgresql.sql", "CREATE TABLE rooms (id int, subject text);\n");
    AnalysisFiles.write(
        dir, "upgrade/7/aviary_sqlserver.sql", "CREATE TABLE rooms (id int, subject ntext);\n");
    AnalysisFiles.write(
        dir,
        "upgrade/8/aviary_sqlserver.sql",
        "ALTER TABLE rooms ALTER COLUMN subject nvarchar(max);\n");
    // seen failing before the change: DBG209, "from ntext" (the SQL Server variant's type)
    assertThat(
            AnalysisFiles.ruleIds(
                AnalysisFiles.write(
                    dir,
                    "upgrade/8/aviary_postgresql.sql",
                    "ALTER TABLE rooms ALTER COLUMN subject TYPE text;\n")))
        .isEmpty();
  }

  @Test
  void theEngineIsReadFromTheFileName() {
    assertThat(SqlHistory.engineOf("openfire_postgresql.sql")).isEqualTo("postgresql");
    assertThat(SqlHistory.engineOf("2.0_pgsql.sql")).isEqualTo("postgresql");
    assertThat(SqlHistory.engineOf("schema.sqlite3.sql")).isEqualTo("sqlite");
    assertThat(SqlHistory.engineOf("upgrade-mysql.sql")).isEqualTo("mysql");
    assertThat(SqlHistory.engineOf("V3__add_rooms.sql")).isNull();
    assertThat(SqlHistory.engineOf("0007_graphql_types.sql")).isNull();
  }
}
