package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.postgres.PostgresOptions.RestoreStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention of the {@code <db>_failed_<stamp>} databases swap restores keep, against the real
 * PostgreSQL test server.
 */
class PostgresFailedCopiesTest {
  PgTestServer pg;
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    pg = new PgTestServer();
  }

  @AfterEach
  void tearDown() {
    pg.close();
  }

  PostgresEngine engine(String db) {
    return new PostgresEngine(
        pg.target(db),
        PostgresOptions.defaults()
            .withToolDirectory(pg.toolDir())
            .withRestoreStrategy(RestoreStrategy.SWAP));
  }

  /** Creates a database with exactly this name (it must start with the test's prefix). */
  void create(String name) {
    pg.sql("postgres", "CREATE DATABASE " + PgProfiler.quoteIdent(name));
  }

  @Test
  void swapRestoresOfALongNamedDatabaseArePrunedToTheNewest() {
    // 63 bytes: every failed copy's name is the live name shortened to make room for the suffix
    String db = pg.createDatabase("x".repeat(63 - 14));
    assertThat(db.getBytes(StandardCharsets.UTF_8)).hasSize(63);
    pg.sql(db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
    PostgresEngine engine = engine(db);
    BackupManifest m =
        engine.backup(new BackupRequest(dir, "t", "test", Instant.now(), null, 0), null);
    Path file = ManifestStore.backupFile(dir, m);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pg.sql(db, "DELETE FROM t WHERE id = 1");
      RestoreResult r = engine.restore(file, m, ProgressListener.NONE);
      made.add(r.keptFailedAs());
    }
    // a bare 40-byte prefix (what earlier builds made) names no single database: left alone
    String legacy = db.substring(0, 40) + "_failed_20200101_000000";
    String older = PgNames.derived(db, "_failed_20200101_000000");
    create(legacy);
    create(older);
    assertThat(made)
        .doesNotHaveDuplicates()
        .allSatisfy(
            n ->
                assertThat(n)
                    .contains("_failed_")
                    // exactly the name derived from the full database name for its own suffix
                    // (a same-second copy's "_2" shortens the kept prefix, never the hash)
                    .isEqualTo(PgNames.derived(db, n.substring(n.indexOf("_failed_"))))
                    .contains(PgNames.derived(db, "_x").substring(30, 39)));
    assertThat(engine.failedCopies()).containsExactly(made.get(2), made.get(1), made.get(0), older);

    FailedCopyPruning p = engine.pruneFailedCopies(2);

    assertThat(p.kept()).containsExactly(made.get(2), made.get(1));
    assertThat(p.removed()).containsExactly(made.get(0), older);
    assertThat(p.problems()).isEmpty();
    assertThat(pg.databaseExists(made.get(2))).isTrue();
    assertThat(pg.databaseExists(made.get(1))).isTrue();
    assertThat(pg.databaseExists(made.get(0))).isFalse();
    assertThat(pg.databaseExists(older)).isFalse();
    assertThat(pg.databaseExists(legacy)).isTrue();
    assertThat(pg.count(db, "SELECT count(*) FROM t")).isEqualTo(3);
    assertThat(pg.count(made.get(2), "SELECT count(*) FROM t")).isEqualTo(2);
  }

  /** Backs {@code db} up (one table, three rows) and returns the backup and its file. */
  private record Taken(BackupManifest manifest, Path file) {}

  private Taken backupOf(String db) {
    pg.sql(db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
    Path into = dir.resolve(db);
    try {
      java.nio.file.Files.createDirectories(into);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    BackupManifest m =
        engine(db).backup(new BackupRequest(into, "t", "test", Instant.now(), null, 0), null);
    return new Taken(m, ManifestStore.backupFile(into, m));
  }

  @Test
  void longNamesSharingTheirFirst40BytesNeverListOrPruneEachOthersCopies() {
    // both names are 58 bytes and share their first 54: "<db>_failed_<stamp>" must be shortened
    String one = pg.createDatabase("s".repeat(40) + "_one");
    String two = pg.createDatabase("s".repeat(40) + "_two");
    assertThat(one.substring(0, 54)).isEqualTo(two.substring(0, 54));
    Taken a = backupOf(one);
    Taken b = backupOf(two);

    String twoCopy =
        engine(two).restore(b.file(), b.manifest(), ProgressListener.NONE).keptFailedAs();
    String oneOld =
        engine(one).restore(a.file(), a.manifest(), ProgressListener.NONE).keptFailedAs();
    String oneNew =
        engine(one).restore(a.file(), a.manifest(), ProgressListener.NONE).keptFailedAs();

    assertThat(List.of(twoCopy, oneOld, oneNew))
        .doesNotHaveDuplicates()
        .allSatisfy(
            n -> assertThat(n.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63));
    assertThat(engine(two).failedCopies()).containsExactly(twoCopy);
    assertThat(engine(one).failedCopies()).containsExactly(oneNew, oneOld);

    FailedCopyPruning p = engine(one).pruneFailedCopies(1);

    assertThat(p.removed()).containsExactly(oneOld);
    assertThat(p.kept()).containsExactly(oneNew);
    assertThat(pg.databaseExists(twoCopy)).as("the other database's failed copy").isTrue();
    assertThat(pg.count(twoCopy, "SELECT count(*) FROM t")).isEqualTo(3);
    assertThat(engine(two).failedCopies()).containsExactly(twoCopy);
  }

  @Test
  void lookAlikesAndOtherDatabasesCopiesSurvive() {
    String db = pg.createDatabase("appdb");
    String other = pg.createDatabase("other");
    List<String> lookAlikes =
        List.of(
            db + "_failed_x",
            db + "2_failed_20200101_000000",
            db + "_failed_20200101_000000_1",
            db + "_failed_20200101_000000_x",
            db + "_failed_20200101_000000x",
            db + "_failed_20200230_000000",
            db + "_failed_2020010_000000",
            db + "_restore_20200101_000000",
            db + "_Failed_20200101_000000",
            db.substring(0, db.length() - 1) + "_failed_20200101_000000",
            other + "_failed_20200101_000000");
    lookAlikes.forEach(this::create);
    create(db + "_failed_20100101_000000");
    create(db + "_failed_20100101_000000_2");
    create(db + "_failed_20100102_000000");
    PostgresEngine engine = engine(db);

    assertThat(engine.failedCopies())
        .containsExactly(
            db + "_failed_20100102_000000",
            db + "_failed_20100101_000000_2",
            db + "_failed_20100101_000000");

    FailedCopyPruning p = engine.pruneFailedCopies(1);

    assertThat(p.removed())
        .containsExactly(db + "_failed_20100101_000000_2", db + "_failed_20100101_000000");
    assertThat(pg.databaseExists(db + "_failed_20100102_000000")).isTrue();
    assertThat(lookAlikes).allSatisfy(n -> assertThat(pg.databaseExists(n)).as(n).isTrue());
    assertThat(pg.databaseExists(db)).isTrue();
    assertThat(pg.databaseExists(other)).isTrue();
    assertThat(engine(other).failedCopies()).containsExactly(other + "_failed_20200101_000000");
  }

  @Test
  void aCopySomeoneIsConnectedToIsReportedAndKeptWhileTheOthersAreDropped() throws Exception {
    String db = pg.createDatabase("busy");
    String inUse = db + "_failed_20200101_000000";
    String idle = db + "_failed_20200102_000000";
    String newest = db + "_failed_20200103_000000";
    create(inUse);
    create(idle);
    create(newest);
    PostgresEngine engine = engine(db);
    FailedCopyPruning p;
    try (Connection forensics = pg.connect(inUse)) {
      p = engine.pruneFailedCopies(1);
      assertThat(forensics.isValid(2)).as("dbguard never ends other sessions").isTrue();
    }

    assertThat(p.kept()).containsExactly(newest);
    assertThat(p.removed()).containsExactly(idle);
    assertThat(p.problems())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s)
                    .startsWith(inUse + ": other sessions are connected")
                    .contains("55006")
                    .doesNotContain(pg.admin().password()));
    assertThat(pg.databaseExists(inUse)).isTrue();
    assertThat(pg.databaseExists(idle)).isFalse();

    // once the session is gone the next prune drops it
    assertThat(engine.pruneFailedCopies(1).removed()).containsExactly(inUse);
    assertThat(pg.databaseExists(inUse)).isFalse();
  }

  @Test
  void aCopyThisRoleMayNotDropIsReported() {
    String db = pg.createDatabase("owned");
    String role = pg.createRole("pruner", "pruner-pw-1", "NOSUPERUSER NOCREATEDB");
    pg.sql("postgres", "ALTER DATABASE " + db + " OWNER TO " + role);
    String foreign = db + "_failed_20200101_000000";
    String own = db + "_failed_20200102_000000";
    String newest = db + "_failed_20200103_000000";
    create(foreign);
    create(own);
    create(newest);
    pg.sql(
        "postgres",
        "ALTER DATABASE " + own + " OWNER TO " + role,
        "ALTER DATABASE " + newest + " OWNER TO " + role);
    PostgresEngine engine =
        new PostgresEngine(pg.target(db, role, "pruner-pw-1"), PostgresOptions.defaults());

    FailedCopyPruning p = engine.pruneFailedCopies(1);

    assertThat(p.removed()).containsExactly(own);
    assertThat(p.problems())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s)
                    .startsWith(foreign + ": permission denied")
                    .doesNotContain("pruner-pw-1"));
    assertThat(pg.databaseExists(foreign)).isTrue();
    assertThat(pg.databaseExists(newest)).isTrue();
  }

  @Test
  void anUnreachableMaintenanceDatabaseIsAReasonedErrorAndDropsNothing() {
    String db = pg.createDatabase("maint");
    create(db + "_failed_20200101_000000");
    create(db + "_failed_20200102_000000");
    PostgresOptions o = PostgresOptions.defaults();
    PostgresEngine engine =
        new PostgresEngine(
            pg.target(db),
            new PostgresOptions(
                o.toolDirectory(),
                o.compressionLevel(),
                o.lockWaitTimeoutSeconds(),
                o.restoreStrategy(),
                o.verifyMode(),
                o.connectTimeoutSeconds(),
                db + "_no_such_maintenance_db"));

    PostgresEngineTest.assertReason(
        () -> engine.pruneFailedCopies(1), "DatabaseMissing", pg.admin().password());
    assertThat(pg.databaseExists(db + "_failed_20200101_000000")).isTrue();
    assertThatThrownBy(() -> engine.pruneFailedCopies(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failedCopyNamesAreExactlyTheOnesTheSwapMakes() {
    assertThat(PostgresFailedCopies.failedCopyOf("appdb", "appdb_failed_20240101_000000"))
        .extracting(c -> c.stamp() + "/" + c.counter())
        .isEqualTo("20240101_000000/1");
    assertThat(PostgresFailedCopies.failedCopyOf("appdb", "appdb_failed_20240101_000000_12"))
        .extracting(c -> c.counter())
        .isEqualTo(12);
    // the live name may itself contain the pattern: only the last one is the suffix
    String nested = "appdb_failed_20240101_000000";
    assertThat(PostgresFailedCopies.failedCopyOf(nested, nested + "_failed_20250101_000000"))
        .isNotNull();
    assertThat(PostgresFailedCopies.failedCopyOf("appdb", nested + "_failed_20250101_000000"))
        .isNull();
    assertThat(PostgresFailedCopies.failedCopyOf("appdb", "appdb")).isNull();
    // a long live name is shortened and tagged with the hash of its full name, exactly
    String live = "a".repeat(63);
    String tagged = PgNames.derived(live, "_failed_20240101_000000");
    assertThat(tagged).hasSize(63).endsWith("_failed_20240101_000000");
    assertThat(PostgresFailedCopies.failedCopyOf(live, tagged)).isNotNull();
    assertThat(
            PostgresFailedCopies.failedCopyOf(
                live, PgNames.derived(live, "_failed_20240101_000000_2")))
        .isNotNull();
    assertThat(PostgresFailedCopies.failedCopyOf(live, "a".repeat(40) + "_failed_20240101_000000"))
        .as("a bare prefix names no single database")
        .isNull();
    String sibling = "a".repeat(62) + "b";
    assertThat(PostgresFailedCopies.failedCopyOf(sibling, tagged)).isNull();
    assertThat(
            PostgresFailedCopies.failedCopyOf(
                live, PgNames.derived(sibling, "_failed_20240101_000000")))
        .isNull();
  }
}
