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
 * Migration files whose rollback lives beside the forward part: goose and dbmate hold both in one
 * file, Diesel, sqlx and golang-migrate keep a {@code down.sql} beside the up file, Flyway an undo
 * file {@code U<version>__}. Only the forward part is what a deploy runs. Examples written for this
 * test.
 */
class UpDownFileTest {

  @TempDir Path dir;

  @Test
  void aGooseDownSectionIsNotJudgedAsWhatTheDeployDoes() throws Exception {
    Path f =
        write(
            dir,
            "db/migrations/20240101120000_add_nickname.sql",
            """
            -- +goose Up
            ALTER TABLE members ADD COLUMN nickname text;

            -- +goose Down
            ALTER TABLE members DROP COLUMN nickname;
            DROP TABLE members;
            """);
    assertThat(ruleIds(f)).isEmpty();
  }

  @Test
  void aGooseFileRunsInOneTransactionUnlessItSaysNoTransaction() throws Exception {
    String index = "CREATE INDEX CONCURRENTLY members_email ON members (email);\n";
    Path wrapped =
        write(
            dir,
            "a/20240101120000_index.sql",
            "-- +goose Up\n" + index + "-- +goose Down\nDROP INDEX members_email;\n");
    Path alone =
        write(
            dir,
            "b/20240101120000_index.sql",
            "-- +goose NO TRANSACTION\n-- +goose Up\n"
                + index
                + "-- +goose Down\nDROP INDEX CONCURRENTLY members_email;\n");
    assertThat(ruleIds(wrapped)).containsExactly("DBG203");
    assertThat(ruleIds(alone)).isEmpty();
  }

  @Test
  void dbmateUpAndDownSectionsAndItsTransactionFlag() throws Exception {
    Path wrapped =
        write(
            dir,
            "db/migrations/20240102000000_orders_index.sql",
            """
            -- migrate:up
            create index concurrently orders_created on orders (created_at);

            -- migrate:down
            drop table orders;
            """);
    Path alone =
        write(
            dir,
            "db2/migrations/20240102000000_orders_index.sql",
            """
            -- migrate:up transaction:false
            create index concurrently orders_created on orders (created_at);

            -- migrate:down
            drop index orders_created;
            """);
    List<Finding> w = findings(wrapped);
    assertThat(w).extracting(Finding::ruleId).containsExactly("DBG203");
    assertThat(w.get(0).line()).isEqualTo(2);
    assertThat(ruleIds(alone)).isEmpty();
  }

  @Test
  void lineNumbersAfterADownSectionStayThoseOfTheFile() throws Exception {
    Path f =
        write(
            dir,
            "c/20240103000000_two_ups.sql",
            """
            -- +goose Down
            DROP TABLE invoices;
            -- +goose Up
            ALTER TABLE invoices DROP COLUMN memo;
            """);
    List<Finding> found = findings(f);
    assertThat(found).extracting(Finding::ruleId).containsExactly("DBG102");
    assertThat(found.get(0).line()).isEqualTo(4);
  }

  @Test
  void dieselDownFilesAreSkippedAndUpFilesRunInATransaction() throws Exception {
    write(
        dir,
        "migrations/2024-01-01-000000_create_posts/up.sql",
        "CREATE TABLE posts (id serial PRIMARY KEY, title varchar(80));\n");
    write(dir, "migrations/2024-01-01-000000_create_posts/down.sql", "DROP TABLE posts;\n");
    Path up =
        write(
            dir,
            "migrations/2024-02-01-000000_index_posts/up.sql",
            "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\n");
    write(dir, "migrations/2024-02-01-000000_index_posts/down.sql", "DROP INDEX posts_title;\n");
    AnalysisReport r =
        new Analyzer().analyze(List.of(dir.resolve("migrations")), AnalysisOptions.defaults());
    assertThat(r.findings()).extracting(Finding::ruleId).containsExactly("DBG203");
    assertThat(r.findings().get(0).file()).isEqualTo(up.toString());

    write(
        dir,
        "migrations/2024-02-01-000000_index_posts/metadata.toml",
        "run_in_transaction = false\n");
    assertThat(ruleIds(up)).isEmpty();
  }

  @Test
  void downAndUndoFilesOfOtherToolsAreSkipped() throws Exception {
    write(dir, "m/V2__add_flag.sql", "ALTER TABLE accounts ADD COLUMN flag boolean;\n");
    write(dir, "m/U2__add_flag.sql", "ALTER TABLE accounts DROP COLUMN flag;\n");
    write(dir, "s/20240101_add_flag.up.sql", "ALTER TABLE accounts ADD COLUMN flag boolean;\n");
    write(dir, "s/20240101_add_flag.down.sql", "ALTER TABLE accounts DROP COLUMN flag;\n");
    write(dir, "s/20240102_add_note_down.sql", "ALTER TABLE accounts DROP COLUMN note;\n");
    AnalysisReport r =
        new Analyzer()
            .analyze(List.of(dir.resolve("m"), dir.resolve("s")), AnalysisOptions.defaults());
    assertThat(r.files()).hasSize(5);
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void anEarlierGooseFilesDownSectionDoesNotHideTheColumnsType() throws Exception {
    write(
        dir,
        "g/00001_people.sql",
        """
        -- +goose Up
        CREATE TABLE people (id bigint PRIMARY KEY, name varchar(40));
        -- +goose Down
        ALTER TABLE people DROP COLUMN name;
        DROP TABLE people;
        """);
    Path widen =
        write(
            dir,
            "g/00002_widen_name.sql",
            """
            -- +goose Up
            ALTER TABLE people ALTER COLUMN name TYPE text;
            -- +goose Down
            ALTER TABLE people ALTER COLUMN name TYPE varchar(40);
            """);
    assertThat(ruleIds(widen)).isEmpty();
  }
}
