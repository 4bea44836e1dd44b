package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLDelight migrations ({@code <version>.sqm}) are read as SQLite migrations, without their Kotlin
 * imports and column type mappings, and earlier {@code .sqm} files of the directory give the
 * previous columns. Examples written for this test.
 */
class SqlDelightTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(dir, "app/sqldelight/migrations/" + name, sql));
  }

  @Test
  void aDroppedTableIsRefused() throws Exception {
    // seen failing before the change: the file was not read at all (no finding)
    assertThat(
            rules(
                "4.sqm",
                """
                import kotlin.Boolean;
                import com.example.Perch;

                CREATE TABLE nest_sites(
                    url TEXT NOT NULL PRIMARY KEY,
                    occupied INTEGER AS Boolean NOT NULL,
                    perches TEXT AS kotlin.collections.List<Perch>
                );

                INSERT INTO nest_sites(url, occupied, perches)
                SELECT base || '/nest', 0, NULL FROM nest_boxes;

                DROP TABLE nest_boxes;
                """))
        .contains("DBG101");
  }

  @Test
  void theKotlinMappingsAreNotSql() throws Exception {
    // an added nullable column with a Kotlin mapping is plain ADD COLUMN: no finding, no parse note
    assertThat(
            rules(
                "5.sqm",
                "import kotlin.Boolean;\n\nALTER TABLE birds ADD COLUMN ringed INTEGER AS Boolean;\n"))
        .isEmpty();
  }
}
