package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column added in the batch and made NOT NULL is judged (DBG109) on its state when the
 * transaction commits: a default set later in the same transaction is there before the running
 * version's inserts can see the NOT NULL. Examples written for this test.
 */
class DefaultBeforeCommitTest {

  @TempDir Path dir;

  private static String rails(String prelude, String body) {
    return "class AddGraceDaysToShops < ActiveRecord::Migration[6.1]\n"
        + prelude
        + "  def up\n"
        + body
        + "  end\nend\n";
  }

  private static final String RAILS_BODY =
      """
          add_column :shops, :grace_days, :integer
          execute "UPDATE shops SET grace_days = 7"
          change_column_null :shops, :grace_days, false
          change_column_default :shops, :grace_days, 7
      """;

  @Test
  void aRailsDefaultSetLaterInTheMigrationIsThereAtCommit() throws Exception {
    Path f =
        write(dir, "a/db/migrate/20220314080000_add_grace_days_to_shops.rb", rails("", RAILS_BODY));
    Path fromTo =
        write(
            dir,
            "b/db/migrate/20220314080000_add_grace_days_to_shops.rb",
            rails(
                "",
                RAILS_BODY.replace(
                    "change_column_default :shops, :grace_days, 7",
                    "change_column_default :shops, :grace_days, from: nil, to: 7")));
    assertThat(ruleIds(f)).doesNotContain("DBG109").contains("DBG223");
    assertThat(ruleIds(fromTo)).doesNotContain("DBG109").contains("DBG223");
  }

  @Test
  void aSqlDefaultSetLaterInTheTransactionIsThereAtCommit() throws Exception {
    Path flyway =
        write(
            dir,
            "c/V12__shop_grace_days.sql",
            """
            ALTER TABLE shops ADD COLUMN grace_days integer;
            UPDATE shops SET grace_days = 7;
            ALTER TABLE shops ALTER COLUMN grace_days SET NOT NULL;
            ALTER TABLE shops ALTER COLUMN grace_days SET DEFAULT 7;
            """);
    Path explicit =
        write(
            dir,
            "d/shop_grace_days.sql",
            """
            BEGIN;
            ALTER TABLE shops ADD COLUMN grace_days integer;
            UPDATE shops SET grace_days = 7;
            ALTER TABLE shops ALTER grace_days SET NOT NULL, ALTER grace_days SET DEFAULT 7;
            COMMIT;
            """);
    assertThat(ruleIds(flyway)).doesNotContain("DBG109").contains("DBG223");
    assertThat(ruleIds(explicit)).doesNotContain("DBG109").contains("DBG223");
  }

  @Test
  void withoutATransactionOrWithTheDefaultDroppedAgainTheRefusalStays() throws Exception {
    Path noTx =
        write(
            dir,
            "e/db/migrate/20220314080000_add_grace_days_to_shops.rb",
            rails("  disable_ddl_transaction!\n\n", RAILS_BODY));
    Path dropped =
        write(
            dir,
            "f/V12__shop_grace_days.sql",
            """
            ALTER TABLE shops ADD COLUMN grace_days integer;
            UPDATE shops SET grace_days = 7;
            ALTER TABLE shops ALTER COLUMN grace_days SET NOT NULL;
            ALTER TABLE shops ALTER COLUMN grace_days SET DEFAULT 7;
            ALTER TABLE shops ALTER COLUMN grace_days DROP DEFAULT;
            """);
    Path committedBetween =
        write(
            dir,
            "g/shop_grace_days.sql",
            """
            BEGIN;
            ALTER TABLE shops ADD COLUMN grace_days integer;
            UPDATE shops SET grace_days = 7;
            ALTER TABLE shops ALTER COLUMN grace_days SET NOT NULL;
            COMMIT;
            ALTER TABLE shops ALTER COLUMN grace_days SET DEFAULT 7;
            """);
    assertThat(ruleIds(noTx)).contains("DBG109");
    assertThat(ruleIds(dropped)).contains("DBG109");
    assertThat(ruleIds(committedBetween)).contains("DBG109");
  }

  @Test
  void aDefaultSetByTheNextMigrationComesTooLate() throws Exception {
    Path first =
        write(
            dir,
            "h/db/migrate/20220314080000_add_grace_days_to_shops.rb",
            rails(
                "", RAILS_BODY.replace("    change_column_default :shops, :grace_days, 7\n", "")));
    Path second =
        write(
            dir,
            "h/db/migrate/20220314080100_default_grace_days.rb",
            """
            class DefaultGraceDays < ActiveRecord::Migration[6.1]
              def up
                change_column_default :shops, :grace_days, 7
              end
            end
            """);
    List<String> ids =
        new Analyzer()
            .analyze(List.of(first, second), AnalysisOptions.defaults()).findings().stream()
                .map(Finding::ruleId)
                .toList();
    assertThat(ids).contains("DBG109");
  }
}
