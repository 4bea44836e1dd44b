package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.postgres.PostgresOptions.RestoreStrategy;
import io.dbguard.core.engine.postgres.PostgresOptions.VerifyMode;
import io.dbguard.core.testing.TmpfsMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup, verify and restore against the real PostgreSQL test server with the real {@code
 * pg_dump}/{@code pg_restore}/{@code psql}. Each test uses its own databases and roles.
 */
class PostgresEngineTest {
  static final String[] SCHEMA = {
    "CREATE TYPE status AS ENUM ('new', 'paid')",
    "CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL, email text,"
        + " created_at timestamptz DEFAULT now())",
    "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES"
        + " customers(id), status status NOT NULL DEFAULT 'new', total numeric(10,2))",
    "CREATE INDEX orders_customer_idx ON orders (customer_id)",
    "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),"
        + " description varchar(200), script varchar(1000), success boolean NOT NULL)",
    "INSERT INTO flyway_schema_history VALUES (1, '1', 'init', 'V1__init.sql', true)"
  };

  /** The "migration" that later fails: new table + FK, new column, changed rows, history row. */
  static final String[] MIGRATION = {
    "CREATE TABLE audit_log (id serial PRIMARY KEY, customer_id bigint REFERENCES customers(id),"
        + " note text)",
    "ALTER TABLE customers ADD COLUMN tier text",
    "UPDATE customers SET name = name || '!' , tier = 'gold' WHERE id <= 10",
    "INSERT INTO audit_log (customer_id, note) SELECT id, 'x' FROM customers ORDER BY id LIMIT 5",
    "DELETE FROM orders WHERE id % 2 = 0",
    "ALTER TYPE status ADD VALUE 'refunded'",
    "INSERT INTO flyway_schema_history VALUES (2, '2', 'audit', 'V2__audit.sql', true)"
  };

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

  PostgresOptions opts() {
    return PostgresOptions.defaults().withToolDirectory(pg.toolDir());
  }

  String seededDb(String tag, int customers) {
    String db = pg.createDatabase(tag);
    pg.sql(db, SCHEMA);
    pg.sql(
        db,
        "INSERT INTO customers (name, email) SELECT 'customer ' || g, CASE WHEN g % 10 = 0 THEN"
            + " NULL ELSE 'c' || g || '@example.com' END FROM generate_series(1, "
            + customers
            + ") g",
        "INSERT INTO orders (customer_id, total) SELECT 1 + g % "
            + customers
            + ", g FROM generate_series(1, 1000) g");
    return db;
  }

  BackupRequest request(String db) {
    return new BackupRequest(dir, db, "test", Instant.now(), null, 0);
  }

  Path fileOf(BackupManifest m) {
    return ManifestStore.backupFile(dir, m);
  }

  @Test
  void roundTripBackupVerifyRestoreKeepsFailedDatabase() throws Exception {
    String db = seededDb("round", 2000);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    List<String> phases = Collections.synchronizedList(new ArrayList<>());
    long[] lastDumpBytes = {0};
    BackupManifest m =
        engine.backup(
            request(db),
            (phase, done, total) -> {
              phases.add(phase);
              lastDumpBytes[0] = done;
            });

    Path file = fileOf(m);
    assertThat(file).exists().hasFileName(m.file());
    assertThat(m.file()).endsWith(".dump").startsWith(db.replace('_', '-') + "_test_");
    assertThat(Files.size(file)).isEqualTo(m.sizeBytes()).isPositive();
    assertThat(m.sha256()).hasSize(64);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(m.verified()).isTrue();
    assertThat(m.engine()).isEqualTo("PostgreSQL");
    assertThat(m.serverVersion()).startsWith("15");
    assertThat(m.toolVersions()).containsKeys("pg_dump", "pg_restore");
    assertThat(m.compression()).isEqualTo("gzip:1");
    assertThat(m.profile().tables().get("public.customers").rowCount()).isEqualTo(2000);
    assertThat(m.profile().tables().get("public.customers").nonNullCounts())
        .containsEntry("email", 1800L)
        .containsEntry("name", 2000L);
    assertThat(m.profile().tables().get("public.orders").rowCount()).isEqualTo(1000);
    assertThat(m.profile().historyVersion()).isEqualTo("1");
    assertThat(m.profile().schemaFingerprint()).isEqualTo(engine.profile().schemaFingerprint());
    assertThat(phases).contains("dump");
    assertThat(lastDumpBytes[0]).isEqualTo(m.sizeBytes());
    assertThat(ManifestStore.read(ManifestStore.manifestPath(dir, m.name()))).isEqualTo(m);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.endsWith(".partial"));

    engine.verify(file, m, ProgressListener.NONE);

    pg.sql(db, "DELETE FROM orders", "UPDATE customers SET email = NULL");
    RestoreResult r;
    try (var appSession = pg.connect(db)) {
      // an application session still connected to the live database is terminated for the swap
      r = engine.restore(file, m, ProgressListener.NONE);
      assertThat(appSession.isValid(2)).isFalse();
    }

    assertThat(r.profileAfter()).isEqualTo(m.profile());
    assertThat(pg.count(db, "SELECT count(*) FROM orders")).isEqualTo(1000);
    assertThat(pg.count(db, "SELECT count(email) FROM customers")).isEqualTo(1800);
    assertThat(r.keptFailedAs()).matches(db + "_failed_\\d{8}_\\d{6}");
    assertThat(pg.databaseExists(r.keptFailedAs())).isTrue();
    assertThat(pg.count(r.keptFailedAs(), "SELECT count(*) FROM orders")).isZero();
    assertThat(pg.databases()).noneMatch(n -> n.contains("_restore_"));
    // sequences come back too: the next id continues after the restored rows
    assertThat(pg.count(db, "SELECT nextval('customers_id_seq')")).isEqualTo(2001);
    assertThat(engine.manualRestoreCommand(file))
        .contains("pg_restore")
        .contains("--single-transaction")
        .doesNotContain(pg.admin().password());
  }

  @Test
  void failedMigrationIsUndoneBySwap() {
    failedMigrationIsUndone(RestoreStrategy.SWAP);
  }

  @Test
  void failedMigrationIsUndoneInPlace() {
    failedMigrationIsUndone(RestoreStrategy.CLEAN_IN_PLACE);
  }

  void failedMigrationIsUndone(RestoreStrategy strategy) {
    String db = seededDb("mig", 500);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts().withRestoreStrategy(strategy));
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    String customersBefore =
        pg.scalar(db, "SELECT md5(string_agg(c::text, ',' ORDER BY id)) FROM customers c");

    pg.sql(db, MIGRATION);
    DataProfile migrated = engine.profile();
    assertThat(migrated.tables()).containsKey("public.audit_log");
    assertThat(migrated.historyVersion()).isEqualTo("2");
    assertThat(migrated.schemaFingerprint()).isNotEqualTo(m.profile().schemaFingerprint());

    RestoreResult r = engine.restore(fileOf(m), m, ProgressListener.NONE);

    assertThat(pg.scalar(db, "SELECT to_regclass('public.audit_log')::text")).isNull();
    assertThat(
            pg.count(
                db,
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers'"
                    + " AND column_name = 'tier'"))
        .isZero();
    assertThat(pg.count(db, "SELECT count(*) FROM orders")).isEqualTo(1000);
    assertThat(pg.scalar(db, "SELECT md5(string_agg(c::text, ',' ORDER BY id)) FROM customers c"))
        .isEqualTo(customersBefore);
    assertThat(
            pg.scalar(
                db, "SELECT string_agg(e, ',') FROM unnest(enum_range(NULL::status)::text[]) e"))
        .isEqualTo("new,paid");
    DataProfile after = engine.profile();
    assertThat(after).isEqualTo(m.profile());
    assertThat(after.historyVersion()).isEqualTo("1");
    assertThat(r.profileAfter()).isEqualTo(m.profile());
    if (strategy == RestoreStrategy.SWAP) {
      assertThat(pg.scalar(r.keptFailedAs(), "SELECT to_regclass('public.audit_log')::text"))
          .isEqualTo("audit_log");
    } else {
      assertThat(r.keptFailedAs()).isNull();
    }
  }

  @Test
  void profileAndDumpShareTheExportedSnapshot() {
    String db = seededDb("snap", 3000);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    engine.afterSnapshotExport =
        () -> pg.sql(db, "INSERT INTO customers (name, email) VALUES ('late', 'late@x')");
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);

    assertThat(pg.count(db, "SELECT count(*) FROM customers")).isEqualTo(3001);
    assertThat(m.profile().tables().get("public.customers").rowCount()).isEqualTo(3000);
    engine.afterSnapshotExport = () -> {};
    engine.restore(fileOf(m), m, ProgressListener.NONE);
    assertThat(pg.count(db, "SELECT count(*) FROM customers")).isEqualTo(3000);
    assertThat(pg.count(db, "SELECT count(*) FROM customers WHERE name = 'late'")).isZero();
  }

  @Test
  void twoBackupsStartedInTheSameSecondGetTwoNamesAndBothVerify() throws Exception {
    String db = seededDb("samesecond", 10);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    Instant second = Instant.parse("2026-12-06T10:00:00Z");
    BackupManifest first =
        engine.backup(new BackupRequest(dir, db, "test", second, null, 0), ProgressListener.NONE);
    pg.sql(db, "INSERT INTO customers (name, email) VALUES ('later', 'later@x')");
    BackupManifest next =
        engine.backup(new BackupRequest(dir, db, "test", second, null, 0), ProgressListener.NONE);

    assertThat(next.name()).isEqualTo(first.name() + "-2");
    assertThat(fileOf(next)).isNotEqualTo(fileOf(first));
    engine.verify(fileOf(first), first, ProgressListener.NONE);
    engine.verify(fileOf(next), next, ProgressListener.NONE);
    assertThat(first.profile().tables().get("public.customers").rowCount()).isEqualTo(10);
    assertThat(next.profile().tables().get("public.customers").rowCount()).isEqualTo(11);
  }

  @Test
  void verifyDetectsTruncationThatListDoesNot() throws Exception {
    String db = seededDb("trunc", 200_000);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    Path file = fileOf(m);
    byte[] all = Files.readAllBytes(file);
    assertThat(all.length).isGreaterThan(400_000);
    int checked = 0;
    for (int size : new int[] {10_000, all.length / 2, 400_000, all.length - 100}) {
      Path cut = dir.resolve("cut-" + size + ".dump");
      Files.write(cut, java.util.Arrays.copyOf(all, size));
      // the TOC (~6 KB here) sits at the start: --list succeeds on the truncated archive
      Process list =
          new ProcessBuilder(pgRestore(), "--list", cut.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(list.waitFor()).as("pg_restore --list on %d bytes", size).isZero();
      // with the original manifest, size alone gives it away
      assertThatThrownBy(() -> engine.verify(cut, m, ProgressListener.NONE))
          .isInstanceOf(DbguardException.class)
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("BackupCorrupt");
      // an archive that was already truncated when it was hashed: only the full read catches it
      String sha = sha256(cut);
      BackupManifest lying = m.withSizeAndSha256(size, sha);
      assertThatThrownBy(() -> engine.verify(cut, lying, ProgressListener.NONE))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("cannot be read in full by pg_restore")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("BackupCorrupt");
      checked++;
    }
    assertThat(checked).isEqualTo(4);
  }

  @Test
  void hashMismatchIsRefusedBeforeTouchingTheDatabase() throws Exception {
    String db = seededDb("hash", 1000);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    Path file = fileOf(m);
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);
    pg.sql(db, "INSERT INTO customers (name) VALUES ('after backup')");

    assertThatThrownBy(() -> engine.verify(file, m, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("SHA-256")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupCorrupt");
    assertThatThrownBy(() -> engine.restore(file, m, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("refusing to restore")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupCorrupt");
    assertThat(pg.count(db, "SELECT count(*) FROM customers WHERE name = 'after backup'"))
        .isEqualTo(1);
    assertThat(pg.databases()).containsExactly(db);
  }

  @Test
  void lockWaitTimeoutFailsTheBackupWithoutLeavingFiles() throws Exception {
    String db = seededDb("lock", 100);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts().withLockWaitTimeoutSeconds(2));
    try (var holder = pg.connect(db)) {
      holder.setAutoCommit(false);
      holder.createStatement().execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> engine.backup(request(db), ProgressListener.NONE))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("2 s")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("LockTimeout");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(seconds).isBetween(1.9, 15.0);
      holder.rollback();
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void fullBackupDiskIsBackupStorageFullAndLeavesNoFiles() throws Exception {
    String db = seededDb("full", 100);
    // ~2 MB of incompressible bytes: the -Z1 archive cannot fit in 256 KiB
    pg.sql(
        db,
        "CREATE TABLE blobs AS SELECT g AS id, decode(string_agg(md5(g::text || ':' || i), ''),"
            + " 'hex') AS payload FROM generate_series(1, 2000) g, generate_series(1, 64) i"
            + " GROUP BY g");
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    DataProfile before = engine.profile();
    long dbSize = Long.parseLong(pg.scalar(db, "SELECT pg_database_size(current_database())"));
    // room for the free-space check (PgDiskSpace), then another writer fills the disk after the
    // snapshot is exported, leaving 256 KiB: the -Z1 archive of ~2 MB cannot fit
    int kib = (int) (dbSize / 1024) + 4096;
    try (TmpfsMount small = TmpfsMount.mount(dir, kib, false)) {
      Path filler = small.dir().resolve("other-writer");
      engine.afterSnapshotExport =
          () -> {
            try {
              long fill = Files.getFileStore(small.dir()).getUsableSpace() - 256 * 1024;
              try (var out = Files.newOutputStream(filler)) {
                byte[] block = new byte[1 << 20];
                for (long n = 0; n < fill; n += block.length) {
                  out.write(block, 0, (int) Math.min(block.length, fill - n));
                }
              }
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          };
      BackupRequest req = new BackupRequest(small.dir(), db, "test", Instant.now(), null, 0);
      assertThatThrownBy(() -> engine.backup(req, ProgressListener.NONE))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("no space left")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("BackupStorageFull");
      try (var files = Files.list(small.dir())) {
        assertThat(files.filter(f -> !f.equals(filler)))
            .as("no partial archive or manifest left behind")
            .isEmpty();
      }
    }
    assertThat(engine.profile()).isEqualTo(before);
    assertThat(
            pg.count(
                "postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "'"))
        .as("pg_dump's and dbguard's sessions are gone")
        .isZero();
  }

  @Test
  void ddlQueuedBehindTheBackupMakesPgDumpHitItsLockWaitTimeout() throws Exception {
    String db = seededDb("lockq", 100);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts().withLockWaitTimeoutSeconds(2));
    try (var ddl = pg.connect(db)) {
      ddl.setAutoCommit(false);
      var queued =
          new java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<?>>();
      // After dbguard's session took ACCESS SHARE and exported the snapshot, a migration asks for
      // ACCESS EXCLUSIVE and queues; pg_dump's own ACCESS SHARE request then queues behind it
      // (PostgreSQL manual, "pg_dump", --lock-wait-timeout) and that option must end the wait.
      engine.afterSnapshotExport =
          () -> {
            queued.set(
                java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                      try (var st = ddl.createStatement()) {
                        st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
                      } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                      }
                    }));
            try {
              Thread.sleep(500);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          };
      assertThatThrownBy(() -> engine.backup(request(db), ProgressListener.NONE))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("pg_dump waited 2 s")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("LockTimeout");
      queued.get().get(30, java.util.concurrent.TimeUnit.SECONDS);
      ddl.rollback();
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void pgDumpOlderThanServerIsRefusedAndMissingToolsAreReported() throws Exception {
    String db = seededDb("old", 10);
    Path fake = dir.resolve("oldbin");
    Files.createDirectories(fake);
    for (String tool : new String[] {"pg_dump", "pg_restore"}) {
      Path p = fake.resolve(tool);
      Files.writeString(p, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 9.6.24'\n");
      p.toFile().setExecutable(true);
    }
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    PostgresEngine old = new PostgresEngine(pg.target(db), opts().withToolDirectory(fake));
    assertThatThrownBy(
            () ->
                old.backup(
                    new BackupRequest(out, db, "test", Instant.now(), null, 0),
                    ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("9.6")
        .hasMessageContaining("older than the server")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("PgDumpTooOld");

    Path empty = dir.resolve("empty");
    Files.createDirectories(empty);
    PostgresEngine none = new PostgresEngine(pg.target(db), opts().withToolDirectory(empty));
    assertThatThrownBy(
            () ->
                none.backup(
                    new BackupRequest(out, db, "test", Instant.now(), null, 0),
                    ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("pg_dump not found")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("ToolMissing");
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void connectionErrorsHaveStableReasonsAndNoPassword() {
    String db = seededDb("conn", 10);
    DatabaseTarget admin = pg.admin();
    String wrongPassword = "Wr0ng-Secret-" + System.nanoTime();

    DatabaseTarget closedPort =
        DatabaseTarget.parse(
            "postgresql://" + admin.user() + ":" + wrongPassword + "@127.0.0.1:1/" + db);
    PostgresEngine unreachable =
        new PostgresEngine(closedPort, opts().withConnectTimeoutSeconds(3));
    assertReason(() -> unreachable.profile(), "ConnectionFailed", wrongPassword);
    assertReason(
        () -> unreachable.backup(request(db), ProgressListener.NONE),
        "ConnectionFailed",
        wrongPassword);

    DatabaseTarget badPassword = pg.target(db, admin.user(), wrongPassword);
    PostgresEngine denied = new PostgresEngine(badPassword, opts());
    assertReason(() -> denied.exists(), "AuthenticationFailed", wrongPassword);
    assertReason(
        () -> denied.backup(request(db), ProgressListener.NONE),
        "AuthenticationFailed",
        wrongPassword);

    PostgresEngine missing = new PostgresEngine(pg.target(db + "_nope"), opts());
    assertThat(missing.exists()).isFalse();
    assertThat(missing.profile().hasUserTables()).isFalse();
    assertThat(missing.hasUserTables()).isFalse();
    String empty = pg.createDatabase("empty");
    assertThat(new PostgresEngine(pg.target(empty), opts()).hasUserTables()).isFalse();
    assertThat(new PostgresEngine(pg.target(db), opts()).hasUserTables()).isTrue();
    assertReason(
        () -> missing.backup(request(db), ProgressListener.NONE),
        "DatabaseMissing",
        admin.password());
    assertThat(new PostgresEngine(pg.target(db), opts()).exists()).isTrue();
  }

  static void assertReason(Runnable action, String reason, String secret) {
    assertThatThrownBy(action::run)
        .isInstanceOf(DbguardException.class)
        .satisfies(
            e -> {
              assertThat(((DbguardException) e).reason()).isEqualTo(reason);
              assertThat(e.getMessage()).doesNotContain(secret);
              assertThat(String.valueOf(e.getCause())).doesNotContain(secret);
            });
  }

  @Test
  void missingOwnerRoleIsRestoredWithNoOwner() throws Exception {
    String db = pg.createDatabase("ghost");
    String ghost = pg.createRole("ghost", "ghost-pw", "");
    pg.sql(
        db,
        "CREATE TABLE things (id int PRIMARY KEY, label text)",
        "INSERT INTO things SELECT g, 'thing ' || g FROM generate_series(1, 300) g",
        "ALTER TABLE things OWNER TO " + ghost,
        "GRANT SELECT ON things TO " + ghost);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    pg.sql(db, "REASSIGN OWNED BY " + ghost + " TO CURRENT_USER", "DROP OWNED BY " + ghost);
    pg.sql("postgres", "DROP ROLE " + ghost);
    pg.sql(db, "DELETE FROM things WHERE id > 100");

    RestoreResult r = engine.restore(fileOf(m), m, ProgressListener.NONE);

    assertThat(pg.count(db, "SELECT count(*) FROM things")).isEqualTo(300);
    assertThat(pg.scalar(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'things'"))
        .isEqualTo(pg.admin().user());
    assertThat(r.profileAfter()).isEqualTo(m.profile());
  }

  @Test
  void databaseSettingsAndCommentSurviveTheSwap() {
    String db = seededDb("props", 50);
    pg.sql(
        "postgres",
        "ALTER DATABASE " + db + " SET work_mem = '8MB'",
        "ALTER DATABASE " + db + " SET statement_timeout = '45s'",
        "COMMENT ON DATABASE " + db + " IS 'shop data; owned by team A'");
    PostgresEngine engine =
        new PostgresEngine(pg.target(db), opts().withRestoreStrategy(RestoreStrategy.SWAP));
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    pg.sql("postgres", "ALTER DATABASE " + db + " SET work_mem = '64MB'");
    pg.sql(db, MIGRATION);

    RestoreResult r = engine.restore(fileOf(m), m, ProgressListener.NONE);

    String settings =
        "SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s JOIN pg_database d"
            + " ON d.oid = s.setdatabase WHERE s.setrole = 0 AND d.datname = '%s'";
    assertThat(pg.scalar("postgres", String.format(settings, db)))
        .contains("work_mem=8MB")
        .contains("statement_timeout=45s");
    assertThat(pg.scalar(db, "SHOW work_mem")).isEqualTo("8MB");
    assertThat(
            pg.scalar(
                "postgres",
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '"
                    + db
                    + "'"))
        .isEqualTo("shop data; owned by team A");
    assertThat(pg.scalar("postgres", String.format(settings, r.keptFailedAs())))
        .contains("work_mem=64MB");
  }

  @Test
  void roleWithoutCreatedbRestoresInPlace() {
    String db = pg.createDatabase("app");
    String app = pg.createRole("app", "app-pw-1", "NOCREATEDB NOSUPERUSER");
    pg.sql("postgres", "ALTER DATABASE " + db + " OWNER TO " + app);
    DatabaseTarget appTarget = pg.target(db, app, "app-pw-1");
    PgTestServer.sql(appTarget, SCHEMA);
    PgTestServer.sql(
        appTarget,
        "CREATE SCHEMA reporting",
        "CREATE TABLE reporting.daily (day date PRIMARY KEY, n int)",
        "INSERT INTO reporting.daily VALUES ('2026-01-01', 3)",
        "INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 400) g",
        "INSERT INTO orders (customer_id, total) SELECT 1 + g % 400, g FROM generate_series(1,"
            + " 100) g");
    PostgresEngine engine = new PostgresEngine(appTarget, opts());
    assertThat(engine.chooseStrategy()).isEqualTo(RestoreStrategy.CLEAN_IN_PLACE);
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);

    PgTestServer.sql(appTarget, MIGRATION);
    PgTestServer.sql(
        appTarget,
        "CREATE SCHEMA staging",
        "CREATE TABLE staging.tmp (x int)",
        "DROP TABLE reporting.daily");

    RestoreResult r = engine.restore(fileOf(m), m, ProgressListener.NONE);

    assertThat(r.keptFailedAs()).isNull();
    assertThat(r.profileAfter()).isEqualTo(m.profile());
    assertThat(pg.scalar(db, "SELECT to_regclass('public.audit_log')::text")).isNull();
    assertThat(pg.count(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'staging'"))
        .isZero();
    assertThat(pg.count(db, "SELECT count(*) FROM reporting.daily")).isEqualTo(1);
    assertThat(pg.count(db, "SELECT count(*) FROM orders")).isEqualTo(100);
    assertThat(pg.scalar(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'customers'"))
        .isEqualTo(app);
    assertThat(pg.databases()).containsExactly(db);
    // the public schema is back with the privileges PostgreSQL 15 gives it
    assertThat(pg.scalar(db, "SELECT has_schema_privilege('public', 'public', 'USAGE')::text"))
        .isEqualTo("true");
  }

  @Test
  void inPlaceRestoreThatCannotCompleteRollsBackEverything() {
    String db = pg.createDatabase("inplacefail");
    String app = pg.createRole("app2", "app-pw-2", "NOCREATEDB NOSUPERUSER");
    pg.sql("postgres", "ALTER DATABASE " + db + " OWNER TO " + app);
    DatabaseTarget appTarget = pg.target(db, app, "app-pw-2");
    PgTestServer.sql(appTarget, SCHEMA);
    PgTestServer.sql(
        appTarget, "INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 50) g");
    PostgresEngine engine = new PostgresEngine(appTarget, opts());
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    PgTestServer.sql(appTarget, MIGRATION);
    // a schema the app role does not own: DROP SCHEMA fails inside the restore transaction
    pg.sql(db, "CREATE SCHEMA admin_only", "CREATE TABLE admin_only.t (x int)");

    assertThatThrownBy(() -> engine.restore(fileOf(m), m, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("rolled back")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("RestoreFailed");
    // nothing half-applied: still exactly the migrated state
    assertThat(pg.scalar(db, "SELECT to_regclass('public.audit_log')::text"))
        .isEqualTo("audit_log");
    assertThat(pg.scalar(db, "SELECT max(version) FROM flyway_schema_history")).isEqualTo("2");
    assertThat(pg.count(db, "SELECT count(*) FROM customers")).isEqualTo(50);
  }

  @Test
  void swapThatFailsVerificationLeavesTheLiveDatabaseAlone() {
    String db = seededDb("badmanifest", 100);
    PostgresEngine engine =
        new PostgresEngine(pg.target(db), opts().withRestoreStrategy(RestoreStrategy.SWAP));
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    pg.sql(db, MIGRATION);
    var tables = new java.util.TreeMap<>(m.profile().tables());
    tables.put(
        "public.customers",
        new io.dbguard.core.engine.TableProfile(
            99, tables.get("public.customers").nonNullCounts()));
    BackupManifest wrong =
        new BackupManifest(
            m.formatVersion(),
            m.name(),
            m.file(),
            m.engine(),
            m.serverVersion(),
            m.toolVersions(),
            m.database(),
            m.environment(),
            m.startedAt(),
            m.completedAt(),
            m.verifiedAt(),
            m.sizeBytes(),
            m.sha256(),
            m.compression(),
            new DataProfile(tables, m.profile().schemaFingerprint(), m.profile().historyVersion()),
            m.attempt(),
            m.pinned());

    assertThatThrownBy(() -> engine.restore(fileOf(m), wrong, ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("public.customers has 100 rows, expected 99")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("RestoreNotVerified");
    assertThat(pg.databases()).containsExactly(db);
    assertThat(pg.scalar(db, "SELECT to_regclass('public.audit_log')::text"))
        .isEqualTo("audit_log");
  }

  @Test
  void droppedDatabaseIsRecreatedFromTheBackup() {
    String db = seededDb("dropped", 300);
    pg.sql("postgres", "COMMENT ON DATABASE " + db + " IS 'came back'");
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    pg.sql("postgres", "DROP DATABASE " + db + " WITH (FORCE)");
    assertThat(engine.exists()).isFalse();

    RestoreResult r = engine.restore(fileOf(m), m, ProgressListener.NONE);

    assertThat(r.keptFailedAs()).isNull();
    assertThat(engine.exists()).isTrue();
    assertThat(pg.count(db, "SELECT count(*) FROM customers")).isEqualTo(300);
    assertThat(engine.profile()).isEqualTo(m.profile());
    assertThat(
            pg.scalar(
                "postgres",
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '"
                    + db
                    + "'"))
        .isEqualTo("came back");
  }

  @Test
  void unusableBackupDirectoryIsReportedBeforeConnecting() {
    String db = seededDb("nodir", 10);
    PostgresEngine engine = new PostgresEngine(pg.target(db), opts());
    Path missingDir = dir.resolve("does/not/exist");
    assertThatThrownBy(
            () ->
                engine.backup(
                    new BackupRequest(missingDir, db, "test", Instant.now(), null, 0),
                    ProgressListener.NONE))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining(missingDir.toString())
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("BackupDirectoryUnusable");
  }

  @Test
  void rereadVerifyModeProducesTheSameKindOfManifest() throws Exception {
    String db = seededDb("reread", 500);
    PostgresEngine engine =
        new PostgresEngine(
            pg.target(db), opts().withVerifyMode(VerifyMode.REREAD).withCompressionLevel(0));
    BackupManifest m = engine.backup(request(db), ProgressListener.NONE);
    assertThat(m.verified()).isTrue();
    assertThat(m.compression()).isEqualTo("none");
    assertThat(sha256(fileOf(m))).isEqualTo(m.sha256());
    engine.verify(fileOf(m), m, ProgressListener.NONE);
  }

  String pgRestore() {
    Path d = pg.toolDir();
    return d == null ? "pg_restore" : d.resolve("pg_restore").toString();
  }

  static String sha256(Path file) throws Exception {
    var md = java.security.MessageDigest.getInstance("SHA-256");
    return java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
  }
}
