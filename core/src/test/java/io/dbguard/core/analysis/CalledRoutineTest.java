package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function or procedure a migration defines and then calls ({@code SELECT f();}, {@code PERFORM
 * f();} in a {@code DO} block, {@code CALL p();}) runs its body there: the body's statements are
 * judged as statements of the file, at their own lines, as a {@code DO} block's are. A routine the
 * file defines but never calls (a trigger function, one the application calls later) runs nothing.
 * Examples written for this test.
 */
class CalledRoutineTest {

  @TempDir Path dir;

  private List<Finding> findings(String name, String sql) throws Exception {
    return AnalysisFiles.findings(AnalysisFiles.write(dir, name, sql));
  }

  private List<String> rules(String name, String sql) throws Exception {
    return findings(name, sql).stream().map(Finding::ruleId).toList();
  }

  private static final String PATCH =
      """
      CREATE OR REPLACE FUNCTION patch_x() RETURNS void AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_name = 'orders' AND data_type = 'integer') THEN
          ALTER TABLE orders ALTER COLUMN qty TYPE integer;
        END IF;
        CREATE INDEX idx_hist_obj ON history (obj_id);
      END;
      $$ LANGUAGE plpgsql;
      """;

  @Test
  void aFunctionCalledBySelectRunsItsBody() throws Exception {
    // seen failing before the change: no finding
    List<Finding> got =
        findings("pg/V3__patch.sql", PATCH + "SELECT patch_x();\nDROP FUNCTION patch_x();\n");
    assertThat(got).extracting(Finding::ruleId).containsExactly("DBG108", "DBG201");
    assertThat(got).extracting(Finding::line).containsExactly(5, 7);
  }

  @Test
  void theBodyIsJudgedOnTheColumnHistory() throws Exception {
    // seen failing before the change: no finding
    AnalysisFiles.write(
        dir, "hist/V1__init.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, qty smallint);\n");
    assertThat(rules("hist/V2__patch.sql", PATCH + "SELECT patch_x();\n"))
        .containsExactly("DBG209", "DBG201");
  }

  @Test
  void schemaQualifiedOrUpperCaseCallsAndPerformRunTheBody() throws Exception {
    // seen failing before the change: no finding
    assertThat(rules("pg/V4__patch.sql", PATCH + "SELECT public.PATCH_X();\n"))
        .containsExactly("DBG108", "DBG201");
    assertThat(
            rules(
                "pg5/V5__patch.sql",
                PATCH.replace("patch_x()", "public.patch_x()")
                    + "DO $$ BEGIN PERFORM patch_x(); END $$;\n"))
        .containsExactly("DBG108", "DBG201");
    assertThat(rules("pg6/V6__patch.sql", PATCH + "SELECT * FROM \"patch_x\"();\n"))
        .containsExactly("DBG108", "DBG201");
  }

  @Test
  void aProcedureCalledByCallRunsItsBody() throws Exception {
    // seen failing before the change: DBG901 for the CALL, no finding for the body
    assertThat(
            rules(
                "pg/V7__proc.sql",
                """
                CREATE PROCEDURE drop_fax()
                LANGUAGE plpgsql
                AS $proc$
                BEGIN
                  ALTER TABLE customers DROP COLUMN fax;
                END
                $proc$;
                CALL drop_fax();
                DROP PROCEDURE drop_fax();
                """))
        .containsExactly("DBG102");
  }

  @Test
  void aSqlFunctionWithAQuotedBodyRunsWhenCalled() throws Exception {
    // seen failing before the change: no finding
    assertThat(
            rules(
                "pg/V8__sql.sql",
                "CREATE FUNCTION wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM sessions';\n"
                    + "SELECT wipe();\n"))
        .containsExactly("DBG111");
  }

  @Test
  void aFunctionNeverCalledRunsNothing() throws Exception {
    assertThat(rules("pg/V9__defined.sql", PATCH)).isEmpty();
    assertThat(
            rules(
                "pg/V10__trigger.sql",
                """
                CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$
                BEGIN
                  UPDATE counters SET n = 0;
                  DELETE FROM audit;
                  RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER touch_t BEFORE UPDATE ON items
                  FOR EACH ROW EXECUTE FUNCTION touch();
                """))
        .isEmpty();
    // another function's call, or the name only in a string, runs nothing
    assertThat(rules("pg/V11__other.sql", PATCH + "SELECT patch_y();\nSELECT 'patch_x()';\n"))
        .isEmpty();
  }

  @Test
  void aFunctionCalledTwiceIsJudgedOnce() throws Exception {
    assertThat(rules("pg12/V12__twice.sql", PATCH + "SELECT patch_x();\nSELECT patch_x();\n"))
        .containsExactly("DBG108", "DBG201");
  }

  @Test
  void aFunctionInAnotherLanguageRunsNothingKnown() throws Exception {
    assertThat(
            rules(
                "pg/V13__c.sql",
                "CREATE FUNCTION f() RETURNS void AS 'lib', 'f' LANGUAGE c;\nSELECT f();\n"))
        .isEmpty();
  }
}
