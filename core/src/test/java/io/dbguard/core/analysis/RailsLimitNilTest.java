package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rails {@code limit: nil} (also {@code :limit => nil}) removes a string column's limit: the column
 * becomes an unbounded {@code varchar}, a widening, not a {@code varchar(nil)} of unknown bound.
 * Examples written for this test.
 */
class RailsLimitNilTest {

  @TempDir Path dir;

  private List<String> rules(String name, String body) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/" + name,
            "class Change < ActiveRecord::Migration[5.2]\n  def up\n" + body + "  end\nend\n"));
  }

  @Test
  void limitNilIsAnUnboundedString() throws Exception {
    AnalysisFiles.write(
        dir,
        "db/migrate/20190101000000_create_notes.rb",
        "class CreateNotes < ActiveRecord::Migration[5.2]\n  def change\n"
            + "    create_table :notes do |t|\n      t.string :title, limit: 80\n    end\n"
            + "  end\nend\n");
    // seen failing before the change: DBG108 (varchar(nil)) for both
    assertThat(
            rules(
                "20190101000001_unlimit.rb",
                "    change_column :notes, :title, :string, limit: nil\n"))
        .doesNotContain("DBG108", "DBG209");
    assertThat(
            rules(
                "20190101000002_unlimit_unknown.rb",
                "    change_column :notes, :body, :string, :limit => nil\n"))
        .doesNotContain("DBG108")
        .containsExactly("DBG226");
  }

  @Test
  void aRealLimitStillBounds() throws Exception {
    assertThat(
            rules(
                "20190101000003_bound.rb", "    change_column :notes, :body, :string, limit: 20\n"))
        .containsExactly("DBG108");
  }
}
