package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SET NOT NULL after a validated {@code col IS NOT NULL} CHECK skips the table scan on PostgreSQL
 * 12+: the recipe DBG208 itself recommends is not reported. Examples written for this test.
 */
class NotNullByCheckTest {

  @TempDir Path dir;

  @Test
  void theRecipeInOneSqlFileIsNotAScan() throws Exception {
    // validating in the transaction that added the check is its own warning (DBG212), the SET
    // NOT NULL after it is no scan
    Path f =
        write(
            dir,
            "a/V5__email_required.sql",
            """
            ALTER TABLE customers ADD CONSTRAINT customers_email_not_null
              CHECK (email IS NOT NULL) NOT VALID;
            ALTER TABLE customers VALIDATE CONSTRAINT customers_email_not_null;
            ALTER TABLE customers ALTER COLUMN email SET NOT NULL;
            ALTER TABLE customers DROP CONSTRAINT customers_email_not_null;
            """);
    assertThat(ruleIds(f)).containsExactly("DBG212");
  }

  @Test
  void theStrongMigrationsSecondStepIsNotAScan() throws Exception {
    Path f =
        write(
            dir,
            "b/db/migrate/20240601000000_validate_customers_email_null.rb",
            """
            class ValidateCustomersEmailNull < ActiveRecord::Migration[7.1]
              def up
                validate_check_constraint :customers, name: "customers_email_null"
                change_column_null :customers, :email, false
                remove_check_constraint :customers, name: "customers_email_null"
              end
            end
            """);
    assertThat(ruleIds(f)).isEmpty();
  }

  @Test
  void anUnrelatedValidatedCheckStillLeavesTheScan() throws Exception {
    Path f =
        write(
            dir,
            "c/V6__price.sql",
            """
            ALTER TABLE products VALIDATE CONSTRAINT products_price_positive;
            ALTER TABLE products ALTER COLUMN price SET NOT NULL;
            ALTER TABLE orders VALIDATE CONSTRAINT orders_price_null;
            """);
    assertThat(ruleIds(f)).containsExactly("DBG208");
  }
}
