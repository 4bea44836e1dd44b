package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filter that only skips rows with nothing to lose — the column being set already empty, NULL or
 * the new value — scopes nothing: {@code UPDATE t SET c = '' WHERE c <> ''} and a Django loop
 * {@code if r.c: r.c = ""} overwrite every value the column held (DBG112). Loops over a model's
 * custom manager ({@code Nest.visible.all()}) are read as loops over its rows, a save through a
 * helper ({@code save_quietly(r)}) is a save, and values read through locals computed from the row
 * are derived from it (a backfill). Examples written for this test.
 */
class ClearingFilterTest {

  @TempDir Path dir;

  private List<String> sql(String name, String text) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "sql/" + name, text));
  }

  private List<String> django(String name, String function) throws Exception {
    Path migrations = dir.resolve("aviary/migrations");
    Files.createDirectories(migrations);
    Path f = migrations.resolve(name);
    Files.writeString(
        f,
        "from django.db import migrations\n\n"
            + function
            + "\nclass Migration(migrations.Migration):\n"
            + "    dependencies = [(\"aviary\", \"0001_initial\")]\n"
            + "    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]\n");
    return AnalysisFiles.ruleIds(f);
  }

  @Test
  void aWhereThatOnlySkipsEmptyValuesIsNoScope() throws Exception {
    // seen failing before the change: no finding for each
    assertThat(sql("V1__clear.sql", "UPDATE nests SET keeper = '' WHERE keeper <> '';"))
        .containsExactly("DBG112");
    assertThat(sql("V2__clear.sql", "UPDATE nests SET keeper = NULL WHERE keeper IS NOT NULL;"))
        .containsExactly("DBG112");
    assertThat(
            sql(
                "V3__clear.sql",
                "UPDATE nests SET keeper = 'none' WHERE (keeper IS NOT NULL AND keeper != 'none');"))
        .containsExactly("DBG112");
  }

  @Test
  void aConditionOnAnythingElseIsAScope() throws Exception {
    assertThat(
            sql("V4__scoped.sql", "UPDATE nests SET keeper = '' WHERE keeper <> '' AND site = 3;"))
        .isEmpty();
    assertThat(sql("V5__scoped.sql", "UPDATE nests SET keeper = '' WHERE keeper <> 'warden';"))
        .isEmpty();
    assertThat(sql("V6__scoped.sql", "UPDATE nests SET keeper = '' WHERE site IS NOT NULL;"))
        .isEmpty();
  }

  @Test
  void aDjangoLoopThatOnlySkipsEmptyValuesOverwritesEveryValue() throws Exception {
    // seen failing before the change: DBG221 alone (the custom manager was not read as a loop)
    assertThat(
            django(
                "0002_clear_keeper.py",
                """
                def forward(apps, schema_editor):
                    Nest = apps.get_model("aviary", "Nest")
                    for nest in Nest.visible.all():
                        if nest.keeper:
                            nest.keeper = ""
                            nest.save()
                """))
        .containsExactly("DBG112");
    // a test of another field chooses rows
    assertThat(
            django(
                "0003_clear_keeper_scoped.py",
                """
                def forward(apps, schema_editor):
                    Nest = apps.get_model("aviary", "Nest")
                    for nest in Nest.objects.all():
                        if nest.abandoned:
                            nest.keeper = ""
                            nest.save()
                """))
        .doesNotContain("DBG112");
  }

  @Test
  void valuesReadThroughLocalsOfTheRowAreABackfill() throws Exception {
    // seen failing before the change: no Update at all (custom manager, save through a helper)
    assertThat(
            django(
                "0004_last_visit.py",
                """
                def forward(apps, schema_editor):
                    Nest = apps.get_model("aviary", "Nest")
                    for nest in Nest.visible.all():
                        try:
                            latest = nest.visit_set.latest("at")
                            nest.last_visit = latest.at
                        except Exception:
                            pass
                        save_quietly(nest)
                """))
        .containsExactly("DBG223");
  }
}
