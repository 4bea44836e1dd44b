package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop over every row that deletes each row is the ORM form of a {@code DELETE} without {@code
 * WHERE} (DBG111), in Django {@code RunPython} code and in Rails migrations; a scoped queryset or
 * relation, or a test of the row in the body, makes it a delete with a real WHERE. Django {@code
 * RunPython} loops that replace a field by a function of itself overwrite it (DBG112), as {@code
 * SET c = f(c)} does. Examples written for this test; each assertion marked below was seen failing
 * before the change (no finding, or DBG223).
 */
class RowLoopDeleteTest {

  @TempDir Path dir;

  private List<String> django(String name, String function) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "aviary/migrations/" + name,
            "from django.db import migrations\n\n\n"
                + function
                + "\n\nclass Migration(migrations.Migration):\n"
                + "    dependencies = [(\"aviary\", \"0001_initial\")]\n"
                + "    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]\n"));
  }

  private List<String> rails(String name, String body) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/" + name,
            "class Prune < ActiveRecord::Migration[7.1]\n  def up\n" + body + "  end\nend\n"));
  }

  @Test
  void aDjangoLoopDeletingEveryRowDeletesEveryRow() throws Exception {
    // seen failing before the change: no finding
    assertThat(
            django(
                "0002_purge.py",
                "def forward(apps, schema_editor):\n"
                    + "    Perch = apps.get_model(\"aviary\", \"Perch\")\n"
                    + "    for perch in Perch.objects.all():\n"
                    + "        perch.delete()\n"))
        .containsExactly("DBG111");
  }

  @Test
  void aScopedOrTestedDjangoLoopDeleteIsScoped() throws Exception {
    assertThat(
            django(
                "0003_purge_empty.py",
                "def forward(apps, schema_editor):\n"
                    + "    Perch = apps.get_model(\"aviary\", \"Perch\")\n"
                    + "    for perch in Perch.objects.filter(height=0):\n"
                    + "        perch.delete()\n"))
        .doesNotContain("DBG111");
    assertThat(
            django(
                "0004_purge_broken.py",
                "def forward(apps, schema_editor):\n"
                    + "    Perch = apps.get_model(\"aviary\", \"Perch\")\n"
                    + "    for perch in Perch.objects.all():\n"
                    + "        if perch.height < 0:\n"
                    + "            perch.delete()\n"))
        .doesNotContain("DBG111");
  }

  @Test
  void aDjangoLoopReplacingAFieldByAFunctionOfItselfOverwritesIt() throws Exception {
    // seen failing before the change: DBG223 (a backfill)
    assertThat(
            django(
                "0005_hash.py",
                "def forward(apps, schema_editor):\n"
                    + "    Ring = apps.get_model(\"aviary\", \"Ring\")\n"
                    + "    for ring in Ring.objects.all():\n"
                    + "        ring.code = make_hash(ring.code)\n"
                    + "        ring.save()\n"))
        .containsExactly("DBG112");
    assertThat(
            django(
                "0006_upper.py",
                "def forward(apps, schema_editor):\n"
                    + "    Ring = apps.get_model(\"aviary\", \"Ring\")\n"
                    + "    for ring in Ring.objects.iterator():\n"
                    + "        ring.code = ring.code.upper()\n"
                    + "        ring.save(update_fields=[\"code\"])\n"))
        .containsExactly("DBG112");
    // a function of other fields, or arithmetic on itself, stays a backfill
    assertThat(
            django(
                "0007_label.py",
                "def forward(apps, schema_editor):\n"
                    + "    Ring = apps.get_model(\"aviary\", \"Ring\")\n"
                    + "    for ring in Ring.objects.all():\n"
                    + "        ring.label = slugify(ring.code)\n"
                    + "        ring.size = ring.size + 1\n"
                    + "        ring.save()\n"))
        .containsExactly("DBG223");
  }

  @Test
  void aRailsBlockDestroyingEveryRowDeletesEveryRow() throws Exception {
    // seen failing before the change: no finding
    assertThat(rails("20240501000000_prune_perches.rb", "    Perch.find_each(&:destroy)\n"))
        .containsExactly("DBG111");
    assertThat(
            rails(
                "20240501000001_prune_rings.rb",
                "    Ring.all.each { |r| r.destroy! }\n"
                    + "    Nest.find_each do |n|\n"
                    + "      n.delete\n"
                    + "    end\n"))
        .containsExactly("DBG111", "DBG111");
  }

  @Test
  void aScopedOrTestedRailsDestroyIsScoped() throws Exception {
    assertThat(
            rails(
                "20240501000002_prune_empty.rb",
                "    Perch.where(height: 0).find_each(&:destroy)\n"
                    + "    Ring.find_each do |r|\n"
                    + "      next unless r.broken?\n"
                    + "      r.destroy\n"
                    + "    end\n"))
        .doesNotContain("DBG111");
  }
}
