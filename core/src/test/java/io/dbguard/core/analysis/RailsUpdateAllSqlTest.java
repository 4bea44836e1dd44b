package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Model.update_all("…")} with a SQL SET list is read as the SQL {@code UPDATE} it runs: a
 * copy of another column of the row is a backfill (DBG223), a constant or an in-place function of
 * the replaced column overwrites (DBG112). Examples written for this test.
 */
class RailsUpdateAllSqlTest {

  @TempDir Path dir;

  private List<String> rules(String body) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/20240401000000_hive_dates.rb",
            "class HiveDates < ActiveRecord::Migration[7.1]\n  def up\n" + body + "  end\nend\n"));
  }

  @Test
  void aColumnCopiedFromTheRowIsABackfill() throws Exception {
    // seen failing before the change: DBG112 (a SQL string was "values not known")
    assertThat(rules("    Hive.update_all(\"inspected_on = installed_on\")\n"))
        .containsExactly("DBG223");
    assertThat(rules("    Hive.update_all('frames_total = frames_brood + frames_honey')\n"))
        .containsExactly("DBG223");
  }

  @Test
  void constantsAndInPlaceFunctionsStillOverwrite() throws Exception {
    assertThat(rules("    Hive.update_all(\"status = 'active'\")\n")).containsExactly("DBG112");
    assertThat(rules("    Hive.update_all(\"name = lower(name)\")\n")).containsExactly("DBG112");
    assertThat(rules("    Hive.update_all([\"status = ?\", \"active\"])\n"))
        .containsExactly("DBG112");
    // the SQL TRIM syntax too (seen failing before the change: DBG223), as a Ruby strip! loop is
    assertThat(rules("    Hive.update_all('name = TRIM(name)')\n")).containsExactly("DBG112");
  }

  @Test
  void aScopedCallStaysScoped() throws Exception {
    assertThat(
            rules(
                "    Hive.where(inspected_on: nil).update_all(\"inspected_on = installed_on\")\n"))
        .isEmpty();
  }
}
