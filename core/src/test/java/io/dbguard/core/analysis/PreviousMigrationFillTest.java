package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails migration that fills, in every row, columns the directory's immediately preceding
 * migration added without a default — the second step of "add the column, backfill it, then set NOT
 * NULL" — is a backfill (DBG223), not an overwrite of established values; a column added by an
 * older migration, or with a default, is still overwritten (DBG112). Examples written for this
 * test.
 */
class PreviousMigrationFillTest {

  @TempDir Path dir;

  private Path write(String name, String body) throws Exception {
    String cls = "M" + Math.abs(name.hashCode());
    return AnalysisFiles.write(
        dir,
        "db/migrate/" + name + ".rb",
        "class " + cls + " < ActiveRecord::Migration[7.1]\n  def up\n" + body + "  end\nend\n");
  }

  private static final String FILL =
      "    Hive.find_each do |hive|\n"
          + "      hive.update!(keeper_type: \"Apiary\", keeper_id: hive.apiary_id)\n"
          + "    end\n";

  @Test
  void aFillOfColumnsThePreviousMigrationAddedIsABackfill() throws Exception {
    write(
        "20240501000000_create_hives",
        "    create_table :hives do |t|\n      t.bigint :apiary_id\n    end\n");
    write(
        "20240502000000_add_keeper_to_hives",
        "    add_reference :hives, :keeper, polymorphic: true, null: true\n");
    // seen failing before the change: DBG112
    List<Finding> f = AnalysisFiles.findings(write("20240503000000_fill_hive_keepers", FILL));
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG223");
    assertThat(f.get(0).message())
        .contains("previous migration 20240502000000_add_keeper_to_hives.rb");
    assertThat(
            AnalysisFiles.ruleIds(
                write("20240503000001_status", "    Hive.update_all(status: 'x')\n")))
        .containsExactly("DBG112"); // status was not added by the previous migration
  }

  @Test
  void anOlderColumnOrOneWithADefaultIsStillOverwritten() throws Exception {
    write(
        "20240601000000_add_keeper_to_hives",
        "    add_reference :hives, :keeper, polymorphic: true, null: true\n");
    write("20240602000000_add_frames_to_hives", "    add_column :hives, :frames, :integer\n");
    assertThat(AnalysisFiles.ruleIds(write("20240603000000_fill_hive_keepers", FILL)))
        .containsExactly("DBG112");
    write(
        "20240701000000_add_state_to_hives",
        "    add_column :hives, :state, :string, default: \"new\"\n");
    assertThat(
            AnalysisFiles.ruleIds(
                write("20240702000000_fill_state", "    Hive.update_all(state: 'active')\n")))
        .containsExactly("DBG112");
  }
}
