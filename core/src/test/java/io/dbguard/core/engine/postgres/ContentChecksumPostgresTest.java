package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.pipeline.MigrationPipeline;
import io.dbguard.core.pipeline.PipelineOptions;
import io.dbguard.core.pipeline.PipelineResult;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.verify.DataLossCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --content-checksum} on a real PostgreSQL server: values overwritten in place and rows
 * replaced by as many others pass the count-only check but are found with content checksums; the
 * restore that follows is verified against the checksums too; changes that keep every value (a
 * widening type change, a new column) pass.
 */
class ContentChecksumPostgresTest {
  PgTestServer pg;
  @TempDir Path dir;
  String db;
  DatabaseTarget target;
  PostgresEngine engine;

  @BeforeEach
  void setUp() {
    pg = new PgTestServer();
    db = pg.createDatabase("checksum");
    pg.sql(
        db,
        "CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL, seen timestamptz,"
            + " score double precision, avatar bytea)",
        "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, total int"
            + " NOT NULL)",
        "INSERT INTO customers (email, seen, score, avatar) VALUES ('a@x.io', '2026-01-02"
            + " 03:04:05+01', 0.1, '\\x00ff'), ('b@x.io', NULL, 2.5, NULL), ('c@x.io', now(), NULL,"
            + " '\\x01')",
        "INSERT INTO orders (customer_id, total) VALUES (1, 100), (2, 200), (3, 300)");
    target = pg.target(db);
    engine = new PostgresEngine(target, PostgresOptions.defaults().withToolDirectory(pg.toolDir()));
  }

  @AfterEach
  void tearDown() {
    pg.close();
  }

  MigrationRunner sql(String... statements) {
    return new MigrationRunner() {
      @Override
      public String describe() {
        return "test migration";
      }

      @Override
      public String run(DatabaseTarget t, Consumer<String> output) {
        pg.sql(db, statements);
        return null;
      }
    };
  }

  PipelineResult run(MigrationRunner m, boolean checksums, Set<String> acks) {
    return new MigrationPipeline(
            engine,
            target,
            new PipelineOptions()
                .backupDirectory(dir)
                .environment("test")
                .contentChecksums(checksums)
                .acknowledgements(acks)
                .migration(m),
            e -> {})
        .run();
  }

  List<String> emails() {
    return List.of(
        pg.scalar(db, "SELECT string_agg(email, ',' ORDER BY id) FROM customers").split(","));
  }

  @Test
  void valuesOverwrittenInPlacePassTheCountCheckButNotTheContentChecksum() {
    PipelineResult counts = run(sql("UPDATE customers SET email = upper(email)"), false, Set.of());
    assertThat(counts.outcome()).isEqualTo(Outcome.SUCCEEDED);
    pg.sql(db, "UPDATE customers SET email = lower(email)");

    PipelineResult r = run(sql("UPDATE customers SET email = upper(email)"), true, Set.of());

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("DataLossDetected");
    assertThat(r.dataLoss().unacknowledged())
        .extracting(DataLossCheck.Finding::kind, DataLossCheck.Finding::subject)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                DataLossCheck.Kind.VALUES_CHANGED, "public.customers.email"));
    assertThat(r.backup().profile().hasContentChecksums()).isTrue();
    // restored, and the restore was verified against the checksums (a swap restore)
    assertThat(r.restoredFrom()).isTrue();
    assertThat(emails()).containsExactly("a@x.io", "b@x.io", "c@x.io");
  }

  @Test
  void rowsReplacedByAsManyOthersAreFound() {
    PipelineResult r =
        run(
            sql(
                "DELETE FROM orders",
                "INSERT INTO orders (customer_id, total) VALUES (1, 1), (2, 2), (3, 3)"),
            true,
            Set.of());

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.dataLoss().unacknowledged())
        .extracting(DataLossCheck.Finding::subject)
        .containsExactly("public.orders.id", "public.orders.total");
    assertThat(pg.scalar(db, "SELECT string_agg(total::text, ',' ORDER BY id) FROM orders"))
        .isEqualTo("100,200,300");
  }

  @Test
  void anAcknowledgedRewriteAndChangesThatKeepEveryValuePass() {
    PipelineResult r =
        run(
            sql(
                "ALTER TABLE orders ALTER COLUMN total TYPE bigint",
                "ALTER TABLE customers ADD COLUMN tier text",
                "UPDATE customers SET tier = 'gold', email = upper(email)"),
            true,
            Set.of("customers.email"));

    assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(r.dataLoss().findings())
        .extracting(DataLossCheck.Finding::subject, DataLossCheck.Finding::acknowledged)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("public.customers.email", true));
  }

  @Test
  void checksumsDoNotDependOnTheSessionsTimeZone() {
    TimeZone saved = TimeZone.getDefault();
    DataProfile utc;
    DataProfile tokyo;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
      utc = engine.profile(true);
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
      tokyo = engine.profile(true);
    } finally {
      TimeZone.setDefault(saved);
    }
    assertThat(utc.tables().get("public.customers").contentChecksums())
        .containsKeys("email", "seen", "score", "avatar", "id");
    assertThat(tokyo).isEqualTo(utc);
    assertThat(engine.profile(false).hasContentChecksums()).isFalse();
  }
}
