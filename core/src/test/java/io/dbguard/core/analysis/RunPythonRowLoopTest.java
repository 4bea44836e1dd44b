package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data overwritten inside Django {@code RunPython} (issue 13): a loop over every row that assigns
 * and saves is an {@code UPDATE} without {@code WHERE} — constants overwrite (DBG112), values read
 * from the row are a backfill (DBG223) — and {@code update()} with {@code F()} expressions is a
 * backfill. Examples written for this test.
 */
class RunPythonRowLoopTest {

  @TempDir Path dir;

  private List<String> migration(String name, String functions, String runPython) throws Exception {
    Path migrations = dir.resolve("aviary/migrations");
    Files.createDirectories(migrations);
    Path f = migrations.resolve(name);
    Files.writeString(
        f,
        "from django.db import migrations\n"
            + "from django.db.models import F\n\n"
            + functions
            + "\nclass Migration(migrations.Migration):\n"
            + "    dependencies = [(\"aviary\", \"0001_initial\")]\n"
            + "    operations = ["
            + runPython
            + "]\n");
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .map(Finding::ruleId)
            .toList();
  }

  private static final String NOOP = "migrations.RunPython(forward, migrations.RunPython.noop)";

  @Test
  void aLoopOverEveryRowSettingAConstantOverwritesEveryRow() throws Exception {
    assertThat(
            migration(
                "0002_perches.py",
                "def forward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    for p in Parrot.objects.all():\n"
                    + "        p.perch = None\n"
                    + "        p.save()\n",
                NOOP))
        .containsExactly("DBG112");
    assertThat(
            migration(
                "0003_bulk.py",
                "def forward(apps, schema_editor):\n"
                    + "    Finch = apps.get_model(\"aviary\", \"Finch\")\n"
                    + "    finches = Finch.objects.iterator()\n"
                    + "    changed = []\n"
                    + "    for f in finches:\n"
                    + "        f.song = \"default\"\n"
                    + "        changed.append(f)\n"
                    + "    Finch.objects.bulk_update(changed, [\"song\"])\n",
                NOOP))
        .containsExactly("DBG112");
  }

  @Test
  void valuesReadFromTheRowAreABackfill() throws Exception {
    assertThat(
            migration(
                "0004_slug.py",
                "def forward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    for p in Parrot.objects.all():\n"
                    + "        p.ring_code = p.name.upper() + str(p.id)\n"
                    + "        p.save(update_fields=[\"ring_code\"])\n"
                    + "    Parrot.objects.update(wing_mm=F(\"wing_cm\") * 10)\n",
                NOOP))
        .containsExactly("DBG223", "DBG223");
  }

  @Test
  void scopedLoopsAndReverseFunctionsAreNotFullTableUpdates() throws Exception {
    assertThat(
            migration(
                "0005_scoped.py",
                "def forward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    for p in Parrot.objects.filter(perch__isnull=True):\n"
                    + "        p.perch = \"low\"\n"
                    + "        p.save()\n"
                    + "    for p in Parrot.objects.all():\n"
                    + "        if p.perch == \"\":\n"
                    + "            p.perch = \"low\"\n"
                    + "            p.save()\n\n"
                    + "def backward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    for p in Parrot.objects.all():\n"
                    + "        p.perch = None\n"
                    + "        p.save()\n",
                "migrations.RunPython(forward, backward)"))
        .isEmpty();
  }
}
