package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rails' batched form of a data change, {@code Model.in_batches do |relation|
 * relation.update_all(…) end}, changes the same rows as one {@code Model.update_all(…)}. Examples
 * written for this test.
 */
class RailsBatchBlockTest {

  @TempDir Path dir;

  private Path migration(String name, String body) throws Exception {
    return write(
        dir,
        name + "/db/migrate/20240401000000_" + name + ".rb",
        "class M < ActiveRecord::Migration[7.1]\n  disable_ddl_transaction!\n\n  def up\n"
            + body
            + "  end\nend\n");
  }

  @Test
  void aBatchedUnscopedUpdateOfAnExistingColumnOverwritesEveryRow() throws Exception {
    Path doBlock =
        migration(
            "reset_flags",
            """
                Invoice.in_batches(of: 2_000).each_with_index do |batch, i|
                  batch.update_all(reminder_sent: false)
                  say "batch #{i}"
                end
            """);
    Path braces =
        migration(
            "reset_flags_braces",
            "    Invoice.in_batches(of: 500) { |rel| rel.update_all(reminder_sent: false) }\n");
    Path deletes =
        migration(
            "purge",
            """
                AuditEntry.in_batches do |relation|
                  relation.delete_all
                end
            """);
    assertThat(ruleIds(doBlock)).containsExactly("DBG112");
    assertThat(ruleIds(braces)).containsExactly("DBG112");
    assertThat(ruleIds(deletes)).containsExactly("DBG111");
  }

  @Test
  void aScopedBatchIsAScopedUpdateAndANewColumnIsFilled() throws Exception {
    Path scoped =
        migration(
            "fill_nulls",
            """
                Invoice.where(currency: nil).in_batches do |batch|
                  batch.update_all(currency: "EUR")
                end
            """);
    Path fresh =
        write(
            dir,
            "fresh/db/migrate/20240402000000_add_region.rb",
            """
            class AddRegion < ActiveRecord::Migration[7.1]
              def change
                add_column :shops, :region, :string
                Shop.in_batches do |batch|
                  batch.update_all(region: "eu")
                end
              end
            end
            """);
    assertThat(ruleIds(scoped)).isEmpty();
    assertThat(ruleIds(fresh)).containsExactly("DBG223");
  }

  @Test
  void aBlockParameterOfAnotherLoopIsNotARelation() throws Exception {
    Path f =
        migration(
            "strings",
            """
                %w[a b].each do |batch|
                  batch.delete("x")
                end
            """);
    assertThat(ruleIds(f)).isEmpty();
  }
}
