package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL run through a string (issue 13, third round, class 1): a string literal argument of a
 * function call ({@code SELECT execute($$ … $$)}, {@code SELECT run_ddl('…')}, {@code PERFORM
 * execute(…)} in a DO block) whose text parses as a DDL/DML statement is analysed like that
 * statement, at the line where that statement starts. Examples written for this test.
 */
class SqlInStringsTest {

  @TempDir Path dir;

  private List<Finding> findings(String name, String sql) throws Exception {
    return AnalysisFiles.findings(AnalysisFiles.write(dir, name, sql));
  }

  private List<String> rules(String name, String sql) throws Exception {
    return findings(name, sql).stream().map(Finding::ruleId).toList();
  }

  @Test
  void indexBuiltInsideSelectExecuteOfADollarQuotedStringIsReportedAtItsLine() throws Exception {
    List<Finding> got =
        findings(
            "a.sql",
            """
            -- build the keeper index through the helper
            SELECT execute($$
              CREATE INDEX hives_keeper_idx
                ON hives (keeper)
            $$);
            """);
    assertThat(got).extracting(Finding::ruleId).containsExactly("DBG201");
    assertThat(got.get(0).line()).isEqualTo(3);
  }

  @Test
  void aHelperCalledWithAPlainStringRunsTheStatementInIt() throws Exception {
    assertThat(
            rules("b.sql", "SELECT public.run_ddl('ALTER TABLE hives DROP COLUMN queen_tag');\n"))
        .containsExactly("DBG102");
    assertThat(rules("c.sql", "select apply_migration('hives', 'UPDATE hives SET frames = 10');\n"))
        .containsExactly("DBG112");
  }

  @Test
  void performExecuteInsideADoBlockIsRead() throws Exception {
    List<Finding> got =
        findings(
            "d.sql",
            """
            DO $$
            BEGIN
              PERFORM execute('CREATE INDEX hives_meadow_idx ON hives (meadow)');
            END
            $$;
            """);
    assertThat(got).extracting(Finding::ruleId).containsExactly("DBG201");
    assertThat(got.get(0).line()).isEqualTo(3);
  }

  @Test
  void stringsThatAreNotStatementsOrNotRunNowGiveNothing() throws Exception {
    assertThat(rules("e.sql", "SELECT set_config('search_path', 'public', false);\n")).isEmpty();
    assertThat(rules("f.sql", "SELECT 'DROP TABLE hives' AS reminder;\n")).isEmpty();
    assertThat(rules("g.sql", "SELECT log_note('drop the old hives later');\n")).isEmpty();
    // pg_cron runs the text later, on its schedule, not in this migration
    assertThat(rules("h.sql", "SELECT cron.schedule('purge', '0 3 * * *', 'DELETE FROM logs');\n"))
        .isEmpty();
    // a format() template is dynamic SQL: its text is not known
    assertThat(
            rules(
                "i.sql",
                "SELECT execute(format('CREATE INDEX %I ON hives (keeper)', 'hives_k_idx'));\n"))
        .isEmpty();
    // concatenated text is dynamic too
    assertThat(rules("j.sql", "SELECT execute('DROP TABLE ' || tbl) FROM stale_tables;\n"))
        .isEmpty();
  }

  @Test
  void aTableCreatedEarlierInTheFileIsStillExempt() throws Exception {
    assertThat(
            rules(
                "k.sql",
                """
                CREATE TABLE hives (id bigint PRIMARY KEY, keeper text);
                SELECT execute($$CREATE INDEX hives_keeper_idx ON hives (keeper)$$);
                """))
        .isEmpty();
  }
}
