package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loops that write each row back through the ORM's save after changing it are the UPDATE they
 * amount to, in both ORM front ends: an in-place mutation ({@code row.url.strip!}) then a save, a
 * save guarded only by {@code row.url_changed?}, {@code Model.all.each(&:save)} and {@code
 * each(&:touch)} in Rails; assignments under an {@code if} with the row saved after it in a Django
 * {@code RunPython} loop. Near misses keep their verdicts: a scoped relation or queryset, a save
 * that only some rows reach, a loop that only reads, loops in {@code down} or a reverse function,
 * loops over literal lists. Examples written for this test.
 */
class RowLoopSaveTest {

  @TempDir Path dir;

  private int n;

  private List<String> rails(String up, String down) throws Exception {
    n++;
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/2024050100000" + n + "_kiln_rows" + n + ".rb",
            "class KilnRows"
                + n
                + " < ActiveRecord::Migration[7.1]\n"
                + "  def up\n"
                + up
                + "  end\n\n"
                + "  def down\n"
                + down
                + "  end\n"
                + "end\n"));
  }

  private List<String> up(String body) throws Exception {
    return rails(body, "");
  }

  @Test
  void anInPlaceMutationSavedIsTheTransformationOfThatColumn() throws Exception {
    // as row.update!(glaze_url: row.glaze_url.strip): a method applied to the column it replaces
    assertThat(
            up(
                "    Kiln.find_each do |k|\n"
                    + "      k.glaze_url.strip!\n"
                    + "      k.save!\n"
                    + "    end\n"))
        .containsExactly("DBG112");
    // a save only of rows that changed skips rows that would be written unchanged: no scope
    assertThat(
            up(
                "    Kiln.all.each do |k|\n"
                    + "      k.glaze_url.strip!\n"
                    + "      k.save!(validate: false) if k.glaze_url_changed?\n"
                    + "    end\n"))
        .containsExactly("DBG112");
    assertThat(
            up(
                "    Kiln.where(fuel: 'gas').each do |k|\n"
                    + "      k.glaze_url.strip!\n"
                    + "      k.save!\n"
                    + "    end\n"))
        .isEmpty();
  }

  @Test
  void everyRowSavedOrTouchedThroughASymbolBlock() throws Exception {
    assertThat(up("    Kiln.all.each(&:save)\n")).containsExactly("DBG223");
    assertThat(up("    Kiln.find_each(batch_size: 200, &:save!)\n")).containsExactly("DBG223");
    assertThat(up("    Kiln.find_each { |k| k.save! }\n")).containsExactly("DBG223");
    // updated_at = now on every row, as Kiln.update_all(updated_at: Time.current)
    assertThat(up("    Kiln.all.each(&:touch)\n")).containsExactly("DBG112");
    assertThat(up("    Kiln.where(fuel: nil).each(&:save)\n")).isEmpty();
    assertThat(up("    [1, 2, 3].each(&:save)\n")).isEmpty();
    assertThat(rails("", "    Kiln.all.each(&:save)\n")).isEmpty();
  }

  @Test
  void anAssignmentUnderATestWithTheRowSavedAfterItWritesEveryRow() throws Exception {
    assertThat(
            up(
                "    Kiln.all.each do |k|\n"
                    + "      if k.legacy_code.present?\n"
                    + "        k.code = k.legacy_code\n"
                    + "      end\n"
                    + "      k.save!\n"
                    + "    end\n"))
        .containsExactly("DBG223");
    // the save itself under the test: only the rows that pass it are written
    assertThat(
            up(
                "    Kiln.all.each do |k|\n"
                    + "      if k.legacy_code.present?\n"
                    + "        k.code = 'legacy'\n"
                    + "        k.save!\n"
                    + "      end\n"
                    + "    end\n"))
        .isEmpty();
  }

  @Test
  void railsNearMissesKeepTheirVerdicts() throws Exception {
    assertThat(
            up(
                "    Kiln.all.each do |k|\n"
                    + "      k.code = \"K-#{k.number}\"\n"
                    + "      k.save(validate: false)\n"
                    + "    end\n"))
        .containsExactly("DBG223");
    assertThat(up("    Kiln.find_each { |k| k.fuel = 'wood'; k.save }\n"))
        .containsExactly("DBG112");
    assertThat(up("    Kiln.all.each do |k|\n      puts k.code\n    end\n")).isEmpty();
    assertThat(
            up(
                "    %w[gas wood electric].each do |fuel|\n"
                    + "      f = Fuel.new(name: fuel)\n"
                    + "      f.save!\n"
                    + "    end\n"))
        .doesNotContain("DBG112", "DBG223");
    assertThat(
            up(
                "    Kiln.find_each do |k|\n"
                    + "      k.tags << Tag.find_by(name: 'fired')\n"
                    + "      k.save!\n"
                    + "    end\n"))
        .doesNotContain("DBG112", "DBG223");
    assertThat(
            rails(
                "",
                "    Kiln.all.each do |k|\n"
                    + "      k.glaze_url.strip!\n"
                    + "      k.save!\n"
                    + "    end\n"))
        .isEmpty();
  }

  private List<String> django(String functions, String runPython) throws Exception {
    n++;
    Path migrations = dir.resolve("pottery/migrations");
    Files.createDirectories(migrations);
    Path f = migrations.resolve("00" + (10 + n) + "_kilns.py");
    Files.writeString(
        f,
        "from django.db import migrations\n\n"
            + functions
            + "\nclass Migration(migrations.Migration):\n"
            + "    dependencies = [(\"pottery\", \"0001_initial\")]\n"
            + "    operations = ["
            + runPython
            + "]\n");
    return AnalysisFiles.ruleIds(f);
  }

  private static final String FORWARD =
      "def forward(apps, schema_editor):\n" + "    Kiln = apps.get_model(\"pottery\", \"Kiln\")\n";

  private static final String NOOP = "migrations.RunPython(forward, migrations.RunPython.noop)";

  @Test
  void aDjangoAssignmentUnderATestWithTheRowSavedAfterItWritesEveryRow() throws Exception {
    assertThat(
            django(
                FORWARD
                    + "    for k in Kiln.objects.all().iterator():\n"
                    + "        if k.legacy_code:\n"
                    + "            k.code = k.legacy_code.upper()\n"
                    + "        else:\n"
                    + "            k.code = \"K-%d\" % k.pk\n"
                    + "        k.save(update_fields=[\"code\"])\n",
                NOOP))
        .containsExactly("DBG223");
    assertThat(
            django(
                FORWARD
                    + "    for k in Kiln.objects.only(\"fuel\"):\n"
                    + "        if not k.fuel:\n"
                    + "            k.fuel = \"gas\"\n"
                    + "        k.save()\n",
                NOOP))
        .containsExactly("DBG223");
  }

  @Test
  void djangoNearMissesKeepTheirVerdicts() throws Exception {
    // the save under the test: a WHERE
    assertThat(
            django(
                FORWARD
                    + "    for k in Kiln.objects.all():\n"
                    + "        if k.legacy_code:\n"
                    + "            k.code = k.legacy_code\n"
                    + "            k.save()\n",
                NOOP))
        .isEmpty();
    assertThat(
            django(
                FORWARD
                    + "    for k in Kiln.objects.exclude(legacy_code=\"\"):\n"
                    + "        k.code = k.legacy_code\n"
                    + "        k.save(update_fields=[\"code\"])\n",
                NOOP))
        .isEmpty();
    assertThat(
            django(
                FORWARD
                    + "    for k in Kiln.objects.all():\n"
                    + "        k.fuel = \"gas\"\n"
                    + "        k.save(update_fields=[\"fuel\"])\n",
                NOOP))
        .containsExactly("DBG112");
    assertThat(django(FORWARD + "    for k in Kiln.objects.all():\n        print(k.code)\n", NOOP))
        .isEmpty();
    assertThat(
            django(
                FORWARD
                    + "    pass\n\n"
                    + "def backward(apps, schema_editor):\n"
                    + "    Kiln = apps.get_model(\"pottery\", \"Kiln\")\n"
                    + "    for k in Kiln.objects.all():\n"
                    + "        if k.code:\n"
                    + "            k.legacy_code = k.code\n"
                    + "        k.save()\n",
                "migrations.RunPython(forward, backward)"))
        .isEmpty();
  }
}
