package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.findings;
import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sql-migrate (rubenv/sql-migrate) files hold both directions: {@code -- +migrate Up} and {@code --
 * +migrate Down} sections, possibly several of each, {@code notransaction} after a marker, and
 * {@code -- +migrate StatementBegin} / {@code StatementEnd} around statements with semicolons. Only
 * the Up sections run on a deploy. Every migration here was written for this test.
 */
class SqlMigrateFileTest {

  @TempDir Path dir;

  @Test
  void aDownSectionIsNotJudgedButTheUpSectionIs() throws Exception {
    Path quiet =
        write(
            dir,
            "a/migrations/20240301090000_add_badge.sql",
            """
            -- +migrate Up
            ALTER TABLE riders ADD COLUMN badge text;

            -- +migrate Down
            ALTER TABLE riders DROP COLUMN badge;
            DROP TABLE riders;
            """);
    assertThat(ruleIds(quiet)).isEmpty();

    Path loud =
        write(
            dir,
            "b/migrations/20240301090000_drop_badge.sql",
            """
            -- +migrate Up
            ALTER TABLE riders DROP COLUMN badge;

            -- +migrate Down
            ALTER TABLE riders ADD COLUMN badge text;
            """);
    List<Finding> found = findings(loud);
    assertThat(found).extracting(Finding::ruleId).containsExactly("DBG102");
    assertThat(found.get(0).line()).isEqualTo(2);
  }

  @Test
  void alternatingSectionsKeepTheFilesLineNumbers() throws Exception {
    Path f =
        write(
            dir,
            "c/migrations/20240302000000_two_ups.sql",
            """
            -- +migrate Up
            CREATE TABLE stables (id bigint PRIMARY KEY);
            -- +migrate Down
            DROP TABLE stables;
            -- +migrate Up
            ALTER TABLE riders DROP COLUMN nickname;
            -- +migrate Down
            ALTER TABLE riders ADD COLUMN nickname text;
            DROP TABLE riders;
            """);
    List<Finding> found = findings(f);
    assertThat(found).extracting(Finding::ruleId).containsExactly("DBG102");
    assertThat(found.get(0).line()).isEqualTo(6);
  }

  @Test
  void concurrentlyNeedsNotransactionOnTheUpMarker() throws Exception {
    String index = "CREATE INDEX CONCURRENTLY riders_email ON riders (email);\n";
    Path wrapped =
        write(
            dir,
            "d/migrations/20240303000000_index.sql",
            "-- +migrate Up\n" + index + "\n-- +migrate Down\nDROP INDEX riders_email;\n");
    Path alone =
        write(
            dir,
            "e/migrations/20240303000000_index.sql",
            "-- +migrate Up notransaction\n"
                + index
                + "\n-- +migrate Down notransaction\nDROP INDEX CONCURRENTLY riders_email;\n");
    List<Finding> w = findings(wrapped);
    assertThat(w).extracting(Finding::ruleId).containsExactly("DBG203");
    assertThat(w.get(0).line()).isEqualTo(2);
    assertThat(ruleIds(alone)).isEmpty();
  }

  @Test
  void onlyTheDownMarkerSayingNotransactionLeavesTheUpSectionInATransaction() throws Exception {
    Path f =
        write(
            dir,
            "f/migrations/20240304000000_index.sql",
            """
            -- +migrate Up
            CREATE INDEX CONCURRENTLY riders_team ON riders (team_id);
            -- +migrate Down notransaction
            DROP INDEX CONCURRENTLY riders_team;
            """);
    assertThat(ruleIds(f)).containsExactly("DBG203");
  }

  @Test
  void aFunctionBetweenStatementBeginAndEndIsOneStatement() throws Exception {
    Path f =
        write(
            dir,
            "g/migrations/20240305000000_touch.sql",
            """
            -- +migrate Up
            -- +migrate StatementBegin
            CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
            BEGIN
              NEW.updated_at := now();
              RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;
            -- +migrate StatementEnd
            CREATE INDEX riders_updated ON riders (updated_at);

            -- +migrate Down
            -- +migrate StatementBegin
            DROP FUNCTION touch_updated_at();
            -- +migrate StatementEnd
            DROP TABLE riders;
            """);
    List<Finding> found = findings(f);
    assertThat(found).extracting(Finding::ruleId).containsExactly("DBG201");
    assertThat(found.get(0).line()).isEqualTo(10);
  }

  @Test
  void anEarlierFilesDownSectionDoesNotHideTheColumnsType() throws Exception {
    write(
        dir,
        "h/migrations/20240306000000_people.sql",
        """
        -- +migrate Up
        CREATE TABLE people (id bigint PRIMARY KEY, name varchar(40));
        -- +migrate Down
        DROP TABLE people;
        CREATE TABLE people (id bigint PRIMARY KEY, name integer);
        """);
    Path widen =
        write(
            dir,
            "h/migrations/20240307000000_widen.sql",
            """
            -- +migrate Up
            ALTER TABLE people ALTER COLUMN name TYPE text;
            -- +migrate Down
            ALTER TABLE people ALTER COLUMN name TYPE varchar(40);
            """);
    assertThat(ruleIds(widen)).isEmpty();
  }
}
