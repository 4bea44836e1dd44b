package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails block over the rows of a model ({@code Model.find_each do |row|}) that writes columns of
 * the row is judged as the UPDATE it amounts to, like a Django {@code RunPython} loop: over every
 * row a constant or an in-place transformation of the column overwrites (DBG112), values read from
 * other columns are a backfill (DBG223), and a scope or a test of each row makes it a scoped
 * update. Examples written for this test.
 */
class RailsRowLoopTest {

  @TempDir Path dir;

  private List<String> rules(String body) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/20240301000000_hive_rows.rb",
            "class HiveRows < ActiveRecord::Migration[7.1]\n"
                + "  def up\n"
                + body
                + "  end\n\n"
                + "  def down\n"
                + "    Hive.find_each { |h| h.update_column(:status, nil) }\n"
                + "  end\n"
                + "end\n"));
  }

  @Test
  void aConstantWrittenToEveryRowOverwritesIt() throws Exception {
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n      hive.update!(status: \"active\")\n    end\n"))
        .containsExactly("DBG112");
    assertThat(rules("    Hive.all.each { |h| h.update_column(:status, 'active') }\n"))
        .containsExactly("DBG112");
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n"
                    + "      hive.status = 'active'\n"
                    + "      hive.save!(validate: false)\n"
                    + "    end\n"))
        .containsExactly("DBG112");
  }

  @Test
  void aMethodAppliedToTheColumnItReplacesIsAnInPlaceTransformation() throws Exception {
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n"
                    + "      name = NameCleaner.clean(hive.name)\n"
                    + "      hive.update!(name:)\n"
                    + "    end\n"))
        .containsExactly("DBG112");
    // where.not(name: nil) skips only rows with nothing to lose
    assertThat(
            rules(
                "    Hive.where.not(name: [nil, \"\"]).find_each do |hive|\n"
                    + "      hive.update_columns(name: hive.name.strip.titleize)\n"
                    + "    end\n"))
        .containsExactly("DBG112");
  }

  @Test
  void valuesReadFromOtherColumnsOfTheRowAreABackfill() throws Exception {
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n"
                    + "      hive.update_columns(label: \"#{hive.apiary_code}-#{hive.number}\")\n"
                    + "    end\n"))
        .containsExactly("DBG223");
  }

  @Test
  void aScopeOrATestOfEachRowMakesItAScopedUpdate() throws Exception {
    assertThat(
            rules(
                "    Hive.where(status: nil).find_each do |hive|\n"
                    + "      hive.update!(status: 'active')\n"
                    + "    end\n"))
        .isEmpty();
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n"
                    + "      next if hive.status.present?\n"
                    + "      hive.update!(status: 'active')\n"
                    + "    end\n"))
        .isEmpty();
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n"
                    + "      if hive.frames.to_i > 20\n"
                    + "        hive.update!(status: 'split')\n"
                    + "      end\n"
                    + "    end\n"))
        .isEmpty();
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n"
                    + "      hive.update!(status: 'split') if hive.frames.to_i > 20\n"
                    + "    end\n"))
        .isEmpty();
  }

  @Test
  void aLoopThatOnlyReadsTheRowsWritesNothing() throws Exception {
    assertThat(
            rules(
                "    Hive.find_each do |hive|\n"
                    + "      Inspection.create!(hive_id: hive.id, notes: 'migrated')\n"
                    + "    end\n"))
        .doesNotContain("DBG112", "DBG223");
  }
}
