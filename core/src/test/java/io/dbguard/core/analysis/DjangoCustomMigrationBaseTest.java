package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django migration whose {@code Migration} class extends the project's own base class (which is
 * itself a {@code migrations.Migration}) is a migration, judged by its operations, not a seed in
 * which no write was found. Examples written for this test.
 */
class DjangoCustomMigrationBaseTest {

  @TempDir Path dir;

  private static final String FIRST =
      "from django.db import migrations, models\n"
          + "from stock.common.migrate import ExtraFieldsMigration\n\n\n"
          + "class Migration(ExtraFieldsMigration):\n"
          + "    dependencies = [(\"stock\", \"0007_bins\")]\n\n"
          + "    operations = [\n"
          + "        migrations.AddField(\n"
          + "            model_name=\"bin\",\n"
          + "            name=\"reorder_level\",\n"
          + "            field=models.DecimalField(max_digits=20, decimal_places=6, null=True),\n"
          + "        ),\n"
          + "    ]\n";

  private List<String> rules(String name, String text) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "extras/migrations/" + name, text));
  }

  @Test
  void aMigrationOnAProjectBaseClassIsJudgedByItsOperations() throws Exception {
    // seen failing before the change: no finding (read as a seed that writes nothing)
    AnalysisFiles.write(dir, "extras/migrations/__init__.py", "");
    rules("0001_reorder_level.py", FIRST);
    assertThat(
            rules(
                "0002_reorder_level_integer.py",
                "from django.db import migrations, models\n"
                    + "from stock.common.migrate import ExtraFieldsMigration\n\n\n"
                    + "class Migration(ExtraFieldsMigration):\n"
                    + "    dependencies = [(\"extras\", \"0001_reorder_level\")]\n\n"
                    + "    operations = [\n"
                    + "        migrations.AlterField(\n"
                    + "            model_name=\"bin\",\n"
                    + "            name=\"reorder_level\",\n"
                    + "            field=models.IntegerField(null=True),\n"
                    + "        ),\n"
                    + "    ]\n"))
        .contains("DBG108");
    assertThat(
            rules(
                "0003_drop_reorder.py",
                "from django.db import migrations\n"
                    + "from stock.common import migrate\n\n\n"
                    + "class Migration(migrate.ExtraFieldsMigration):\n"
                    + "    dependencies = [(\"extras\", \"0002_reorder_level_integer\")]\n"
                    + "    operations = [migrations.RemoveField(\"bin\", \"reorder_level\")]\n"))
        .contains("DBG102");
  }

  @Test
  void otherPythonFilesBesideMigrationsStayWhatTheyAre() throws Exception {
    // a helper module in migrations/ with no Migration class is not a migration
    Path helper =
        AnalysisFiles.write(
            dir,
            "extras/migrations/helpers.py",
            "def reorder(apps):\n    Bin = apps.get_model('extras', 'Bin')\n    return Bin\n");
    assertThat(
            FileClassifier.classify(helper, java.nio.file.Files.readString(helper), null, false)
                .kind())
        .isNotEqualTo(io.dbguard.core.analysis.model.FileKind.DJANGO_MIGRATION);
  }
}
