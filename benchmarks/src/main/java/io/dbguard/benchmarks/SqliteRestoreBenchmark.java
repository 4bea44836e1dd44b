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
import java.util.List;
import java.util.Locale;

/**
 * Issue 15 target 1 (SQLite): dbguard's verified restore ({@link SqliteEngine#restore}: SHA-256,
 * failed copy kept, backup API, checkpoint, {@code integrity_check}, profile compared with the
 * manifest) against {@code sqlite3 <db> ".restore <backup>"} of the same backup file into the same
 * database, alternating, in one run, the load average printed with each figure. Not a test: run by
 * {@code benchmarks/sqlite-restore.sh}.
 *
 * <p>Usage: {@code SqliteRestoreBenchmark <work-dir> [min-size-MiB=500] [rounds=3]}. The database
 * is generated as {@link SqliteBackupBenchmark} generates it and backed up once with dbguard.
 */
public final class SqliteRestoreBenchmark {
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
    SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
    Path dir = work.resolve("backups");
    Files.createDirectories(dir);
    BackupManifest m =
        engine.backup(
            new BackupRequest(dir, "bench", "bench", Instant.now(), null, 0),
            ProgressListener.NONE);
    Path file = ManifestStore.backupFile(dir, m);
    List<Double> baseline = new ArrayList<>();
    List<Double> dbguard = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      for (int k = 0; k < 2; k++) {
        boolean bare = (k + i) % 2 == 0;
        double load = load1();
        long t0 = System.nanoTime();
        if (bare) {
          SqliteBackupBenchmark.run(List.of("sqlite3", db.toString(), ".restore '" + file + "'"));
        } else {
          RestoreResult r = engine.restore(file, m, ProgressListener.NONE);
          Files.deleteIfExists(db.resolveSibling(r.keptFailedAs()));
          Files.deleteIfExists(Path.of(r.keptFailedAs()));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        (bare ? baseline : dbguard).add(s);
        System.out.printf(
            Locale.ROOT,
            "round %d %-32s %7.2f s   load1 %.2f%n",
            i + 1,
            bare ? "sqlite3 .restore" : "dbguard restore (in-process)",
            s,
            load);
      }
    }
    double mb = SqliteBackupBenchmark.median(baseline);
    double md = SqliteBackupBenchmark.median(dbguard);
    System.out.printf(
        Locale.ROOT,
        "median sqlite3 .restore %.2f s, dbguard restore %.2f s, ratio %.2fx (target <= 1.2x);"
            + " best %.2f / %.2f s = %.2fx%n",
        mb,
        md,
        md / mb,
        baseline.stream().mapToDouble(x -> x).min().orElseThrow(),
        dbguard.stream().mapToDouble(x -> x).min().orElseThrow(),
        dbguard.stream().mapToDouble(x -> x).min().orElseThrow()
            / baseline.stream().mapToDouble(x -> x).min().orElseThrow());
    Files.deleteIfExists(file);
  }

  private static double load1() throws Exception {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }
}
