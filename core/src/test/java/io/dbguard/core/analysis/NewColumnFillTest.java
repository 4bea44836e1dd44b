package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An UPDATE without WHERE that only sets columns the same migration added overwrites nothing the
 * application stored (the column holds its default or NULL): a backfill (DBG223), not data loss
 * (DBG112), whatever the new value is. So is {@code SET c = COALESCE(c, …)}, which changes only the
 * NULL rows. Examples written for this test.
 */
class NewColumnFillTest {

  @TempDir Path dir;

  @Test
  void aConstantIntoAColumnAddedInTheSameFileIsABackfill() throws Exception {
    Path f =
        write(
            dir,
            "V7__region.sql",
            """
            ALTER TABLE accounts ADD COLUMN region text;
            UPDATE accounts SET region = 'eu-west';
            ALTER TABLE shipments ADD COLUMN checked boolean NOT NULL DEFAULT false;
            UPDATE shipments SET checked = true;
            """);
    assertThat(ruleIds(f)).containsExactly("DBG223", "DBG223");
  }

  @Test
  void aSubSelectIntoANewColumnIsABackfill() throws Exception {
    Path f =
        write(
            dir,
            "V8__counts.sql",
            """
            ALTER TABLE orders ADD COLUMN line_count integer DEFAULT 0;
            UPDATE orders SET line_count =
              (SELECT count(*) FROM order_lines l WHERE l.order_id = orders.id);
            """);
    assertThat(ruleIds(f)).containsExactly("DBG223");
  }

  @Test
  void existingColumnsAndIfNotExistsStayOverwrites() throws Exception {
    Path existing = write(dir, "a/V9__reset.sql", "UPDATE accounts SET region = 'eu-west';\n");
    Path mixed =
        write(
            dir,
            "b/V9__mixed.sql",
            """
            ALTER TABLE accounts ADD COLUMN tier text;
            UPDATE accounts SET tier = 'free', region = 'eu-west';
            """);
    Path maybeOld =
        write(
            dir,
            "c/V9__maybe.sql",
            """
            ALTER TABLE accounts ADD COLUMN IF NOT EXISTS region text;
            UPDATE accounts SET region = 'eu-west';
            """);
    Path droppedAgain =
        write(
            dir,
            "d/V9__again.sql",
            """
            ALTER TABLE accounts ADD COLUMN tier text;
            ALTER TABLE accounts DROP COLUMN tier;
            ALTER TABLE accounts RENAME COLUMN plan TO tier;
            UPDATE accounts SET tier = 'free';
            """);
    assertThat(ruleIds(existing)).containsExactly("DBG112");
    assertThat(ruleIds(mixed)).containsExactly("DBG112");
    assertThat(ruleIds(maybeOld)).containsExactly("DBG112");
    assertThat(ruleIds(droppedAgain)).contains("DBG112");
  }

  @Test
  void coalesceOfTheColumnItselfFillsOnlyNulls() throws Exception {
    Path fill =
        write(
            dir,
            "e/V10__zero.sql",
            "UPDATE invoices SET discount = COALESCE(discount, 0), note = coalesce(invoices.note,"
                + " '');\n");
    Path other =
        write(dir, "f/V10__zero.sql", "UPDATE invoices SET discount = COALESCE(0, discount);\n");
    Path fromOther =
        write(dir, "g/V10__zero.sql", "UPDATE invoices SET discount = COALESCE(rebate, 0);\n");
    assertThat(ruleIds(fill)).containsExactly("DBG223");
    assertThat(ruleIds(other)).containsExactly("DBG112");
    assertThat(ruleIds(fromOther)).containsExactly("DBG112");
  }

  @Test
  void railsModelsNameTheirDefaultTables() {
    assertThat(io.dbguard.core.analysis.model.Names.railsTable("Account")).isEqualTo("accounts");
    assertThat(io.dbguard.core.analysis.model.Names.railsTable("LineItem")).isEqualTo("line_items");
    assertThat(io.dbguard.core.analysis.model.Names.railsTable("Category")).isEqualTo("categories");
    assertThat(io.dbguard.core.analysis.model.Names.railsTable("Admin::Person"))
        .isEqualTo("people");
    assertThat(io.dbguard.core.analysis.model.Names.railsTable("Address")).isEqualTo("addresses");
    assertThat(io.dbguard.core.analysis.model.Names.railsTable("Day")).isEqualTo("days");
  }

  @Test
  void railsUpdateAllOfANewColumnIsABackfill() throws Exception {
    Path f =
        write(
            dir,
            "db/migrate/20240301000000_add_tier_to_accounts.rb",
            """
            class AddTierToAccounts < ActiveRecord::Migration[7.1]
              def change
                add_column :accounts, :tier, :string
                Account.update_all(tier: "free")
              end
            end
            """);
    Path old =
        write(
            dir,
            "db2/migrate/20240301000000_reset_tier.rb",
            """
            class ResetTier < ActiveRecord::Migration[7.1]
              def change
                Account.update_all(tier: "free")
              end
            end
            """);
    assertThat(ruleIds(f)).containsExactly("DBG223");
    assertThat(ruleIds(old)).containsExactly("DBG112");
  }
}
