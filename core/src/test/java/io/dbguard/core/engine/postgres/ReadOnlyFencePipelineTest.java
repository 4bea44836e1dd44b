package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.pipeline.MigrationPipeline;
import io.dbguard.core.pipeline.PipelineEvent;
import io.dbguard.core.pipeline.PipelineOptions;
import io.dbguard.core.pipeline.PipelineResult;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.pipeline.PipelineStep;
import io.dbguard.core.report.ExitCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard run --write-fence ReadOnly} as one pipeline on the real server: while the window
 * is open the application's writes fail with PostgreSQL's read-only error and its reads work; the
 * fence is lifted after a restore and held when the database is left unchecked.
 */
class ReadOnlyFencePipelineTest {
  @TempDir Path backups;
  private PgTestServer pg;
  private String db;
  private String app;
  private DatabaseTarget migTarget;
  private DatabaseTarget appTarget;
  private final List<PipelineEvent> events = new ArrayList<>();

  @BeforeEach
  void setUp() {
    pg = new PgTestServer();
    db = pg.createDatabase("rofence");
    String mig = pg.createRole("mig", "mig-pw", "CREATEDB");
    app = pg.createRole("app", "app-pw", "");
    pg.sql(
        "postgres",
        "ALTER DATABASE " + db + " OWNER TO " + mig,
        "GRANT pg_signal_backend TO " + mig);
    migTarget = pg.target(db, mig, "mig-pw");
    appTarget = pg.target(db, app, "app-pw");
    PgTestServer.sql(
        migTarget,
        "CREATE TABLE orders (id serial PRIMARY KEY, total int)",
        "INSERT INTO orders (total) SELECT g FROM generate_series(1, 50) g",
        "GRANT SELECT, INSERT ON orders TO " + app,
        "GRANT USAGE ON SEQUENCE orders_id_seq TO " + app);
  }

  @AfterEach
  void tearDown() {
    pg.close();
  }

  /** A migration that, while it runs, lets the application try a write and a read. */
  private final class FailingMigration implements MigrationRunner {
    String appWrite;
    long appRead = -1;

    @Override
    public String describe() {
      return "add a column, then fail";
    }

    @Override
    public String run(DatabaseTarget target, Consumer<String> output) {
      try (Connection c = PgTestServer.connect(appTarget);
          Statement st = c.createStatement()) {
        try {
          st.execute("INSERT INTO orders (total) VALUES (999)");
          appWrite = "ok";
        } catch (SQLException e) {
          appWrite = e.getSQLState() + " " + e.getMessage();
        }
        try (var rs = st.executeQuery("SELECT count(*) FROM orders")) {
          rs.next();
          appRead = rs.getLong(1);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      PgTestServer.sql(target, "ALTER TABLE orders ADD COLUMN coupon text");
      throw new DbguardException("MigrationFailed", "the migration failed on purpose");
    }
  }

  private PipelineResult run(FailingMigration m, PipelineOptions.OnFailure onFailure) {
    return new MigrationPipeline(
            new PostgresEngine(
                migTarget, PostgresOptions.defaults().withToolDirectory(pg.toolDir())),
            migTarget,
            new PipelineOptions()
                .backupDirectory(backups)
                .environment("test")
                .migration(m)
                .onFailure(onFailure)
                .writeFence(PgReadOnlyFence.of(migTarget, PostgresOptions.defaults())),
            events::add)
        .run();
  }

  private String appInsert() {
    try (Connection c = PgTestServer.connect(appTarget);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO orders (total) VALUES (7)");
      return "ok";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  @Test
  void aFailedMigrationIsRestoredAndTheApplicationWritesAgainAfterwards() {
    FailingMigration m = new FailingMigration();

    PipelineResult r = run(m, PipelineOptions.OnFailure.RESTORE);

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(m.appWrite).startsWith("25006").contains("read-only transaction");
    assertThat(m.appRead).isEqualTo(50);
    assertThat(pg.count(db, "SELECT count(*) FROM orders")).isEqualTo(50);
    assertThat(PgReadOnlyFence.of(migTarget, PostgresOptions.defaults()).isRaised()).isFalse();
    assertThat(appInsert()).isEqualTo("ok");
    assertThat(events)
        .filteredOn(e -> e.step() == PipelineStep.FENCE && e.kind() == PipelineEvent.Kind.SUCCEEDED)
        .extracting(PipelineEvent::message)
        .anySatisfy(msg -> assertThat(msg).contains("is read-only for every role but"))
        .anySatisfy(msg -> assertThat(msg).contains("carries no read-only fence"));
  }

  @Test
  void aDatabaseLeftHalfMigratedKeepsTheFenceAndSaysHowToLiftIt() {
    FailingMigration m = new FailingMigration();

    PipelineResult r = run(m, PipelineOptions.OnFailure.HALT);

    assertThat(r.outcome()).isEqualTo(Outcome.MIGRATION_FAILED);
    assertThat(r.exitCode()).isEqualTo(ExitCode.MIGRATION_FAILED);
    assertThat(r.message()).contains("The write fence stays up").contains("dbguard fence lift");
    PgReadOnlyFence fence = PgReadOnlyFence.of(migTarget, PostgresOptions.defaults());
    assertThat(fence.isRaised()).isTrue();
    assertThat(appInsert()).isEqualTo("25006");

    fence.lift();

    assertThat(appInsert()).isEqualTo("ok");
  }

  @Test
  void aFenceThatCannotBeRaisedStopsTheRunBeforeTheBackup() throws Exception {
    FailingMigration m = new FailingMigration();
    PipelineResult r;
    try (Connection sameRole = PgTestServer.connect(migTarget)) {
      r = run(m, PipelineOptions.OnFailure.RESTORE);
    }

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.exitCode()).isEqualTo(ExitCode.FENCE_FAILED);
    assertThat(r.reason()).isEqualTo("FenceFailed");
    assertThat(r.backup()).isNull();
    assertThat(m.appWrite).isNull();
    assertThat(appInsert()).isEqualTo("ok");
  }
}
