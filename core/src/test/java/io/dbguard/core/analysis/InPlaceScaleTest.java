package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling a column in place over every row ({@code SET seen = seen * 1000}: seconds to
 * milliseconds) changes the unit the running version reads every value in: an overwrite (DBG112),
 * on PostgreSQL and SQLite. Into another column it is a backfill; a shift ({@code n + 1}) stays
 * one. Django's spelling, {@code objects.update(c=F("c") * 60)} on an unfiltered queryset (also
 * with {@code Decimal} or inside {@code ExpressionWrapper}), and a {@code RunPython} loop that sets
 * {@code r.c = r.c * 60} on every row, are the same SQL and judged as it is. Examples written for
 * this test.
 */
class InPlaceScaleTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, sql));
  }

  @Test
  void scalingInPlaceOverwrites() throws Exception {
    // seen failing before the change: DBG223 on PostgreSQL, nothing on SQLite
    assertThat(rules("pg/V7__ms.sql", "UPDATE sightings SET seen = seen * 1000;"))
        .containsExactly("DBG112");
    assertThat(rules("sqlite/7/upgrade_ms.sql", "UPDATE sightings SET seen = 1000 * seen;"))
        .containsExactly("DBG112");
  }

  @Test
  void intoAnotherColumnOrAShiftIsABackfill() throws Exception {
    assertThat(rules("pg/V8__ms.sql", "UPDATE sightings SET seen_ms = seen * 1000;"))
        .containsExactly("DBG223");
    assertThat(rules("pg/V9__shift.sql", "UPDATE sightings SET position = position + 1;"))
        .containsExactly("DBG223");
  }

  /** A Django migration of app {@code sched} whose {@code forward} function is {@code body}. */
  private List<String> django(String name, String body) throws Exception {
    return rules(
        "sched/migrations/" + name,
        "from decimal import Decimal\n"
            + "from django.db import migrations, models\n"
            + "from django.db.models import ExpressionWrapper, F\n\n"
            + "def forward(apps, schema_editor):\n"
            + "    Schedule = apps.get_model(\"sched\", \"Schedule\")\n"
            + body
            + "\nclass Migration(migrations.Migration):\n"
            + "    dependencies = [(\"sched\", \"0001_initial\")]\n"
            + "    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]\n");
  }

  @Test
  void djangoScalingEveryRowThroughFOverwrites() throws Exception {
    // seen failing before the change: DBG223 for each (an F() update counted as a backfill)
    assertThat(
            django(
                "0002_minutes.py", "    Schedule.objects.update(interval=F(\"interval\") * 60)\n"))
        .containsExactly("DBG112");
    assertThat(
            django(
                "0003_ms.py",
                "    Schedule.objects.all().update(interval=F(\"interval\") / 1000)\n"))
        .containsExactly("DBG112");
    assertThat(
            django(
                "0004_cents.py",
                "    Price = apps.get_model(\"sched\", \"Price\")\n"
                    + "    Price.objects.update(amount=F(\"amount\") * Decimal(\"100\"))\n"))
        .containsExactly("DBG112");
    assertThat(
            django(
                "0005_wrapped.py",
                "    Schedule.objects.update(\n"
                    + "        interval=ExpressionWrapper(\n"
                    + "            F(\"interval\") * 60, output_field=models.IntegerField()\n"
                    + "        )\n"
                    + "    )\n"))
        .containsExactly("DBG112");
    assertThat(
            django(
                "0006_held.py",
                "    every = Schedule.objects.all()\n"
                    + "    every.update(interval=60 * F(\"interval\"), runs=F(\"runs\") + 1)\n"))
        .containsExactly("DBG112");
    assertThat(
            django(
                "0007_loop.py",
                "    for s in Schedule.objects.all():\n"
                    + "        s.interval = s.interval * 60\n"
                    + "        s.save()\n"))
        .containsExactly("DBG112");
  }

  @Test
  void djangoScopedShiftedOrIntoAnotherColumnKeepsItsVerdict() throws Exception {
    assertThat(
            django(
                "0002_scoped.py",
                "    Schedule.objects.filter(unit=\"h\").update(interval=F(\"interval\") * 60)\n"))
        .isEmpty();
    assertThat(django("0003_shift.py", "    Schedule.objects.update(runs=F(\"runs\") + 1)\n"))
        .containsExactly("DBG223");
    assertThat(
            django(
                "0004_other.py",
                "    Schedule.objects.update(interval_ms=F(\"interval\") * 1000)\n"))
        .containsExactly("DBG223");
    assertThat(
            django(
                "0005_loop_shift.py",
                "    for s in Schedule.objects.all():\n"
                    + "        s.runs = s.runs + 1\n"
                    + "        s.save()\n"))
        .containsExactly("DBG223");
  }

  @Test
  void djangoRunSqlScalingInPlaceOverwrites() throws Exception {
    assertThat(
            rules(
                "sched/migrations/0002_sql.py",
                "from django.db import migrations\n\n"
                    + "class Migration(migrations.Migration):\n"
                    + "    dependencies = [(\"sched\", \"0001_initial\")]\n"
                    + "    operations = [\n"
                    + "        migrations.RunSQL(\n"
                    + "            \"UPDATE sched_schedule SET every = every * 60\",\n"
                    + "            reverse_sql=\"UPDATE sched_schedule SET every = every / 60\",\n"
                    + "        ),\n"
                    + "    ]\n"))
        .containsExactly("DBG112");
  }
}
