package io.dbguard.benchmarks;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 15 target 1 (SQLite): dbguard's verified restore against {@code sqlite3 <db> ".restore
 * <backup>"} of the same backup file into the same database, alternating (the order rotates each
 * round), in one run, the load average printed with each figure. Variants:
 *
 * <ul>
 *   <li>{@code bare}: {@code sqlite3 bench.db ".restore 'backup'"} (the baseline);
 *   <li>{@code floor}: the same, then {@code PRAGMA integrity_check} of the result in a second
 *       {@code sqlite3} process with a 16 GiB memory map and a 256 MiB page cache: the least any
 *       verified restore does (a restore and one full check of what it wrote);
 *   <li>{@code previous}: the restore as dbguard did it before ({@link SqliteRestorePrevious}, each
 *       step timed);
 *   <li>{@code dbguard}: {@link SqliteEngine#restore} in-process (progress phases timed).
 * </ul>
 *
 * <p>Not a test: run by {@code benchmarks/sqlite-restore.sh}. Usage: {@code SqliteRestoreBenchmark
 * <work-dir> [min-size-MiB=500] [rounds=3]}. The database is generated as {@link
 * SqliteBackupBenchmark} generates it and backed up once with dbguard.
 */
public final class SqliteRestoreBenchmark {
  private static final List<String> VARIANTS = List.of("bare", "floor", "previous", "dbguard");

  private SqliteRestoreBenchmark() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/dbguard-sqlite-restore-bench");
    long minMiB = args.length > 1 ? Long.parseLong(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Files.createDirectories(work);
    Path db = work.resolve("bench.db");
    SqliteBackupBenchmark.generate(db, minMiB << 20);
    System.out.printf(Locale.ROOT, "database %s: %d bytes%n", db, Files.size(db));
    System.out.println("sqlite3: " + SqliteBackupBenchmark.run(List.of("sqlite3", "--version")));
    System.out.println("sqlite-jdbc: " + SqliteEngine.driverVersion());
    SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
    Path dir = work.resolve("backups");
    Files.createDirectories(dir);
    BackupManifest m =
        engine.backup(
            new BackupRequest(dir, "bench", "bench", Instant.now(), null, 0),
            ProgressListener.NONE);
    Path file = ManifestStore.backupFile(dir, m);
    Map<String, List<Double>> times = new LinkedHashMap<>();
    VARIANTS.forEach(v -> times.put(v, new ArrayList<>()));
    for (int i = 0; i < rounds; i++) {
      for (int k = 0; k < VARIANTS.size(); k++) {
        String v = VARIANTS.get((k + i) % VARIANTS.size());
        double load = load1();
        long t0 = System.nanoTime();
        String detail = run(v, engine, db, file, m, work, t0);
        double s = (System.nanoTime() - t0) / 1e9;
        times.get(v).add(s);
        System.out.printf(
            Locale.ROOT, "round %d %-9s %7.2f s   load1 %5.2f  %s%n", i + 1, v, s, load, detail);
      }
    }
    double bare = SqliteBackupBenchmark.median(times.get("bare"));
    double bareBest = best(times.get("bare"));
    for (String v : VARIANTS) {
      double med = SqliteBackupBenchmark.median(times.get(v));
      System.out.printf(
          Locale.ROOT,
          "%-9s median %6.2f s = %.2fx bare; best %6.2f s = %.2fx bare best; rounds %s%n",
          v,
          med,
          med / bare,
          best(times.get(v)),
          best(times.get(v)) / bareBest,
          times.get(v));
    }
    Files.deleteIfExists(file);
  }

  private static String run(
      String variant, SqliteEngine engine, Path db, Path file, BackupManifest m, Path work, long t0)
      throws Exception {
    switch (variant) {
      case "bare" -> {
        SqliteBackupBenchmark.run(List.of("sqlite3", db.toString(), ".restore '" + file + "'"));
        return "";
      }
      case "floor" -> {
        SqliteBackupBenchmark.run(List.of("sqlite3", db.toString(), ".restore '" + file + "'"));
        double restored = (System.nanoTime() - t0) / 1e9;
        String ok =
            SqliteBackupBenchmark.run(
                    List.of(
                        "sqlite3",
                        db.toString(),
                        "PRAGMA mmap_size=" + (16L << 30),
                        "PRAGMA cache_size=-262144",
                        "PRAGMA integrity_check"))
                .trim();
        if (!ok.endsWith("ok")) {
          throw new IllegalStateException("integrity_check: " + ok);
        }
        return String.format(Locale.ROOT, "(.restore %.2f s)", restored);
      }
      case "previous" -> {
        Path failed = work.resolve("bench.db.previous-failed");
        Map<String, Double> steps = SqliteRestorePrevious.restore(db, file, m, failed);
        Files.deleteIfExists(failed);
        StringBuilder sb = new StringBuilder();
        steps.forEach((k, s) -> sb.append(String.format(Locale.ROOT, "%s %.2f; ", k, s)));
        return sb.toString();
      }
      default -> {
        Map<String, double[]> phases = new LinkedHashMap<>();
        ProgressListener timing =
            (phase, done, total) -> {
              double now = (System.nanoTime() - t0) / 1e9;
              synchronized (phases) {
                phases.computeIfAbsent(phase, p -> new double[] {now, now})[1] = now;
              }
            };
        RestoreResult r = engine.restore(file, m, timing);
        Files.deleteIfExists(Path.of(r.keptFailedAs()));
        StringBuilder sb = new StringBuilder("progress (first-last s):");
        phases.forEach(
            (k, p) -> sb.append(String.format(Locale.ROOT, " %s %.2f-%.2f", k, p[0], p[1])));
        return sb.toString();
      }
    }
  }

  private static double best(List<Double> xs) {
    return xs.stream().mapToDouble(x -> x).min().orElseThrow();
  }

  private static double load1() throws Exception {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }
}
