package io.dbguard.benchmarks;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.postgres.PostgresEngine;
import io.dbguard.core.engine.postgres.PostgresOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What content checksums cost on top of the data-loss check's profile. Times, on the same database
 * in the same run with the variants alternating: dbguard's default profile ({@link
 * PostgresEngine#profile()}: one {@code count(*)}/{@code count(col)} scan per table), dbguard's
 * {@code --content-checksum} profile ({@link PostgresEngine#profile(boolean)}: the same scan plus a
 * checksum per column), and two order-independent checksums per table (whole rows), each in one
 * scan that also counts rows: {@code sum(hashtextextended(t::text, 0))} and the sum of the first 64
 * bits of {@code md5(t::text)}. Prints every time (seconds) and median-of ratios to the profile.
 * Run by {@code benchmarks/content-checksum.sh}; not a test.
 *
 * <p>Arguments: {@code <database> <runs>}. The server comes from {@code DBGUARD_TEST_PG_URL}.
 */
public final class ContentChecksumBenchmark {
  private ContentChecksumBenchmark() {}

  /** Entry point; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    String db = args[0];
    int runs = Integer.parseInt(args[1]);
    String url = System.getenv("DBGUARD_TEST_PG_URL");
    if (url == null) {
      throw new IllegalStateException("DBGUARD_TEST_PG_URL is not set");
    }
    DatabaseTarget target = DatabaseTarget.parse(url).withDatabase(db);
    PostgresEngine engine = new PostgresEngine(target, PostgresOptions.defaults());
    List<String> tables = new ArrayList<>(engine.profile().tables().keySet());
    System.out.println("tables: " + tables + ", rows: " + engine.profile().totalRows());
    Map<String, List<Double>> times = new LinkedHashMap<>();
    Properties p = new Properties();
    p.setProperty("user", target.user());
    p.setProperty("password", target.password());
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), p)) {
      for (int run = 1; run <= runs; run++) {
        long t0 = System.nanoTime();
        engine.profile();
        add(times, "profile (count scan, dbguard default)", t0);
        t0 = System.nanoTime();
        engine.profile(true);
        add(times, "profile --content-checksum (per column)", t0);
        t0 = System.nanoTime();
        checksum(c, tables, "sum(hashtextextended(t::text, 0))");
        add(times, "count + sum(hashtextextended(row))", t0);
        t0 = System.nanoTime();
        checksum(c, tables, "sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint)");
        add(times, "count + sum(md5(row) first 64 bits)", t0);
        System.out.println("run " + run + " done");
      }
    }
    double base = median(times.values().iterator().next());
    System.out.printf(
        Locale.ROOT, "%n%-40s %-36s %10s %8s%n", "variant", "times (s)", "median", "ratio");
    for (var e : times.entrySet()) {
      StringBuilder all = new StringBuilder();
      e.getValue().forEach(t -> all.append(String.format(Locale.ROOT, "%.2f ", t)));
      double m = median(e.getValue());
      System.out.printf(Locale.ROOT, "%-40s %-36s %10.2f %7.2fx%n", e.getKey(), all, m, m / base);
    }
  }

  private static void checksum(Connection c, List<String> tables, String agg) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("SET max_parallel_workers_per_gather = 0");
      for (String qualified : tables) {
        String[] parts = qualified.split("\\.", 2);
        String sql =
            "SELECT count(*), "
                + agg
                + " FROM ONLY \""
                + parts[0].replace("\"", "\"\"")
                + "\".\""
                + parts[1].replace("\"", "\"\"")
                + "\" AS t";
        try (ResultSet rs = st.executeQuery(sql)) {
          rs.next();
        }
      }
    }
  }

  private static void add(Map<String, List<Double>> times, String name, long t0) {
    times.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }
}
