package io.dbguard.benchmarks;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupNaming;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.postgres.PostgresEngine;
import io.dbguard.core.engine.postgres.PostgresOptions;
import io.dbguard.core.engine.postgres.PostgresOptions.VerifyMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times bare {@code pg_dump -Fc} (default compression, what deployers run today) against dbguard's
 * whole safe backup (dump + SHA-256 + full archive read + profile + manifest) on the same database
 * in the same run, alternating the sides, and prints every time (seconds) and file size (bytes)
 * plus best-of ratios. Run by {@code benchmarks/pg-backup.sh}; not a test.
 *
 * <p>Arguments: {@code <database> <scratch-dir> <runs> <pg-bin-dir>}. The server comes from {@code
 * DBGUARD_TEST_PG_URL}; its password reaches {@code pg_dump} only via {@code PGPASSWORD}.
 */
public final class PgBackupBenchmark {
  private PgBackupBenchmark() {}

  /** Entry point; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    String db = args[0];
    Path dir = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    Path bin = Path.of(args[3]);
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null) {
      throw new IllegalStateException("DBGUARD_TEST_PG_URL is not set");
    }
    DatabaseTarget target = DatabaseTarget.parse(url).withDatabase(db);
    Files.createDirectories(dir);

    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      record("bare pg_dump -Fc (default -Z)", results, bareDump(bin, target, dir, null));
      record("bare pg_dump -Fc -Z1", results, bareDump(bin, target, dir, "1"));
      record("floor: pg_dump -Fp -f /dev/null", results, floorDump(bin, target));
      record(
          "dbguard backup (streaming verify, -Z1)",
          results,
          dbguard(target, bin, dir, VerifyMode.STREAMING, 1, run));
      record(
          "dbguard backup (streaming verify, -Z0)",
          results,
          dbguard(target, bin, dir, VerifyMode.STREAMING, 0, run));
      record(
          "dbguard backup (re-read verify, -Z1)",
          results,
          dbguard(target, bin, dir, VerifyMode.REREAD, 1, run));
      System.out.println("run " + run + " done");
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT, "%-42s %-40s %10s %14s%n", "variant", "times (s)", "best (s)", "size (bytes)");
    double bareBest = 0;
    Map<String, Double> best = new LinkedHashMap<>();
    for (var e : results.entrySet()) {
      double b = Double.MAX_VALUE;
      StringBuilder all = new StringBuilder();
      long size = 0;
      for (double[] r : e.getValue()) {
        b = Math.min(b, r[0]);
        all.append(String.format(Locale.ROOT, "%.2f ", r[0]));
        size = (long) r[1];
      }
      best.put(e.getKey(), b);
      if (bareBest == 0) {
        bareBest = b;
      }
      System.out.printf(
          Locale.ROOT, "%-42s %-40s %10.2f %14d%n", e.getKey(), all.toString().trim(), b, size);
    }
    System.out.println();
    for (var e : best.entrySet()) {
      System.out.printf(
          Locale.ROOT, "ratio %-42s / bare default = %.3f%n", e.getKey(), e.getValue() / bareBest);
    }
  }

  private static void record(String name, Map<String, List<double[]>> results, double[] r) {
    results.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
    System.out.printf(Locale.ROOT, "%-42s %8.2f s %14d bytes%n", name, r[0], (long) r[1]);
  }

  private static double[] bareDump(Path bin, DatabaseTarget target, Path dir, String level)
      throws IOException, InterruptedException {
    Path out = dir.resolve("bare.dump");
    Files.deleteIfExists(out);
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_dump").toString(), "-Fc"));
    if (level != null) {
      cmd.add("-Z" + level);
    }
    cmd.add("-f");
    cmd.add(out.toString());
    double secs = timePgDump(cmd, target);
    long size = Files.size(out);
    Files.delete(out);
    return new double[] {secs, size};
  }

  /**
   * The server's side alone: a plain-format dump thrown away ({@code pg_dump -Fp -f /dev/null}), no
   * compression, no file. No backup made with pg_dump can be faster than this.
   */
  private static double[] floorDump(Path bin, DatabaseTarget target)
      throws IOException, InterruptedException {
    return new double[] {
      timePgDump(List.of(bin.resolve("pg_dump").toString(), "-Fp", "-f", "/dev/null"), target), 0
    };
  }

  /** Runs a pg_dump command line with the target's libpq environment; wall seconds. */
  private static double timePgDump(List<String> cmd, DatabaseTarget target)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
    pb.environment().putAll(target.libpqEnvironment());
    long t0 = System.nanoTime();
    int rc = pb.start().waitFor();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (rc != 0) {
      throw new IllegalStateException("pg_dump exit " + rc);
    }
    return secs;
  }

  private static double[] dbguard(
      DatabaseTarget target, Path bin, Path dir, VerifyMode mode, int level, int run)
      throws IOException {
    PostgresEngine engine =
        new PostgresEngine(
            target,
            PostgresOptions.defaults()
                .withToolDirectory(bin)
                .withVerifyMode(mode)
                .withCompressionLevel(level));
    Instant at = Instant.now();
    long t0 = System.nanoTime();
    BackupManifest m =
        engine.backup(
            new BackupRequest(
                dir,
                "bench",
                "run" + run + mode.name().toLowerCase(Locale.ROOT) + "z" + level,
                at,
                null,
                0),
            ProgressListener.NONE);
    double secs = (System.nanoTime() - t0) / 1e9;
    Files.delete(dir.resolve(m.file()));
    Files.delete(dir.resolve(BackupNaming.manifestFileName(m.name())));
    return new double[] {secs, m.sizeBytes()};
  }
}
