package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails {@code string} column declared without {@code limit:} by a migration written before Rails
 * 4.2 is {@code varchar(255)} in a PostgreSQL database; one declared later is unbounded. Examples
 * written for this test.
 */
class RailsOldStringLimitTest {

  @TempDir Path dir;

  private Path app(String root, String createName, String changeName) throws Exception {
    write(
        dir,
        root + "/db/migrate/" + createName,
        """
        class CreateNotes < ActiveRecord::Migration
          def self.up
            create_table :notes do |t|
              t.string :title, null: false
            end
          end
        end
        """);
    return write(
        dir,
        root + "/db/migrate/" + changeName,
        """
        class LongerNoteTitles < ActiveRecord::Migration[5.2]
          def up
            change_column :notes, :title, :string, limit: 500
          end
        end
        """);
  }

  @Test
  void aPre42StringWidenedToFiveHundredIsNoNarrowing() throws Exception {
    Path numbered = app("a", "012_create_notes.rb", "20180101000000_longer_note_titles.rb");
    Path stamped =
        app("b", "20130301000000_create_notes.rb", "20180101000000_longer_note_titles.rb");
    assertThat(ruleIds(numbered)).isEmpty();
    assertThat(ruleIds(stamped)).isEmpty();
  }

  @Test
  void aStringFromRails42OnIsUnboundedAndCappingItIsRefused() throws Exception {
    Path f = app("c", "20160301000000_create_notes.rb", "20180101000000_longer_note_titles.rb");
    assertThat(ruleIds(f)).containsExactly("DBG108");
    assertThat(RailsHistory.madeBeforeRails42("20141219235959_x.rb")).isTrue();
    assertThat(RailsHistory.madeBeforeRails42("20141220000000_x.rb")).isFalse();
    assertThat(RailsHistory.madeBeforeRails42("create_x.rb")).isFalse();
  }
}
