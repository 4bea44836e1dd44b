package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside a Rails loop over every row of a model, a loop over an association of the row ({@code
 * bird.rings.each do |ring|}) visits every row of the association's table: its writes are judged as
 * an UPDATE of that table without WHERE, unless the outer or the inner chain scopes it. Examples
 * written for this test; each was seen failing before the change (no finding).
 */
class RailsAssociationLoopTest {

  @TempDir Path dir;

  private List<String> rules(String name, String body) throws Exception {
    AnalysisFiles.write(
        dir,
        "db/migrate/20240102000000_add_ring_version.rb",
        "class AddRingVersion < ActiveRecord::Migration[7.1]\n"
            + "  def change\n    add_column :rings, :version, :integer\n  end\nend\n");
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/" + name,
            "class Rings < ActiveRecord::Migration[7.1]\n  def up\n" + body + "  end\nend\n"));
  }

  @Test
  void aNestedLoopFillingTheColumnThePreviousMigrationAddedIsABackfill() throws Exception {
    assertThat(
            rules(
                "20240102000001_populate_ring_versions.rb",
                "    Bird.all.each do |bird|\n"
                    + "      bird.rings.order(:created_at).each_with_index do |ring, i|\n"
                    + "        ring.update_columns(version: i + 1)\n"
                    + "      end\n"
                    + "    end\n"))
        .containsExactly("DBG223");
  }

  @Test
  void aNestedLoopSettingAConstantOverwritesEveryRow() throws Exception {
    assertThat(
            rules(
                "20240102000002_reset_rings.rb",
                "    Bird.find_each do |bird|\n"
                    + "      bird.rings.each do |ring|\n"
                    + "        ring.update!(colour: \"grey\")\n"
                    + "      end\n"
                    + "    end\n"))
        .containsExactly("DBG112");
  }

  @Test
  void aScopedOuterOrInnerChainScopesIt() throws Exception {
    assertThat(
            rules(
                "20240102000003_red_rings.rb",
                "    Bird.where(kind: \"finch\").find_each do |bird|\n"
                    + "      bird.rings.each { |ring| ring.update!(colour: \"red\") }\n"
                    + "    end\n"
                    + "    Bird.find_each do |bird|\n"
                    + "      bird.rings.where(lost: true).each { |ring| ring.update!(colour: \"red\") }\n"
                    + "    end\n"))
        .doesNotContain("DBG112", "DBG223");
  }
}
