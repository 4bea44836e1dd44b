package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Django {@code RunPython} function does happens where the RunPython stands in {@code
 * operations}, not where the function is defined: a function defined above the Migration class that
 * fills the fields the AddFields before its RunPython added is a fill of new columns (DBG223), as
 * it is when the function is defined below. Examples written for this test.
 */
class RunPythonOrderTest {

  @TempDir Path dir;

  private static final String FUNCTION =
      "def reset_dates(apps, schema_editor):\n"
          + "    Nest = apps.get_model(\"aviary\", \"Nest\")\n"
          + "    Nest.objects.all().update(built_on=None, abandoned_on=None)\n";

  private static String migration(String name, boolean functionFirst, boolean runPythonLast) {
    String adds =
        "        migrations.AddField(\n"
            + "            model_name=\"nest\",\n"
            + "            name=\"built_on\",\n"
            + "            field=models.DateTimeField(null=True),\n"
            + "        ),\n"
            + "        migrations.AddField(\n"
            + "            model_name=\"nest\",\n"
            + "            name=\"abandoned_on\",\n"
            + "            field=models.DateTimeField(default=None, null=True),\n"
            + "        ),\n";
    String run = "        migrations.RunPython(reset_dates, migrations.RunPython.noop),\n";
    String cls =
        "class Migration(migrations.Migration):\n"
            + "    dependencies = [(\"aviary\", \"0006_previous\")]\n"
            + "    operations = [\n"
            + (runPythonLast ? adds + run : run + adds)
            + "    ]\n";
    return "from django.db import migrations, models\n\n\n"
        + (functionFirst ? FUNCTION + "\n\n" + cls : cls + "\n\n" + FUNCTION);
  }

  private List<String> rules(String name, boolean functionFirst, boolean runPythonLast)
      throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir, "aviary/migrations/" + name, migration(name, functionFirst, runPythonLast)));
  }

  @Test
  void aFunctionDefinedAboveRunsWhereItsRunPythonStands() throws Exception {
    // seen failing before the change: DBG112 (the update was ordered before the AddFields)
    assertThat(rules("0007_nest_dates.py", true, true)).containsExactly("DBG223");
    // defined below: the same verdict, as before the change
    assertThat(rules("0008_nest_dates.py", false, true)).containsExactly("DBG223");
  }

  @Test
  void aRunPythonBeforeTheAddFieldsOverwritesExistingColumns() throws Exception {
    assertThat(rules("0009_nest_dates.py", true, false)).containsExactly("DBG112");
    assertThat(rules("0010_nest_dates.py", false, false)).containsExactly("DBG112");
  }
}
