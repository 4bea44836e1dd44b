package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CHECK written on a column that ALTER TABLE … ADD COLUMN adds is checked against every existing
 * row under the ALTER's lock, like ADD CONSTRAINT … CHECK without NOT VALID (DBG204). Examples
 * written for this test.
 */
class AddColumnCheckTest {

  @TempDir Path dir;

  @Test
  void anInlineCheckOnANewColumnOfAnExistingTableIsValidatedUnderLock() throws Exception {
    Path f =
        write(
            dir,
            "a/V3__quota.sql",
            "ALTER TABLE tenants ADD COLUMN quota_gb integer NOT NULL DEFAULT 10"
                + " CONSTRAINT quota_range CHECK (quota_gb BETWEEN 1 AND 1000);\n");
    Path plain =
        write(dir, "b/V3__quota.sql", "ALTER TABLE tenants ADD COLUMN quota_gb integer;\n");
    Path fresh =
        write(
            dir,
            "c/V3__quota.sql",
            """
            CREATE TABLE plans (id bigint PRIMARY KEY);
            ALTER TABLE plans ADD COLUMN seats integer CHECK (seats > 0);
            """);
    assertThat(ruleIds(f)).containsExactly("DBG204");
    assertThat(ruleIds(plain)).isEmpty();
    assertThat(ruleIds(fresh)).isEmpty();
  }
}
