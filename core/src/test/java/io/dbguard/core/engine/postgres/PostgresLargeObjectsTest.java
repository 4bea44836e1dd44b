package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.postgres.PostgresOptions.RestoreStrategy;
import io.dbguard.core.verify.DataLossCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 3: large objects, on the real PostgreSQL test server with a role without {@code
 * CREATEDB}. Deleting large objects is a loss the data-loss check reports; the in-place restore
 * brings a database with large objects back exactly; the printed manual restore is one that role
 * can run, and running it restores the database.
 */
class PostgresLargeObjectsTest {
  static final String PASSWORD = "lo-pw-1";
  PgTestServer pg;
  @TempDir Path dir;
  String db;
  DatabaseTarget app;
  PostgresEngine engine;

  @BeforeEach
  void setUp() {
    pg = new PgTestServer();
    db = pg.createDatabase("lo");
    String role = pg.createRole("lo", PASSWORD, "NOCREATEDB NOSUPERUSER");
    pg.sql("postgres", "ALTER DATABASE " + db + " OWNER TO " + role);
    app = pg.target(db, role, PASSWORD);
    PgTestServer.sql(
        app,
        "CREATE TABLE docs (id int PRIMARY KEY, body oid NOT NULL)",
        "INSERT INTO docs SELECT g, lo_from_bytea(0, convert_to('document ' || g, 'UTF8'))"
            + " FROM generate_series(1, 20) g");
    engine = new PostgresEngine(app, PostgresOptions.defaults().withToolDirectory(pg.toolDir()));
  }

  @AfterEach
  void tearDown() {
    pg.close();
  }

  BackupManifest backup() {
    return engine.backup(
        new BackupRequest(dir, db, "test", Instant.now(), null, 0), ProgressListener.NONE);
  }

  long largeObjects() {
    return pg.count(db, "SELECT count(*) FROM pg_largeobject_metadata");
  }

  String document(int id) {
    return pg.scalar(db, "SELECT convert_from(lo_get(body), 'UTF8') FROM docs WHERE id = " + id);
  }

  @Test
  void unlinkingEveryLargeObjectIsALossTheDataLossCheckReports() {
    BackupManifest m = backup();

    PgTestServer.sql(app, "SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
    assertThat(largeObjects()).isZero();

    DataLossCheck.Result r = DataLossCheck.check(m.profile(), engine.profile(), null);
    assertThat(r.passed()).as("deleting 20 large objects must fail the check").isFalse();
    assertThat(r.unacknowledged())
        .singleElement()
        .satisfies(
            f -> assertThat(f.describe()).contains("pg_largeobject_metadata").contains("20"));
  }

  @Test
  void theInPlaceRestoreOfADatabaseWithLargeObjectsIsExact() {
    assertThat(engine.chooseStrategy()).isEqualTo(RestoreStrategy.CLEAN_IN_PLACE);
    BackupManifest m = backup();
    PgTestServer.sql(
        app,
        "SELECT lo_unlink(body) FROM docs WHERE id <= 5",
        "DELETE FROM docs WHERE id <= 5",
        "INSERT INTO docs VALUES (21, lo_from_bytea(0, convert_to('new', 'UTF8')))",
        "SELECT lo_put(body, 0, convert_to('DOCUMENT', 'UTF8')) FROM docs WHERE id = 6");

    RestoreResult r = engine.restore(ManifestStore.backupFile(dir, m), m, ProgressListener.NONE);

    assertThat(r.profileAfter()).isEqualTo(m.profile());
    assertThat(largeObjects()).isEqualTo(20);
    assertThat(document(1)).isEqualTo("document 1");
    assertThat(document(6)).isEqualTo("document 6");
    assertThat(pg.count(db, "SELECT count(*) FROM docs")).isEqualTo(20);
  }

  @Test
  void thePrintedManualRestoreIsOneThisRoleCanRunAndItRestores() throws Exception {
    BackupManifest m = backup();
    Path file = ManifestStore.backupFile(dir, m);
    String cmd = engine.manualRestoreCommand(file);
    assertThat(cmd).doesNotStartWith("createdb").doesNotContain(PASSWORD);
    PgTestServer.sql(
        app,
        "SELECT lo_unlink(oid) FROM pg_largeobject_metadata",
        "DROP TABLE docs",
        "CREATE TABLE added_by_migration (x int)");

    ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", PASSWORD);
    if (pg.toolDir() != null) {
      pb.environment().put("PATH", pg.toolDir() + ":" + System.getenv("PATH"));
    }
    Path out = dir.resolve("manual.out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue())
        .as(cmd + "\n" + Files.readString(out, StandardCharsets.UTF_8))
        .isZero();

    assertThat(largeObjects()).isEqualTo(20);
    assertThat(document(20)).isEqualTo("document 20");
    assertThat(pg.scalar(db, "SELECT to_regclass('public.added_by_migration')::text")).isNull();
    assertThat(engine.profile()).isEqualTo(m.profile());
  }
}
