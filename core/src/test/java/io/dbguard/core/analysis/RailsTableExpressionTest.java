package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails schema call whose table is an expression (a loop over {@code connection.tables}) is
 * judged as a change to an existing table, and its finding names the expression the file wrote, not
 * {@code null}. Examples written for this test.
 */
class RailsTableExpressionTest {

  @TempDir Path dir;

  @Test
  void aLoopVariableTableIsNamedInTheFinding() throws Exception {
    Path file =
        AnalysisFiles.write(
            dir,
            "db/migrate/20200101000000_change_ids.rb",
            "class ChangeIds < ActiveRecord::Migration[6.0]\n  def up\n"
                + "    ActiveRecord::Base.connection.tables.each do |table|\n"
                + "      next if table == \"schema_migrations\"\n"
                + "      change_column table, :id, :bigint\n"
                + "    end\n  end\nend\n");
    List<Finding> findings = AnalysisFiles.findings(file);
    assertThat(findings).extracting(Finding::ruleId).containsExactly("DBG209");
    // seen failing before the change: "null.id type changes to bigint"
    assertThat(findings.get(0).message()).contains("<table>.id").doesNotContain("null");
  }

  @Test
  void aLiteralTableIsUnchanged() throws Exception {
    Path file =
        AnalysisFiles.write(
            dir,
            "db/migrate/20200101000001_change_id.rb",
            "class ChangeId < ActiveRecord::Migration[6.0]\n  def up\n"
                + "    change_column :orders, :id, :bigint\n  end\nend\n");
    assertThat(AnalysisFiles.findings(file).get(0).message()).contains("orders.id");
  }
}
