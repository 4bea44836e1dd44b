package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data migration without a reverse (DBG221): {@code reverse_code=None} / {@code reverse_sql=None}
 * is Django's default, an irreversible operation, not a reverse. Migrations written for this test.
 */
class DjangoReverseTest {

  @TempDir Path dir;

  private List<String> rules(String operation) throws Exception {
    Path f =
        AnalysisFiles.write(
            dir,
            "kennel/migrations/0004_dogs.py",
            """
        from django.db import migrations


        def forwards(apps, schema_editor):
            pass


        def backwards(apps, schema_editor):
            pass


        class Migration(migrations.Migration):
            dependencies = [("kennel", "0003_previous")]

            operations = [
                %s
            ]
        """
                .formatted(operation));
    return AnalysisFiles.ruleIds(f);
  }

  @Test
  void noneAsTheReverseIsNoReverse() throws Exception {
    assertThat(rules("migrations.RunPython(forwards, reverse_code=None),")).contains("DBG221");
    assertThat(rules("migrations.RunPython(forwards, None),")).contains("DBG221");
    assertThat(rules("migrations.RunSQL(\"SELECT 1\", reverse_sql=None),")).contains("DBG221");
    assertThat(rules("migrations.RunPython(forwards),")).contains("DBG221");
  }

  @Test
  void aReverseFunctionOrNoopIsAReverse() throws Exception {
    assertThat(rules("migrations.RunPython(forwards, backwards),")).doesNotContain("DBG221");
    assertThat(rules("migrations.RunPython(forwards, migrations.RunPython.noop),"))
        .doesNotContain("DBG221");
    assertThat(rules("migrations.RunSQL(\"SELECT 1\", migrations.RunSQL.noop),"))
        .doesNotContain("DBG221");
  }
}
