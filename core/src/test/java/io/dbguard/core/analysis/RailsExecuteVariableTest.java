package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails migration that assigns its SQL to a local variable (a heredoc or a string) and passes the
 * variable to {@code execute} runs that SQL: it is judged as the SQL is, not reported as SQL that
 * could not be read (DBG901). A variable assigned anything else stays unread. Examples written for
 * this test.
 */
class RailsExecuteVariableTest {

  @TempDir Path dir;

  private List<String> rules(String name, String body) throws Exception {
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            dir,
            "db/migrate/" + name,
            "class Fill < ActiveRecord::Migration[7.0]\n  def up\n" + body + "  end\nend\n"));
  }

  @Test
  void aHeredocOrStringInAVariableIsTheSqlExecuted() throws Exception {
    // seen failing before the change: DBG901 for each
    AnalysisFiles.write(
        dir,
        "db/migrate/20240101000000_add_email_digest.rb",
        "class AddEmailDigest < ActiveRecord::Migration[7.0]\n  def change\n"
            + "    add_column :accounts, :email_digest, :string\n  end\nend\n");
    assertThat(
            rules(
                "20240101000001_fill_digest.rb",
                "    sql = <<-SQL\n"
                    + "      UPDATE  accounts\n"
                    + "      SET     email_digest = MD5(email)\n"
                    + "    SQL\n"
                    + "    Account.connection.execute(sql)\n"))
        .containsExactly("DBG223");
    assertThat(
            rules(
                "20240101000002_wipe.rb",
                "    statement = \"UPDATE accounts SET email = NULL\"\n"
                    + "    execute statement\n"))
        .containsExactly("DBG112");
    assertThat(
            rules(
                "20240101000003_drop.rb",
                "    query = <<~SQL.squish\n"
                    + "      DROP TABLE legacy_accounts\n"
                    + "    SQL\n"
                    + "    execute(query)\n"))
        .contains("DBG101");
  }

  @Test
  void aVariableAssignedSomethingElseStaysUnread() throws Exception {
    assertThat(
            rules(
                "20240101000004_built.rb",
                "    sql = <<-SQL\n      UPDATE accounts SET email = NULL\n    SQL\n"
                    + "    sql = build_sql(:accounts)\n"
                    + "    execute(sql)\n"))
        .containsExactly("DBG901");
  }
}
