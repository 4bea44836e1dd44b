package io.dbguard.benchmarks;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * dbguard's SQLite backup (online backup API + {@code PRAGMA integrity_check} + {@code
 * foreign_key_check} + per-column profile + fsync + SHA-256 + manifest) against the baseline {@code
 * sqlite3 <db> ".backup <file>"} on the same database, alternating, in one run. Not a test: run by
 * {@code benchmarks/sqlite-backup.sh}.
 *
 * <p>Usage: {@code SqliteBackupBenchmark <work-dir> [min-size-MiB=1024] [rounds=3]}. Generates
 * {@code <work-dir>/bench.db} once (reused when already big enough), prints one line per timing and
 * a final ratio of medians.
 */
public final class SqliteBackupBenchmark {
  private SqliteBackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : ".benchmarks/sqlite");
    long minMiB = args.length > 1 ? Long.parseLong(args[1]) : 1024;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Files.createDirectories(work);
    Path db = work.resolve("bench.db");
    generate(db, minMiB << 20);
    long size = Files.size(db);
    System.out.printf(
        Locale.ROOT, "database %s: %,d bytes (%.2f GiB)%n", db, size, size / (double) (1L << 30));
    System.out.println("sqlite3: " + run(List.of("sqlite3", "--version")).trim());
    System.out.println("sqlite-jdbc: " + SqliteEngine.driverVersion());
    SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
    List<Double> baseline = new ArrayList<>();
    List<Double> floor = new ArrayList<>();
    List<Double> dbguard = new ArrayList<>();
    // warm-up: one of each so both start with the same page cache state
    timeSqlite3(db, work);
    for (int i = 0; i < rounds; i++) {
      double[] a = timeSqlite3(db, work);
      baseline.add(a[0]);
      floor.add(a[0] + a[1]);
      System.out.printf(
          Locale.ROOT,
          "round %d sqlite3 .backup                       %7.2f s (+ SHA-256 of its file %.2f s)%n",
          i + 1,
          a[0],
          a[1]);
      double b = timeDbguard(engine, work);
      dbguard.add(b);
      System.out.printf(
          Locale.ROOT, "round %d dbguard backup+integrity+profile+hash %7.2f s%n", i + 1, b);
    }
    breakdown(db, work);
    double ma = median(baseline);
    double mf = median(floor);
    double mb = median(dbguard);
    System.out.printf(
        Locale.ROOT,
        "floor: sqlite3 .backup + SHA-256 of the copy (no check at all) median %.2f s, ratio %.2fx%n",
        mf,
        mf / ma);
    System.out.printf(
        Locale.ROOT,
        "median sqlite3 %.2f s (%.0f MiB/s), dbguard %.2f s (%.0f MiB/s), ratio %.2fx (target <= 1.2x)%n",
        ma,
        size / ma / (1 << 20),
        mb,
        size / mb / (1 << 20),
        mb / ma);
  }

  /** Where dbguard's time goes: each part alone, once, on a fresh copy. */
  static void breakdown(Path db, Path work) throws Exception {
    Path copy = work.resolve("breakdown-copy.db");
    Files.deleteIfExists(copy);
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.executeUpdate("backup to '" + copy + "'");
    }
    long t1 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
        Statement s = c.createStatement()) {
      // as the engine reads a finished copy: memory-mapped, 256 MiB page cache
      s.execute("PRAGMA mmap_size=" + (16L << 30));
      s.execute("PRAGMA cache_size=-262144");
      try (var rs = s.executeQuery("PRAGMA integrity_check")) {
        rs.next();
      }
    }
    long t2 = System.nanoTime();
    new SqliteEngine(DatabaseTarget.sqlite(copy)).profile();
    long t3 = System.nanoTime();
    io.dbguard.core.backup.Sha256.ofFile(copy, "hash", ProgressListener.NONE);
    long t4 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "breakdown: backup API %.2f s, integrity_check %.2f s, profile %.2f s, sha256 %.2f s%n",
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        (t4 - t3) / 1e9);
    Files.deleteIfExists(copy);
  }

  /**
   * Times {@code sqlite3 <db> ".backup <copy>"}, then the SHA-256 of that copy: the floor of any
   * backup that records a hash, before any check. Returns {copy seconds, hash seconds}.
   */
  static double[] timeSqlite3(Path db, Path work) throws Exception {
    Path out = work.resolve("sqlite3-copy.db");
    Files.deleteIfExists(out);
    long t0 = System.nanoTime();
    run(List.of("sqlite3", db.toString(), ".backup '" + out + "'"));
    long t1 = System.nanoTime();
    io.dbguard.core.backup.Sha256.ofFile(out, "hash", ProgressListener.NONE);
    long t2 = System.nanoTime();
    Files.deleteIfExists(out);
    return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
  }

  static double timeDbguard(SqliteEngine engine, Path work) throws Exception {
    Path dir = work.resolve("dbguard-backups");
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    java.util.Map<String, long[]> phases = new java.util.concurrent.ConcurrentHashMap<>();
    ProgressListener timing =
        (phase, done, total) -> {
          long now = System.nanoTime();
          phases.computeIfAbsent(phase, k -> new long[] {now, now})[1] = now;
        };
    BackupManifest m =
        engine.backup(new BackupRequest(dir, "bench", "bench", Instant.now(), null, 0), timing);
    double s = (System.nanoTime() - t0) / 1e9;
    StringBuilder sb = new StringBuilder("    progress events (first-last, s from start):");
    phases.forEach(
        (k, v) ->
            sb.append(
                String.format(
                    Locale.ROOT, " %s %.1f-%.1f", k, (v[0] - t0) / 1e9, (v[1] - t0) / 1e9)));
    System.out.println(sb);
    Files.deleteIfExists(ManifestStore.backupFile(dir, m));
    Files.deleteIfExists(ManifestStore.manifestPath(dir, m.name()));
    return s;
  }

  static void generate(Path db, long minBytes) throws Exception {
    if (Files.exists(db) && Files.size(db) >= minBytes) {
      return;
    }
    Files.deleteIfExists(db);
    System.out.println("generating " + db + " (>= " + (minBytes >> 20) + " MiB) ...");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=OFF");
      s.execute(
          "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT,"
              + " note TEXT)");
      s.execute(
          "CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES"
              + " customers(id), kind TEXT NOT NULL, payload TEXT, created_at TEXT NOT NULL)");
      s.execute(
          "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000)"
              + " INSERT INTO customers SELECT x, 'user' || x || '@example.com', 'Name ' || x,"
              + " CASE WHEN x % 3 = 0 THEN NULL ELSE hex(randomblob(40)) END FROM n");
      long batch = 0;
      while (Files.size(db) + walSize(db) < minBytes) {
        s.execute(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000)"
                + " INSERT INTO events(customer_id, kind, payload, created_at) SELECT"
                + " abs(random()) % 200000 + 1, 'kind' || (x % 17), hex(randomblob(200)),"
                + " '2026-11-' || printf('%02d', x % 28 + 1) || 'T12:00:00Z' FROM n");
        batch++;
        if (batch % 5 == 0) {
          s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
      }
      s.execute("CREATE INDEX events_customer ON events(customer_id)");
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      s.execute("PRAGMA journal_mode=DELETE");
    }
  }

  private static long walSize(Path db) throws Exception {
    Path wal = Path.of(db + "-wal");
    return Files.exists(wal) ? Files.size(wal) : 0;
  }

  static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(cmd + " failed: " + out);
    }
    return out;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
