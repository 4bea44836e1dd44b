package io.dbguard.benchmarks;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.postgres.PostgresEngine;
import io.dbguard.core.engine.postgres.PostgresOptions;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Peak disk use of a restore (issue 15 item 5), sampled every 20 ms while it runs. Not a test: run
 * by {@code benchmarks/restore-disk-peak.sh}.
 *
 * <ul>
 *   <li><b>SQLite</b>, in {@code journal_mode=DELETE} and {@code WAL}: the apparent bytes of every
 *       file in the database's directory (database, journal/WAL, failed copies), like {@code du
 *       --apparent-size}; the backups are in another directory.
 *   <li><b>PostgreSQL swap restore</b>: {@code sum(pg_database_size(oid))} over {@code pg_database}
 *       (the live database, the aside database being restored and the kept failed copies) plus
 *       {@code pg_ls_waldir()} when the role may read it.
 * </ul>
 *
 * <p>Usage: {@code RestoreDiskPeakBenchmark <work-dir> <MiB> <pg-bin-dir|-> [pg-only]}; PostgreSQL
 * from {@code DBGUARD_TEST_PG_URL}. Prints one line per case: size before, peak, steady state
 * after, each also as a multiple of the database size.
 */
public final class RestoreDiskPeakBenchmark {
  private RestoreDiskPeakBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    long mib = Long.parseLong(args[1]);
    boolean pgOnly = args.length > 3 && "pg-only".equals(args[3]);
    Files.createDirectories(work);
    if (!pgOnly) {
      for (String mode : new String[] {"DELETE", "WAL"}) {
        sqlite(work.resolve("sqlite-" + mode.toLowerCase(Locale.ROOT)), mib, mode);
      }
    }
    if (args.length > 2 && !"-".equals(args[2])) {
      postgres(work.resolve("pg"), mib, Path.of(args[2]));
    }
  }

  private static void sqlite(Path work, long mib, String mode) throws Exception {
    Path dbDir = Files.createDirectories(work.resolve("db"));
    Path backups = Files.createDirectories(work.resolve("backups"));
    Path db = dbDir.resolve("bench.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=" + mode);
      s.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
      // ~1 KiB rows (500 random bytes as hex)
      s.execute(
          "INSERT INTO docs(body) WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g"
              + " WHERE i < "
              + mib * 1000
              + ") SELECT hex(randomblob(500)) FROM g");
      s.execute("CREATE INDEX docs_body ON docs(substr(body, 1, 16))");
    }
    SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
    BackupManifest m = engine.backup(request(backups, "bench"), ProgressListener.NONE);
    // the "failed migration": a tenth of the rows deleted, the rest rewritten
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM docs WHERE id % 10 = 0");
      s.execute("UPDATE docs SET body = lower(body) WHERE id % 3 = 0");
    }
    LongSupplier used = () -> dirBytes(dbDir);
    report(
        "SQLite journal_mode=" + mode,
        m.sizeBytes(),
        used,
        () -> 0,
        () -> engine.restore(ManifestStore.backupFile(backups, m), m, ProgressListener.NONE));
  }

  private static void postgres(Path work, long mib, Path bin) throws Exception {
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null) {
      throw new IllegalStateException("DBGUARD_TEST_PG_URL is not set");
    }
    DatabaseTarget admin = DatabaseTarget.parse(url);
    String db = "bench_diskpeak_" + System.currentTimeMillis();
    try (Connection c = connect(admin);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    DatabaseTarget target = admin.withDatabase(db);
    try (Connection c = connect(target);
        Statement s = c.createStatement()) {
      // ~0.16 KiB per row of text plus a primary key index
      s.execute(
          "CREATE TABLE docs AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) || md5((g *"
              + " 13)::text) AS body FROM generate_series(1, "
              + mib * 6000
              + ") g");
      s.execute("ALTER TABLE docs ADD PRIMARY KEY (id)");
      s.execute("VACUUM ANALYZE docs");
    }
    Path backups = Files.createDirectories(work);
    PostgresEngine engine =
        new PostgresEngine(target, PostgresOptions.defaults().withToolDirectory(bin));
    try {
      long size = dbSize(admin, db);
      BackupManifest m = engine.backup(request(backups, db), ProgressListener.NONE);
      try (Connection c = connect(target);
          Statement s = c.createStatement()) {
        s.execute("DELETE FROM docs WHERE id % 10 = 0");
      }
      System.out.printf(
          Locale.ROOT,
          "PostgreSQL database %s: pg_database_size %,d bytes, dump %,d bytes (%.2fx)%n",
          db,
          size,
          m.sizeBytes(),
          m.sizeBytes() / (double) size);
      try (Connection sampler = connect(admin)) {
        boolean wal = canReadWal(sampler);
        // this run's databases only (live, aside, failed copy): the server is shared
        LongSupplier dbs = () -> serverBytes(sampler, db);
        LongSupplier walBytes = () -> wal ? walBytes(sampler) : 0;
        report(
            "PostgreSQL swap restore (this database, its aside and failed databases"
                + (wal ? "; WAL of the whole server)" : ")"),
            size,
            dbs,
            walBytes,
            () -> engine.restore(ManifestStore.backupFile(backups, m), m, ProgressListener.NONE));
      }
    } finally {
      try (Connection c = connect(admin);
          Statement s = c.createStatement()) {
        for (String copy : engine.failedCopies()) {
          s.execute("DROP DATABASE IF EXISTS \"" + copy.replace("\"", "\"\"") + "\"");
        }
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private interface Restore {
    RestoreResult run() throws Exception;
  }

  private static void report(
      String label, long dbBytes, LongSupplier used, LongSupplier wal, Restore restore)
      throws Exception {
    long before = used.getAsLong();
    long walBefore = wal.getAsLong();
    AtomicLong peak = new AtomicLong(before);
    AtomicLong walPeak = new AtomicLong(walBefore);
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(used.getAsLong(), Math::max);
                walPeak.accumulateAndGet(wal.getAsLong(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    long t0 = System.nanoTime();
    RestoreResult r = restore.run();
    double secs = (System.nanoTime() - t0) / 1e9;
    t.interrupt();
    t.join();
    peak.accumulateAndGet(used.getAsLong(), Math::max);
    long after = used.getAsLong();
    System.out.printf(
        Locale.ROOT,
        "%s: database %,d bytes; before %,d (%.2fx), peak %,d (%.2fx), after %,d (%.2fx),"
            + " peak above before %,d (%.2fx); WAL before %,d, peak %,d (+%.2fx);"
            + " restore %.1f s; failed copy %s%n",
        label,
        dbBytes,
        before,
        before / (double) dbBytes,
        peak.get(),
        peak.get() / (double) dbBytes,
        after,
        after / (double) dbBytes,
        peak.get() - before,
        (peak.get() - before) / (double) dbBytes,
        walBefore,
        walPeak.get(),
        (walPeak.get() - walBefore) / (double) dbBytes,
        secs,
        r.keptFailedAs());
  }

  private static long dirBytes(Path dir) {
    try (var files = Files.list(dir)) {
      return files
          .mapToLong(
              p -> {
                try {
                  return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (java.io.IOException e) {
                  return 0; // renamed or deleted between list and size
                }
              })
          .sum();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static boolean canReadWal(Connection c) {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT sum(size) FROM pg_ls_waldir()").close();
      return true;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  private static long serverBytes(Connection c, String db) {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(sum(pg_database_size(oid)), 0) FROM pg_database WHERE datname"
                    + " LIKE '"
                    + db
                    + "%'")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0; // a database created or renamed between the list and its size: next sample
    }
  }

  private static long walBytes(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0;
    }
  }

  private static long dbSize(DatabaseTarget admin, String db) throws Exception {
    try (Connection c = connect(admin);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_database_size('" + db + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect(DatabaseTarget t) throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", t.user());
    p.setProperty("password", t.password());
    return DriverManager.getConnection(t.jdbcUrl(), p);
  }

  private static BackupRequest request(Path dir, String name) {
    return new BackupRequest(dir, name, "bench", Instant.now(), null, 0);
  }
}
