package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.findings;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django migration whose {@code operations} are built by a function when the file is imported is
 * not passed over in silence: dbguard says it could not read them. Example written for this test.
 */
class DjangoDynamicOperationsTest {

  @TempDir Path dir;

  @Test
  void operationsBuiltByCodeAreReportedAsNotAnalysed() throws Exception {
    Path f =
        write(
            dir,
            "shop/migrations/0012_drop_legacy.py",
            """
            from django.db import migrations

            LEGACY = ["shop_oldcart", "shop_oldline"]


            def build():
                return [migrations.RunSQL(f"DROP TABLE IF EXISTS {t}") for t in LEGACY]


            class Migration(migrations.Migration):
                dependencies = [("shop", "0011_cart")]
                operations = build()
            """);
    List<Finding> found = findings(f);
    assertThat(found).extracting(Finding::ruleId).containsExactly("DBG901");
    assertThat(found.get(0).message()).contains("operations built by code").contains("build()");
  }
}
