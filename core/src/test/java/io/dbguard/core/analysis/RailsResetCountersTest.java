package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Model.reset_counters(row.id, :assoc)} in a loop over every row recounts each row's counter
 * cache from its associated rows: a backfill (DBG223), scoped by a filter of the loop. Examples
 * written for this test.
 */
class RailsResetCountersTest {

  @TempDir Path dir;

  private List<String> rules(String name, String body) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/" + name,
            "class AddVisitsCount < ActiveRecord::Migration[7.1]\n  def up\n"
                + body
                + "  end\nend\n"));
  }

  @Test
  void recountingEveryRowIsABackfill() throws Exception {
    // seen failing before the change: no finding
    assertThat(
            rules(
                "20240301000000_add_visits_count.rb",
                """
                    add_column :nests, :visits_count, :integer, default: 0
                    Nest.reset_column_information
                    Nest.find_each do |nest|
                      Nest.reset_counters(nest.id, :visits)
                    end
                """))
        .containsExactly("DBG223");
    assertThat(
            rules(
                "20240301000001_recount.rb",
                """
                    Aviary::Nest.find_each { |n| Aviary::Nest.reset_counters(n.id, :visits, :eggs) }
                """))
        .containsExactly("DBG223");
  }

  @Test
  void aScopedLoopRecountsSomeRows() throws Exception {
    assertThat(
            rules(
                "20240301000002_recount_some.rb",
                """
                    Nest.where(abandoned: false).find_each do |nest|
                      Nest.reset_counters(nest.id, :visits)
                    end
                """))
        .isEmpty();
  }
}
