package io.dbguard.benchmarks;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.postgres.PostgresEngine;
import io.dbguard.core.engine.postgres.PostgresOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Issue 15 target 1: dbguard's verified PostgreSQL restore against a bare {@code pg_restore -d
 * fresh} of the same archive (default settings: one session) and against {@code pg_restore -j N},
 * in one run, variants alternating (the order rotates every round), with the load average read
 * before each figure. Not a test: run by {@code benchmarks/pg-restore.sh}.
 *
 * <p>Arguments: {@code <database> <scratch-dir> <rounds> <pg-bin-dir> <dbguard.jar or -> [jobs=0]}.
 * The database is backed up once with dbguard (the archive every variant restores); the bare
 * variants restore into a freshly created database (creation not timed), dropped after; dbguard's
 * variants replace the database itself (swap restore), and the failed copy each leaves is dropped
 * before the next figure. The jar variant is {@code java -jar dbguard.jar restore --manifest M}
 * with {@code DATABASE_URL} in the environment (JVM start, run lock, writes-after- backup counts
 * and pruning included); the in-process variant is {@link PostgresEngine#restore}. The floor
 * variant is {@code pg_restore -j N} into a fresh database followed by one {@code count(*)} of
 * every table in N sessions: the least a restore that reads back what it restored does.
 */
public final class PgRestoreBenchmark {
  private PgRestoreBenchmark() {}

  /** Entry point; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    String db = args[0];
    Path dir = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Path bin = Path.of(args[3]);
    Path jar = "-".equals(args[4]) ? null : Path.of(args[4]);
    int jobs = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null) {
      throw new IllegalStateException("DBGUARD_TEST_PG_URL is not set");
    }
    DatabaseTarget admin = DatabaseTarget.parse(url);
    DatabaseTarget target = admin.withDatabase(db);
    Files.createDirectories(dir);
    PostgresOptions options =
        PostgresOptions.defaults().withToolDirectory(bin).withRestoreJobs(jobs);
    int n = options.resolvedRestoreJobs();
    PostgresEngine engine = new PostgresEngine(target, options);

    System.out.printf(
        Locale.ROOT,
        "database %s: %d bytes; restore jobs %d; cpus %d%n",
        db,
        sizeOf(admin, db),
        n,
        Runtime.getRuntime().availableProcessors());
    double tb = System.nanoTime();
    BackupManifest m =
        engine.backup(
            new BackupRequest(dir, db, "bench", Instant.now(), null, 0), ProgressListener.NONE);
    Path file = ManifestStore.backupFile(dir, m);
    Path manifestFile = dir.resolve(io.dbguard.core.backup.BackupNaming.manifestFileName(m.name()));
    System.out.printf(
        Locale.ROOT,
        "archive %s: %d bytes (dbguard backup, %s, %.2f s)%n",
        file,
        m.sizeBytes(),
        m.compression(),
        (System.nanoTime() - tb) / 1e9);

    List<String> variants = new ArrayList<>();
    variants.add("bare pg_restore -d fresh");
    variants.add("bare pg_restore -j" + n + " -d fresh");
    variants.add("floor: pg_restore -j" + n + " + count(*) scan");
    if (jar != null) {
      variants.add("dbguard restore (jar)");
    }
    variants.add("dbguard restore (in-process)");
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < variants.size(); k++) {
        String v = variants.get((k + round) % variants.size());
        double load = load1();
        double secs;
        if (v.startsWith("bare pg_restore -d")) {
          secs = bare(admin, bin, file, db + "_fresh", 1, false);
        } else if (v.startsWith("bare")) {
          secs = bare(admin, bin, file, db + "_fresh", n, false);
        } else if (v.startsWith("floor")) {
          secs = bare(admin, bin, file, db + "_fresh", n, true);
        } else if (v.contains("jar")) {
          secs = jar(jar, target, manifestFile, bin, jobs);
          putBack(admin, db, newestFailedCopy(admin, db));
        } else {
          long t0 = System.nanoTime();
          RestoreResult r = engine.restore(file, m, ProgressListener.NONE);
          secs = (System.nanoTime() - t0) / 1e9;
          // what the jar does next: count the writes after the backup on the failed copy
          long t1 = System.nanoTime();
          engine.writesAfterBackup(m, r.keptFailedAs());
          double count = (System.nanoTime() - t1) / 1e9;
          results
              .computeIfAbsent("  writes-after count on the failed copy", x -> new ArrayList<>())
              .add(new double[] {count, load1()});
          System.out.printf(
              Locale.ROOT,
              "round %d  %-34s %8.2f s%n",
              round + 1,
              "  writes-after count on the copy",
              count);
          putBack(admin, db, r.keptFailedAs());
        }
        results.computeIfAbsent(v, x -> new ArrayList<>()).add(new double[] {secs, load});
        if (v.contains("jar")) {
          // what the JVM alone costs at this load: the part of the jar figure that is not restore
          double jvm = jvmFloor(jar);
          results
              .computeIfAbsent("floor: java -jar dbguard.jar --version", x -> new ArrayList<>())
              .add(new double[] {jvm, load1()});
          System.out.printf(
              Locale.ROOT, "round %d  %-34s %8.2f s%n", round + 1, "  java -jar --version", jvm);
        }
        System.out.printf(
            Locale.ROOT, "round %d  %-34s %8.2f s   load1 %.2f%n", round + 1, v, secs, load);
      }
    }
    System.out.println();
    Map<String, Double> best = new LinkedHashMap<>();
    Map<String, Double> median = new LinkedHashMap<>();
    for (var e : results.entrySet()) {
      List<Double> t = e.getValue().stream().map(r -> r[0]).sorted().toList();
      best.put(e.getKey(), t.get(0));
      median.put(e.getKey(), t.get(t.size() / 2));
      System.out.printf(
          Locale.ROOT,
          "%-34s best %7.2f s  median %7.2f s  all %s%n",
          e.getKey(),
          t.get(0),
          t.get(t.size() / 2),
          e.getValue().stream()
              .map(r -> String.format(Locale.ROOT, "%.2f@%.1f", r[0], r[1]))
              .toList());
    }
    String bare1 = variants.get(0);
    String bareN = variants.get(1);
    for (String v : variants.subList(2, variants.size())) {
      if (v.startsWith("floor")) {
        System.out.printf(
            Locale.ROOT,
            "ratio %-30s / %s: best %.3f median %.3f%n",
            v,
            bare1,
            best.get(v) / best.get(bare1),
            median.get(v) / median.get(bare1));
        continue;
      }
      if (!best.containsKey(v)) {
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          "ratio %-30s / %s: best %.3f median %.3f;  / %s: best %.3f median %.3f%n",
          v,
          bare1,
          best.get(v) / best.get(bare1),
          median.get(v) / median.get(bare1),
          bareN,
          best.get(v) / best.get(bareN),
          median.get(v) / median.get(bareN));
    }
    System.out.printf(
        Locale.ROOT,
        "ratio %-30s / %s: best %.3f median %.3f%n",
        bareN,
        bare1,
        best.get(bareN) / best.get(bare1),
        median.get(bareN) / median.get(bare1));
    System.out.printf(
        Locale.ROOT,
        "restore rate (in-process, best): %.1f MB/s of pg_database_size%n",
        sizeOf(admin, db) / 1e6 / best.get("dbguard restore (in-process)"));
    Files.deleteIfExists(file);
    Files.deleteIfExists(manifestFile);
  }

  private static double jvmFloor(Path jarFile) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", jarFile.toString(), "--version");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    pb.start().waitFor();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double load1() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  /**
   * {@code createdb fresh} (not timed), then {@code pg_restore [-j N] -d fresh archive}, timed;
   * with {@code scan}, also one {@code count(*)} of every table in N sessions at once, timed with
   * it: the least any restore that reads back what it restored can do (the floor of a verified
   * restore; dbguard's profile counts non-null values per column in the same scan).
   */
  private static double bare(
      DatabaseTarget admin, Path bin, Path file, String fresh, int jobs, boolean scan)
      throws Exception {
    dropDatabase(admin, fresh);
    sql(admin, "CREATE DATABASE \"" + fresh + "\"");
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_restore").toString()));
    if (jobs > 1) {
      cmd.add("-j" + jobs);
    }
    cmd.addAll(List.of("-d", fresh, file.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
    pb.environment().putAll(admin.withDatabase(fresh).libpqEnvironment());
    long t0 = System.nanoTime();
    int rc = pb.start().waitFor();
    if (rc == 0 && scan) {
      countEveryTable(admin.withDatabase(fresh), jobs);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    dropDatabase(admin, fresh);
    if (rc != 0) {
      throw new IllegalStateException("pg_restore exit " + rc);
    }
    return secs;
  }

  private static double jar(Path jarFile, DatabaseTarget target, Path manifest, Path bin, int jobs)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-jar",
                jarFile.toString(),
                "restore",
                "--manifest",
                manifest.toString(),
                "--tool-dir",
                bin.toString(),
                "--keep-failed-copies",
                "1",
                "--output",
                "json"));
    if (jobs > 0) {
      cmd.addAll(List.of("--restore-jobs", Integer.toString(jobs)));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("DATABASE_URL", target.secretUrl());
    long t0 = System.nanoTime();
    int rc = pb.start().waitFor();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (rc != 0) {
      throw new IllegalStateException("dbguard restore exit " + rc);
    }
    return secs;
  }

  /** {@code SELECT count(*)} of every user table of {@code db}, largest first, in N sessions. */
  private static void countEveryTable(DatabaseTarget db, int sessions) throws Exception {
    java.util.concurrent.ConcurrentLinkedQueue<String> tables =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    try (Connection c = connectTo(db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg_toast%' ORDER BY c.relpages DESC")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, sessions));
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int i = 0; i < Math.max(1, sessions); i++) {
      done.add(
          pool.submit(
              () -> {
                try (Connection c = connectTo(db);
                    Statement st = c.createStatement()) {
                  for (String t = tables.poll(); t != null; t = tables.poll()) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                      rs.next();
                    }
                  }
                }
                return null;
              }));
    }
    for (var f : done) {
      f.get();
    }
    pool.shutdown();
  }

  private static long sizeOf(DatabaseTarget admin, String db) throws Exception {
    try (Connection c = connect(admin);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_database_size('" + db + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String newestFailedCopy(DatabaseTarget admin, String db) throws Exception {
    try (Connection c = connect(admin);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE '"
                    + db
                    + "\\_failed\\_%' ORDER BY datname DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Puts the replaced database back under its name (the restored one is dropped), so that every
   * dbguard figure starts from the database as it was backed up: rows older than the backup, as
   * after a real failed migration, rather than rows the previous round's restore just wrote (which
   * the count of writes after the backup on the failed copy would all report).
   */
  private static void putBack(DatabaseTarget admin, String db, String failedCopy) throws Exception {
    if (failedCopy == null) {
      throw new IllegalStateException("no failed copy of " + db + " to put back");
    }
    dropDatabase(admin, db);
    sql(admin, "ALTER DATABASE \"" + failedCopy + "\" RENAME TO \"" + db + "\"");
  }

  private static void dropDatabase(DatabaseTarget admin, String db) throws Exception {
    if (db != null) {
      sql(admin, "DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
    }
  }

  private static void sql(DatabaseTarget admin, String statement) throws Exception {
    try (Connection c = connect(admin);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static Connection connect(DatabaseTarget admin) throws Exception {
    return connectTo(admin.withDatabase("postgres"));
  }

  private static Connection connectTo(DatabaseTarget db) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", db.user());
    p.setProperty("password", db.password());
    return DriverManager.getConnection(db.jdbcUrl(), p);
  }
}
