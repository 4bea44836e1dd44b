package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A type change whose previous type the earlier migrations do not declare (history pruned, a table
 * from a base schema) is judged from the type the same file's reverse direction gives the same
 * column: a Rails {@code def down} or {@code dir.down} {@code change_column}, the down section of a
 * goose, dbmate or sql-migrate file, a Django {@code RunSQL} {@code reverse_sql}. A type the
 * history knows wins. Examples written for this test.
 */
class DownPreviousTypeTest {

  @TempDir Path dir;

  private List<Finding> findings(String name, String text) throws Exception {
    return AnalysisFiles.findings(AnalysisFiles.write(dir, name, text));
  }

  private List<String> rules(String name, String text) throws Exception {
    return findings(name, text).stream().map(Finding::ruleId).toList();
  }

  private static String rails(String name, String up, String down) {
    return "class "
        + name
        + " < ActiveRecord::Migration[7.2]\n  def up\n"
        + up
        + "  end\n\n  def down\n"
        + down
        + "  end\nend\n";
  }

  @Test
  void railsDecimalPrecisionIncreaseFromTheDownMethodIsSafe() throws Exception {
    // seen failing before the change: DBG108 (previous type unknown)
    List<Finding> f =
        findings(
            "a/db/migrate/20240301000000_widen_amount.rb",
            rails(
                "WidenAmount",
                "    change_column :case_requests, :amount, :decimal, precision: 10, scale: 2\n",
                "    change_column :case_requests, :amount, :decimal, precision: 9, scale: 2\n"));
    assertThat(f).isEmpty();
  }

  @Test
  void railsVarcharWideningFromTheDownMethodIsSafe() throws Exception {
    // seen failing before the change: DBG108
    assertThat(
            rules(
                "b/db/migrate/20240301000000_widen_code.rb",
                rails(
                    "WidenCode",
                    "    change_column :accounts, :code, :string, limit: 255\n",
                    "    change_column :accounts, :code, :string, limit: 64\n")))
        .isEmpty();
  }

  @Test
  void railsReversibleBlockDownIsRead() throws Exception {
    // seen failing before the change: DBG108
    assertThat(
            rules(
                "c/db/migrate/20240301000000_widen_total.rb",
                "class WidenTotal < ActiveRecord::Migration[7.2]\n"
                    + "  def change\n"
                    + "    reversible do |dir|\n"
                    + "      dir.up { change_column :invoices, :total, :decimal, precision: 12,"
                    + " scale: 2 }\n"
                    + "      dir.down do\n"
                    + "        change_column :invoices, :total, :decimal, precision: 8, scale: 2\n"
                    + "      end\n"
                    + "    end\n"
                    + "  end\n"
                    + "end\n"))
        .isEmpty();
  }

  @Test
  void railsNarrowingOrScaleChangeFromTheDownMethodStaysRefused() throws Exception {
    List<Finding> f =
        findings(
            "d/db/migrate/20240301000000_narrow_code.rb",
            rails(
                "NarrowCode",
                "    change_column :accounts, :code, :string, limit: 64\n",
                "    change_column :accounts, :code, :string, limit: 255\n"));
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG108");
    assertThat(f.get(0).message()).contains("from varchar(255)").contains("the down method");
    // a scale change rewrites every value (and may round)
    assertThat(
            rules(
                "e/db/migrate/20240301000000_scale.rb",
                rails(
                    "Scale",
                    "    change_column :case_requests, :amount, :decimal, precision: 10, scale: 3\n",
                    "    change_column :case_requests, :amount, :decimal, precision: 9, scale: 2\n")))
        .isNotEmpty();
    // a precision decrease may fail on large values
    assertThat(
            rules(
                "f/db/migrate/20240301000000_shrink.rb",
                rails(
                    "Shrink",
                    "    change_column :case_requests, :amount, :decimal, precision: 8, scale: 2\n",
                    "    change_column :case_requests, :amount, :decimal, precision: 9, scale: 2\n")))
        .containsExactly("DBG108");
  }

  @Test
  void railsDownThatDoesNotStateThePreviousTypeChangesNothing() throws Exception {
    String up = "    change_column :case_requests, :amount, :decimal, precision: 10, scale: 2\n";
    // the down changes another column
    assertThat(
            rules(
                "g/db/migrate/20240301000000_other.rb",
                rails(
                    "Other",
                    up,
                    "    change_column :case_requests, :fee, :decimal, precision: 9, scale: 2\n")))
        .containsExactly("DBG108");
    // an empty down, an irreversible one
    assertThat(rules("h/db/migrate/20240301000000_empty.rb", rails("Empty", up, "")))
        .containsExactly("DBG108");
    assertThat(
            rules(
                "i/db/migrate/20240301000000_irreversible.rb",
                rails("Irreversible", up, "    raise ActiveRecord::IrreversibleMigration\n")))
        .containsExactly("DBG108");
    // a down whose type is not literal
    assertThat(
            rules(
                "j/db/migrate/20240301000000_dynamic.rb",
                rails(
                    "Dynamic",
                    up,
                    "    change_column :case_requests, :amount, old_type, precision: 9, scale:"
                        + " 2\n")))
        .containsExactly("DBG108");
    assertThat(
            rules(
                "k/db/migrate/20240301000000_dynamic_limit.rb",
                rails(
                    "DynamicLimit",
                    "    change_column :accounts, :code, :string, limit: 255\n",
                    "    change_column :accounts, :code, :string, limit: OLD_LIMIT\n")))
        .containsExactly("DBG108");
  }

  @Test
  void railsKnownHistoryTypeWins() throws Exception {
    write(
        "l/db/migrate/20240101000000_create_accounts.rb",
        "class CreateAccounts < ActiveRecord::Migration[7.2]\n"
            + "  def change\n"
            + "    create_table :accounts do |t|\n"
            + "      t.string :code, limit: 300\n"
            + "    end\n"
            + "  end\n"
            + "end\n");
    List<Finding> f =
        findings(
            "l/db/migrate/20240301000000_widen_code.rb",
            rails(
                "WidenCode",
                "    change_column :accounts, :code, :string, limit: 255\n",
                "    change_column :accounts, :code, :string, limit: 64\n"));
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG108");
    assertThat(f.get(0).message()).contains("from varchar(300)").doesNotContain("down");
  }

  @Test
  void sqlDownSectionGivesThePreviousType() throws Exception {
    // seen failing before the change: DBG108 for each
    assertThat(
            rules(
                "m/migrations/20240301000000_widen_amount.sql",
                "-- +goose Up\n"
                    + "ALTER TABLE case_requests ALTER COLUMN amount TYPE numeric(10,2);\n\n"
                    + "-- +goose Down\n"
                    + "ALTER TABLE case_requests ALTER COLUMN amount TYPE numeric(9,2);\n"))
        .isEmpty();
    assertThat(
            rules(
                "n/db/migrations/20240301000000_widen_code.sql",
                "-- migrate:up\n"
                    + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(255);\n\n"
                    + "-- migrate:down\n"
                    + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(64);\n"))
        .isEmpty();
    assertThat(
            rules(
                "o/migrations/1_widen_code.sql",
                "-- +migrate Up\n"
                    + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(255);\n\n"
                    + "-- +migrate Down\n"
                    + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(64);\n"))
        .isEmpty();
  }

  @Test
  void sqlDownSectionNarrowingOrOtherColumnStaysRefused() throws Exception {
    List<Finding> f =
        findings(
            "p/migrations/20240301000000_narrow_code.sql",
            "-- +goose Up\n"
                + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(64);\n\n"
                + "-- +goose Down\n"
                + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(255);\n");
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG108");
    assertThat(f.get(0).message()).contains("from varchar(255)").contains("the down section");
    assertThat(
            rules(
                "q/migrations/20240301000000_other.sql",
                "-- +goose Up\n"
                    + "ALTER TABLE case_requests ALTER COLUMN amount TYPE numeric(10,2);\n\n"
                    + "-- +goose Down\n"
                    + "ALTER TABLE case_requests ALTER COLUMN fee TYPE numeric(9,2);\n"))
        .containsExactly("DBG108");
    assertThat(
            rules(
                "r/migrations/20240301000000_empty.sql",
                "-- +goose Up\n"
                    + "ALTER TABLE case_requests ALTER COLUMN amount TYPE numeric(10,2);\n\n"
                    + "-- +goose Down\n"))
        .containsExactly("DBG108");
  }

  @Test
  void sqlKnownHistoryTypeWinsOverTheDownSection() throws Exception {
    write(
        "s/migrations/20240101000000_accounts.sql",
        "-- +goose Up\nCREATE TABLE accounts (id bigint PRIMARY KEY, code varchar(300));\n"
            + "-- +goose Down\nDROP TABLE accounts;\n");
    List<Finding> f =
        findings(
            "s/migrations/20240301000000_widen_code.sql",
            "-- +goose Up\n"
                + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(255);\n\n"
                + "-- +goose Down\n"
                + "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(64);\n");
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG108");
    assertThat(f.get(0).message()).contains("from varchar(300)").doesNotContain("down");
  }

  /** A {@code RunSQL(sql, reverse)} migration {@code name}, alone in an app of its own. */
  private List<Finding> runSql(String name, String sql, String reverse) throws Exception {
    return findings(
        name.substring(0, 4) + "/billing/migrations/" + name,
        "from django.db import migrations\n\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    dependencies = [(\"billing\", \"0006_previous\")]\n\n"
            + "    operations = [\n"
            + "        migrations.RunSQL(\n"
            + "            \""
            + sql
            + "\",\n"
            + "            "
            + reverse
            + ",\n"
            + "        ),\n"
            + "    ]\n");
  }

  @Test
  void djangoReverseSqlGivesThePreviousType() throws Exception {
    // seen failing before the change: DBG108 for each
    assertThat(
            runSql(
                "0007_widen_amount.py",
                "ALTER TABLE billing_invoice ALTER COLUMN amount TYPE numeric(10,2)",
                "reverse_sql=\"ALTER TABLE billing_invoice ALTER COLUMN amount TYPE"
                    + " numeric(9,2)\""))
        .extracting(Finding::ruleId)
        .isEmpty();
    assertThat(
            runSql(
                "0008_widen_code.py",
                "ALTER TABLE billing_invoice ALTER COLUMN code TYPE varchar(255)",
                "\"ALTER TABLE billing_invoice ALTER COLUMN code TYPE varchar(64)\""))
        .extracting(Finding::ruleId)
        .isEmpty();
  }

  @Test
  void djangoReverseSqlNarrowingOrOtherColumnStaysRefused() throws Exception {
    List<Finding> f =
        runSql(
            "0009_narrow_code.py",
            "ALTER TABLE billing_invoice ALTER COLUMN code TYPE varchar(64)",
            "reverse_sql=\"ALTER TABLE billing_invoice ALTER COLUMN code TYPE varchar(255)\"");
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG108");
    assertThat(f.get(0).message()).contains("from varchar(255)").contains("reverse_sql");
    assertThat(
            runSql(
                "0010_other.py",
                "ALTER TABLE billing_invoice ALTER COLUMN amount TYPE numeric(10,2)",
                "reverse_sql=\"ALTER TABLE billing_invoice ALTER COLUMN fee TYPE"
                    + " numeric(9,2)\""))
        .extracting(Finding::ruleId)
        .containsExactly("DBG108");
    assertThat(
            runSql(
                "0011_noop.py",
                "ALTER TABLE billing_invoice ALTER COLUMN amount TYPE numeric(10,2)",
                "reverse_sql=migrations.RunSQL.noop"))
        .extracting(Finding::ruleId)
        .containsExactly("DBG108");
  }

  private void write(String name, String text) throws Exception {
    AnalysisFiles.write(dir, name, text);
  }
}
