package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails migration whose {@code up} calls helper methods defined below it is judged in the order
 * it runs: each helper's statements where {@code up} calls it, a helper only {@code down} calls not
 * at all. Examples written for this test.
 */
class RailsHelperMethodsTest {

  @TempDir Path dir;

  @Test
  void aTemporaryTableMadeByAHelperAndDroppedInUpIsNotARefusal() throws Exception {
    Path f =
        write(
            dir,
            "db/migrate/20240501000000_dedupe_memberships.rb",
            """
            class DedupeMemberships < ActiveRecord::Migration[7.1]
              def up
                collect_duplicates
                execute("DROP TABLE duplicate_memberships")
              end

              def down
                restore_everything
              end

              private

              def collect_duplicates
                execute(<<~SQL)
                  CREATE TABLE duplicate_memberships AS
                  SELECT id FROM memberships WHERE id NOT IN (SELECT min(id) FROM memberships GROUP BY user_id, team_id)
                SQL
              end

              def restore_everything
                execute("DROP TABLE memberships")
              end
            end
            """);
    assertThat(ruleIds(f)).isEmpty();
  }

  @Test
  void aHelperThatDropsAColumnIsJudgedWhereUpCallsIt() throws Exception {
    Path f =
        write(
            dir,
            "db2/migrate/20240502000000_remove_legacy.rb",
            """
            class RemoveLegacy < ActiveRecord::Migration[7.1]
              def up
                drop_legacy_columns
              end

              private

              def drop_legacy_columns
                remove_column :accounts, :legacy_code
              end
            end
            """);
    assertThat(ruleIds(f)).containsExactly("DBG102");
  }
}
