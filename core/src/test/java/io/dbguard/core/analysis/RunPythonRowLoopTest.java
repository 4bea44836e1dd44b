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
    return migration(name, functions, runPython, "");
  }

  /** {@code extra}: further lines of the Migration class body, such as {@code atomic = False}. */
  private List<String> migration(String name, String functions, String runPython, String extra)
      throws Exception {
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
            + extra
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

  private static final String ADD_FIELD =
      "migrations.AddField(model_name=\"parrot\", name=\"ring\","
          + " field=models.CharField(max_length=8, null=True)), ";

  private List<String> withDdl(String name, String functions, boolean atomic) throws Exception {
    return migration(
        name,
        "from django.db import models, transaction\n" + functions,
        ADD_FIELD + NOOP,
        atomic ? "" : "    atomic = False\n");
  }

  @Test
  void aFilteredLoopSettingAConstantIsAScopedUpdateLikeItsSql() throws Exception {
    // UPDATE parrot SET perch = NULL WHERE ... beside ADD COLUMN in one transaction is DBG219
    String body =
        "def forward(apps, schema_editor):\n"
            + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
            + "    for p in Parrot.objects.filter(perch=\"high\").iterator():\n"
            + "        try:\n"
            + "            p.perch = None\n"
            + "            p.save()\n"
            + "        except ValueError:\n"
            + "            pass\n";
    assertThat(withDdl("0006_filtered.py", body, true)).containsExactly("DBG219");
    assertThat(withDdl("0007_filtered_nonatomic.py", body, false)).isEmpty();
    assertThat(migration("0008_filtered_alone.py", body, NOOP)).isEmpty();
    String excluded =
        "def forward(apps, schema_editor):\n"
            + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
            + "    old = Parrot.objects.exclude(perch__in=[\"a\", \"b\"])\n"
            + "    for p in old:\n"
            + "        with transaction.atomic():\n"
            + "            p.perch = \"unknown\"\n"
            + "            p.save(update_fields=[\"perch\"])\n";
    assertThat(withDdl("0009_excluded.py", excluded, true)).containsExactly("DBG219");
  }

  @Test
  void anUnscopedLoopOverwritesEvenWhenTheAssignmentSitsInTryOrWith() throws Exception {
    assertThat(
            migration(
                "0010_try.py",
                "def forward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    for p in Parrot.objects.all():\n"
                    + "        try:\n"
                    + "            p.perch = None\n"
                    + "            p.save()\n"
                    + "        except Exception:\n"
                    + "            pass\n"
                    + "    for p in Parrot.objects.iterator():\n"
                    + "        with transaction.atomic():\n"
                    + "            p.ring = \"\"\n"
                    + "            p.save()\n",
                NOOP))
        .containsExactly("DBG112", "DBG112");
  }

  @Test
  void aLoopThatTestsEachRowIsAScopedUpdateLikeItsSql() throws Exception {
    String body =
        "def forward(apps, schema_editor):\n"
            + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
            + "    for p in Parrot.objects.all():\n"
            + "        if p.perch == \"\":\n"
            + "            p.perch = None\n"
            + "            p.save()\n";
    assertThat(withDdl("0011_if.py", body, true)).containsExactly("DBG219");
  }

  @Test
  void aQuerysetUpdateIsJudgedLikeItsSqlWhereverTheQuerysetIsHeld() throws Exception {
    assertThat(
            withDdl(
                "0012_qs_update.py",
                "def forward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    Parrot.objects.filter(perch=\"high\").update(perch=None)\n"
                    + "    stale = Parrot.objects.exclude(ring__isnull=True)\n"
                    + "    stale.update(ring=\"none\")\n",
                true))
        .containsExactly("DBG219", "DBG219");
    assertThat(
            migration(
                "0013_qs_all_update.py",
                "def forward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    every = Parrot.objects.all()\n"
                    + "    every.update(perch=None)\n"
                    + "    apps.get_model(\"aviary\", \"Finch\").objects.all().update(song=\"x\")\n",
                NOOP))
        .containsExactly("DBG112", "DBG112");
    assertThat(
            migration(
                "0014_qs_reverse_only.py",
                "def forward(apps, schema_editor):\n"
                    + "    pass\n\n"
                    + "def backward(apps, schema_editor):\n"
                    + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
                    + "    every = Parrot.objects.all()\n"
                    + "    every.update(perch=None)\n",
                "migrations.RunPython(forward, backward)"))
        .isEmpty();
  }

  @Test
  void objectsBuiltPerIdForABulkUpdateAreTheSameUpdate() throws Exception {
    String build =
        "def forward(apps, schema_editor):\n"
            + "    Parrot = apps.get_model(\"aviary\", \"Parrot\")\n"
            + "    ids = list(Parrot.objects.order_by(\"name\").values_list(\"id\", flat=True))\n"
            + "    batch = []\n"
            + "    rank = 10\n"
            + "    for pk in ids:\n"
            + "        batch.append(Parrot(id=pk, perch_rank=rank))\n"
            + "        rank += 10\n"
            + "        if len(batch) >= 500:\n"
            + "            Parrot.objects.bulk_update(batch, [\"perch_rank\"])\n"
            + "            batch = []\n"
            + "    Parrot.objects.bulk_update(batch, [\"perch_rank\"])\n";
    // seen failing before the change: no finding
    assertThat(migration("0009_ranks.py", build, NOOP)).containsExactly("DBG112");
    // over a filtered queryset's ids it is scoped
    assertThat(
            migration(
                "0010_ranks.py",
                build.replace(
                    "Parrot.objects.order_by", "Parrot.objects.filter(perch_rank=None).order_by"),
                NOOP))
        .isEmpty();
  }
}
