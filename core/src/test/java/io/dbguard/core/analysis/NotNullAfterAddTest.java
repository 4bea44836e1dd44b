package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column added in the batch that ends NOT NULL without a default — its default dropped after the
 * add, or the column taken into a new primary key — is one the running version's inserts leave out:
 * DBG109, as for SET NOT NULL after the add. Examples written for this test.
 */
class NotNullAfterAddTest {

  @TempDir Path dir;

  private List<String> rules(String name, String text) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, text));
  }

  @Test
  void aDefaultDroppedAfterANotNullAddIsRefused() throws Exception {
    // seen failing before the change: no finding
    assertThat(
            rules(
                "upgrades/2.1.sql",
                "ALTER TABLE aviary ADD COLUMN keeper varchar(64) NOT NULL DEFAULT 'warden';\n"
                    + "ALTER TABLE aviary ALTER COLUMN keeper DROP DEFAULT;\n"))
        .containsExactly("DBG109");
  }

  @Test
  void theAddAloneOrADropOfAnExistingDefaultIsNot() throws Exception {
    assertThat(
            rules(
                "upgrades/2.2.sql",
                "ALTER TABLE aviary ADD COLUMN wing varchar(64) NOT NULL DEFAULT 'east';\n"))
        .isEmpty();
    assertThat(rules("upgrades/2.3.sql", "ALTER TABLE aviary ALTER COLUMN perch DROP DEFAULT;\n"))
        .isEmpty();
  }

  @Test
  void aColumnAddedThenTakenIntoThePrimaryKeyIsRefused() throws Exception {
    // seen failing before the change: DBG223 and DBG206 only
    assertThat(
            rules(
                "upgrades/2.4.sql",
                "ALTER TABLE aviary ADD COLUMN zone int;\n"
                    + "UPDATE aviary SET zone = 1;\n"
                    + "ALTER TABLE aviary DROP CONSTRAINT aviary_pkey,"
                    + " ADD CONSTRAINT aviary_pkey PRIMARY KEY (zone, name);\n"))
        .contains("DBG109", "DBG206");
    // a primary key over columns the table had keeps its verdict
    assertThat(
            rules("upgrades/2.5.sql", "ALTER TABLE perches ADD PRIMARY KEY (aviary_id, name);\n"))
        .doesNotContain("DBG109");
  }

  @Test
  void railsChangeColumnDefaultToNilAfterTheAdd() throws Exception {
    // seen failing before the change: no finding
    assertThat(
            rules(
                "db/migrate/20240101000000_add_keeper.rb",
                """
                class AddKeeper < ActiveRecord::Migration[7.1]
                  def change
                    add_column :aviaries, :keeper, :string, null: false, default: "warden"
                    change_column_default :aviaries, :keeper, from: "warden", to: nil
                  end
                end
                """))
        .contains("DBG109");
    assertThat(
            rules(
                "db/migrate/20240101000001_add_wing.rb",
                """
                class AddWing < ActiveRecord::Migration[7.1]
                  def up
                    add_column :aviaries, :wing, :string, null: false, default: "east"
                    change_column_default :aviaries, :wing, nil
                  end
                end
                """))
        .contains("DBG109");
  }
}
