package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails schema call inside a loop over a literal list of tables ({@code %i[a b].each do |t|}, or
 * a local holding such a list) is read once per table, so each table's earlier migrations judge it.
 * Examples written for this test.
 */
class RailsListLoopTest {

  @TempDir Path dir;

  private static final String CREATE =
      """
      class CreateNests < ActiveRecord::Migration[6.1]
        def change
          create_table :nests do |t|
            t.datetime :seen_at
            t.timestamps
          end
          create_table :perches do |t|
            t.datetime :seen_at
          end
        end
      end
      """;

  private List<Finding> findings(String name, String body) throws Exception {
    AnalysisFiles.write(dir, "db/migrate/20210101000000_create_nests.rb", CREATE);
    return AnalysisFiles.findings(
        AnalysisFiles.write(
            dir,
            "db/migrate/" + name,
            "class Loop < ActiveRecord::Migration[7.0]\n  def change\n" + body + "  end\nend\n"));
  }

  @Test
  void aTypeChangeInALoopIsJudgedPerTable() throws Exception {
    // seen failing before the change: DBG108 twice, "null.seen_at … previous type unknown"
    assertThat(
            findings(
                "20220101000000_precision.rb",
                """
                    tables = %w[nests perches]
                    tables.each do |table|
                      change_column table, :seen_at, :datetime, precision: 6
                    end
                """))
        .isEmpty();
  }

  @Test
  void eachTableIsNamed() throws Exception {
    List<Finding> found =
        findings(
            "20220101000001_drop_seen.rb",
            "    %i[nests perches].each { |t| remove_column t, :seen_at }\n");
    assertThat(found).extracting(Finding::ruleId).containsExactly("DBG102", "DBG102");
    assertThat(found.get(0).message()).contains("nests.seen_at");
    assertThat(found.get(1).message()).contains("perches.seen_at");
  }
}
