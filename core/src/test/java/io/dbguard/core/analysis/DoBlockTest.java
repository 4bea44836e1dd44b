package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements inside {@code DO $$ … $$} blocks and statements with Go-template placeholders are
 * analysed like top-level statements (issue 13, item 2), with examples written for this test.
 */
class DoBlockTest {

  @TempDir Path dir;

  private List<Finding> findings(String name, String sql) throws Exception {
    return AnalysisFiles.findings(AnalysisFiles.write(dir, name, sql));
  }

  private List<String> rules(String name, String sql) throws Exception {
    return findings(name, sql).stream().map(Finding::ruleId).toList();
  }

  @Test
  void dropColumnInsideADoBlockIsRefusedAtItsOwnLine() throws Exception {
    List<Finding> got =
        findings(
            "a.sql",
            """
            DO $$
            BEGIN
              IF EXISTS (SELECT 1 FROM information_schema.columns
                         WHERE table_name = 'orders' AND column_name = 'fax') THEN
                ALTER TABLE orders DROP COLUMN fax;
              END IF;
            END
            $$;
            """);
    assertThat(got).extracting(Finding::ruleId).containsExactly("DBG102");
    assertThat(got.get(0).line()).isEqualTo(5);
  }

  @Test
  void renameColumnInsideADoBlockIsRefused() throws Exception {
    assertThat(
            rules("b.sql", "do $$ begin alter table members rename column nick to handle; end $$;"))
        .containsExactly("DBG106");
  }

  @Test
  void executeOfALiteralIsReadAsTheSqlInTheLiteral() throws Exception {
    assertThat(
            rules(
                "c.sql",
                """
                DO $do$
                DECLARE n int;
                BEGIN
                  n := 1;
                  RAISE NOTICE 'n=%', n;
                  EXECUTE 'DROP TABLE legacy_sessions';
                  EXECUTE $q$CREATE INDEX visits_at_idx ON visits (at)$q$;
                END
                $do$;
                """))
        .containsExactly("DBG101", "DBG201");
  }

  @Test
  void aGuardedInsertOfOneRowIsSafe() throws Exception {
    assertThat(
            rules(
                "d.sql",
                """
                DO $$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM plans WHERE slug = 'team') THEN
                    INSERT INTO plans (slug, seats) VALUES ('team', 10);
                  END IF;
                END $$;
                """))
        .isEmpty();
  }

  @Test
  void anExceptionHandlerThatSwallowsADuplicateIsNotAFinding() throws Exception {
    assertThat(
            rules(
                "h.sql",
                """
                DO $$ BEGIN
                  CREATE TYPE ticket_state AS ENUM ('open', 'closed');
                EXCEPTION
                  WHEN duplicate_object THEN null;
                END $$;
                """))
        .isEmpty();
  }

  @Test
  void unknownDynamicSqlStaysANotice() throws Exception {
    List<Finding> got =
        findings(
            "e.sql",
            """
            DO $$
            BEGIN
              EXECUTE 'ALTER TABLE ' || quote_ident(current_setting('app.t')) || ' DROP COLUMN x';
              EXECUTE format('TRUNCATE %I', 'tmp_import');
            END $$;
            """);
    assertThat(got).extracting(Finding::ruleId).containsExactly("DBG901", "DBG901");
    assertThat(got).extracting(f -> f.rule().verdict().name()).containsOnly("NOTICE");
  }

  @Test
  void aDoBlockInAnotherLanguageStaysUnparsed() throws Exception {
    assertThat(rules("f.sql", "DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE t') $$;"))
        .containsExactly("DBG901");
  }

  @Test
  void goTemplatePlaceholdersReadAsASchemaName() throws Exception {
    assertThat(
            rules(
                "g.sql",
                """
                ALTER TABLE {{ index .Options "Namespace" }}.identities DROP COLUMN last_seen;
                ALTER TABLE {{ index .Options "Namespace" }}.users RENAME COLUMN phone TO msisdn;
                CREATE TABLE {{ .Schema }}.flows (id uuid PRIMARY KEY);
                CREATE INDEX flows_id_idx ON {{ .Schema }}.flows (id);
                """))
        .containsExactly("DBG102", "DBG106");
  }
}
