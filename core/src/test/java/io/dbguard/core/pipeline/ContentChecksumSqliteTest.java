package io.dbguard.core.pipeline;

import static io.dbguard.core.testing.SqliteFixtures.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.verify.DataLossCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --content-checksum} on real SQLite files: overwritten values and replaced rows are found
 * and restored; the checksum follows values, not their order or unrelated columns.
 */
class ContentChecksumSqliteTest {
  @TempDir Path tmp;
  Path db;
  DatabaseTarget target;
  SqliteEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    db = tmp.resolve("shop.db");
    Files.createDirectory(tmp.resolve("backups"));
    target = DatabaseTarget.sqlite(db);
    engine = new SqliteEngine(target);
    exec(
        db,
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, photo BLOB,"
            + " score REAL)",
        "INSERT INTO customers (email, photo, score) VALUES ('a@x.io', x'00ff', 0.5), ('b@x.io',"
            + " NULL, NULL), ('c@x.io', x'01', 2)");
  }

  MigrationRunner sql(String... statements) {
    return new MigrationRunner() {
      @Override
      public String describe() {
        return "test migration";
      }

      @Override
      public String run(DatabaseTarget t, Consumer<String> output) {
        try {
          exec(db, statements);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return null;
      }
    };
  }

  PipelineResult run(MigrationRunner m, boolean checksums) {
    return new MigrationPipeline(
            engine,
            target,
            new PipelineOptions()
                .backupDirectory(tmp.resolve("backups"))
                .environment("test")
                .contentChecksums(checksums)
                .migration(m),
            e -> {})
        .run();
  }

  @Test
  void overwrittenValuesAreFoundOnlyWithTheChecksumAndRestored() throws Exception {
    assertThat(run(sql("UPDATE customers SET score = 1 WHERE id = 1"), false).outcome())
        .isEqualTo(Outcome.SUCCEEDED);
    DataProfile before = engine.profile(true);

    PipelineResult r = run(sql("UPDATE customers SET score = 9 WHERE id = 1"), true);

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("DataLossDetected");
    assertThat(r.dataLoss().unacknowledged())
        .extracting(DataLossCheck.Finding::kind, DataLossCheck.Finding::subject)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                DataLossCheck.Kind.VALUES_CHANGED, "customers.score"));
    assertThat(engine.profile(true)).isEqualTo(before);
  }

  @Test
  void replacedBlobsAreFound() {
    PipelineResult r =
        run(
            sql(
                "DELETE FROM customers WHERE id = 3",
                "INSERT INTO customers VALUES (3, 'c@x.io', x'02', 2)"),
            true);

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.dataLoss().unacknowledged())
        .extracting(DataLossCheck.Finding::subject)
        .containsExactly("customers.photo");
  }

  @Test
  void theChecksumIgnoresRowOrderAndTellsTypesApart() throws Exception {
    DataProfile before = engine.profile(true);
    exec(
        db,
        "CREATE TABLE c2 AS SELECT * FROM customers ORDER BY id DESC",
        "DROP TABLE customers",
        "ALTER TABLE c2 RENAME TO customers");
    assertThat(engine.profile(true).tables().get("customers").contentChecksums())
        .isEqualTo(before.tables().get("customers").contentChecksums());
    // a column declared without affinity keeps text '2' apart from integer 2
    exec(db, "CREATE TABLE t (v)", "INSERT INTO t VALUES (2)");
    String integer = engine.profile(true).tables().get("t").contentChecksums().get("v");
    exec(db, "UPDATE t SET v = '2'");
    assertThat(engine.profile(true).tables().get("t").contentChecksums().get("v"))
        .isNotEqualTo(integer);
  }
}
