package io.dbguard.benchmarks;

import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator at scale, on the test control plane (kube-apiserver + etcd + controller-manager from
 * {@code test-support}), with the operator in a JVM of its own ({@code -Xmx512m}, as {@code
 * io.dbguard.operator.Main} runs in the image, JOSDK defaults, no leader election):
 *
 * <ol>
 *   <li>heap after a full GC with no DatabaseMigration;
 *   <li>{@code N} DatabaseMigrations (SQLite specs) in {@code M} namespaces, pending: each waits
 *       for its database claim, which does not exist (phase Pending, reason MissingReference, no
 *       Job); measured once every one has its status: heap after GC and the idle reconcile rate
 *       (JOSDK's {@code operator_sdk_reconciliations_started_total} over 30 s);
 *   <li>the control plane's floor ({@link BurstLatency#floor}): {@code B} ConfigMaps, then {@code
 *       B} Jobs created at once from one client, create call and create → seen by a watch;
 *   <li>{@code B} (50) DatabaseMigrations applied at once in a namespace where their claims exist:
 *       create call → the backup Job seen by a watch, p50/p99, split into the create call, create →
 *       status seen by a watch and status seen → Job seen ({@link BurstLatency#burst},
 *       per-migration times in {@code operator-scale-burst.tsv} in {@code java.io.tmpdir}, for
 *       {@code benchmarks/operator-burst-split.py}); reconcile duration p50/p99 during that burst
 *       from JOSDK's timer ({@code operator_sdk_controllers_execution_reconcile_seconds} histogram
 *       buckets, the difference before and after);
 *   <li>heap after GC at the end.
 * </ol>
 *
 * The local node runs at most 2 pods at once ({@code LocalNode#maxRunningPods}); the dbguard image
 * is not mapped to a program, so step pods wait (ErrImagePull) and use no CPU: the run measures the
 * operator, not its Jobs.
 *
 * <p>Usage: {@code benchmarks/operator-scale.sh [N=2000] [M=50] [B=50]}. Environment: {@code
 * DBGUARD_BENCH_LOGBACK} a logback.xml for the operator JVM (e.g. {@code
 * benchmarks/operator-split/logback.xml}: JOSDK's event processor at DEBUG), {@code
 * DBGUARD_BENCH_LOG_LEVEL} dbguard's log level without one (default WARN).
 */
public final class OperatorScaleBenchmark {
  static final ResourceDefinitionContext DBMIG =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();

  private OperatorScaleBenchmark() {}

  /**
   * @param args operator classpath, N, M, B; or operator classpath, {@code running}, R, M, P, W
   *     (see {@link OperatorRunningBenchmark})
   */
  public static void main(String[] args) throws Exception {
    String operatorClasspath = args[0];
    if ("running".equals(args[1])) {
      OperatorRunningBenchmark.run(
          operatorClasspath,
          Integer.parseInt(args[2]),
          Integer.parseInt(args[3]),
          Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
      return;
    }
    int n = Integer.parseInt(args[1]);
    int m = Integer.parseInt(args[2]);
    int burst = Integer.parseInt(args[3]);
    try (TestCluster cluster = TestCluster.start()) {
      cluster.node().maxRunningPods(2);
      KubernetesClient admin = cluster.client();
      int port = freePort();
      Path log = Path.of(System.getProperty("java.io.tmpdir"), "operator-scale-operator.log");
      Process operator = startOperator(operatorClasspath, cluster, port, log);
      try {
        String metrics = "http://127.0.0.1:" + port + "/metrics";
        HttpClient http = HttpClient.newHttpClient();
        Thread.sleep(3000);
        System.out.printf(
            "operator log %s; heap after GC, no migrations: %d MB%n",
            log, heapAfterGc(operator.pid()));

        long t0 = System.nanoTime();
        createPending(admin, cluster, n, m);
        System.out.printf(
            "created %d pending migrations in %d namespaces in %.1f s%n",
            n, m, (System.nanoTime() - t0) / 1e9);
        awaitStatuses(admin, n);
        System.out.printf(
            "all %d have a status %.1f s after the first create%n",
            n, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(10_000);
        double started0 = sum(scrape(http, metrics), "operator_sdk_reconciliations_started_total");
        Thread.sleep(30_000);
        double started1 = sum(scrape(http, metrics), "operator_sdk_reconciliations_started_total");
        System.out.printf("idle reconcile rate: %.2f/s%n", (started1 - started0) / 30.0);
        System.out.printf(
            "heap after GC, %d pending migrations: %d MB%n", n, heapAfterGc(operator.pid()));

        BurstLatency.floor(admin, cluster, burst);
        Thread.sleep(5000);
        Map<Double, Double> before = buckets(scrape(http, metrics));
        Path tsv = Path.of(System.getProperty("java.io.tmpdir"), "operator-scale-burst.tsv");
        Map<String, BurstLatency.Times> times = BurstLatency.burst(admin, cluster, burst, tsv);
        List<Double> latencies = new ArrayList<>();
        List<Double> call = new ArrayList<>();
        List<Double> toStatus = new ArrayList<>();
        List<Double> statusToJob = new ArrayList<>();
        for (BurstLatency.Times t : times.values()) {
          latencies.add((t.jobSeen() - t.sent()) / 1e6);
          call.add((t.returned() - t.sent()) / 1e6);
          if (t.statusSeen() > 0) {
            toStatus.add((t.statusSeen() - t.sent()) / 1e6);
            statusToJob.add((t.jobSeen() - t.statusSeen()) / 1e6);
          }
        }
        Collections.sort(latencies);
        System.out.printf(
            "create -> backup Job, %d at once: p50 %.2f s, p99 %.2f s, max %.2f s%n",
            burst,
            quantile(latencies, 0.50),
            quantile(latencies, 0.99),
            latencies.get(latencies.size() - 1));
        System.out.printf(
            "  split: create call p50 %.3f s, p99 %.3f s; create sent -> status seen by a watch"
                + " p50 %.3f s, p99 %.3f s; status seen -> Job seen p50 %.3f s, p99 %.3f s;"
                + " per-migration times in %s%n",
            BurstLatency.q(call, 0.5),
            BurstLatency.q(call, 0.99),
            BurstLatency.q(toStatus, 0.5),
            BurstLatency.q(toStatus, 0.99),
            BurstLatency.q(statusToJob, 0.5),
            BurstLatency.q(statusToJob, 0.99),
            tsv);
        Thread.sleep(2000);
        String last = scrape(http, metrics);
        Path scrapeFile =
            Path.of(System.getProperty("java.io.tmpdir"), "operator-scale-metrics.txt");
        java.nio.file.Files.writeString(scrapeFile, last);
        Map<Double, Double> after = buckets(last);
        System.out.printf(
            "reconcile duration during the burst: p50 %.3f s, p99 %.3f s (%d reconciles)%n",
            histogramQuantile(before, after, 0.50),
            histogramQuantile(before, after, 0.99),
            (long)
                (after.getOrDefault(Double.POSITIVE_INFINITY, 0.0)
                    - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0)));
        System.out.printf(
            "heap after GC, end: %d MB; last /metrics scrape in %s%n",
            heapAfterGc(operator.pid()), scrapeFile);
      } finally {
        operator.destroy();
        operator.waitFor(15, TimeUnit.SECONDS);
        operator.destroyForcibly();
      }
    }
  }

  /** A free local TCP port. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts {@code io.dbguard.operator.Main} in a JVM of its own ({@code -Xmx512m}, JOSDK defaults,
   * no leader election, log level WARN or as {@code DBGUARD_BENCH_LOGBACK} and {@code
   * DBGUARD_BENCH_LOG_LEVEL} say, HTTP on {@code port}), output to {@code log}; returns once {@code
   * /readyz} answers 200 (3 min at most).
   *
   * @throws IllegalStateException when it is not ready within 3 min
   */
  static Process startOperator(String operatorClasspath, TestCluster cluster, int port, Path log)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    String logback = System.getenv("DBGUARD_BENCH_LOGBACK");
    if (logback != null && !logback.isEmpty()) {
      // a logback.xml of one's own, e.g. JOSDK's event processor at DEBUG for a split run
      cmd.add("-Dlogback.configurationFile=" + logback);
    }
    cmd.addAll(List.of("-cp", operatorClasspath, "io.dbguard.operator.Main"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("KUBECONFIG", cluster.kubeconfigFile().toString());
    pb.environment().put("DBGUARD_LEADER_ELECTION_ENABLED", "false");
    pb.environment().put("DBGUARD_HTTP_PORT", String.valueOf(port));
    pb.environment()
        .put("DBGUARD_LOG_LEVEL", System.getenv().getOrDefault("DBGUARD_BENCH_LOG_LEVEL", "WARN"));
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process operator = pb.start();
    try {
      awaitReady(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/readyz");
    } catch (Exception | Error e) {
      operator.destroyForcibly();
      throw e;
    }
    return operator;
  }

  static GenericKubernetesResource migration(String name, String db, boolean ready) {
    String yaml =
        """
        apiVersion: dbguard.io/v1alpha1
        kind: DatabaseMigration
        metadata: {name: %s}
        spec:
          database: {name: %s, engine: SQLite, volume: {claimName: %s, path: app.db}}
          migrate: {image: "shop:v2", command: [sh, -c, "true"], timeoutSeconds: 120}
          backup: {storage: {claimName: backups}}
        """
            .formatted(name, db, ready ? "data" : "data-" + db);
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  private static void createPending(KubernetesClient admin, TestCluster cluster, int n, int m)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        String ns = cluster.createNamespace("scale-" + i);
        int perNs = n / m + (i < n % m ? 1 : 0);
        for (int j = 0; j < perNs; j++) {
          GenericKubernetesResource r = migration("m" + j, "db" + j, false);
          all.add(
              pool.submit(
                  () ->
                      admin
                          .genericKubernetesResources(DBMIG)
                          .inNamespace(ns)
                          .resource(r)
                          .create()));
        }
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Waits until {@code n} migrations have a status (listed every 10 s, pages of 500). */
  private static void awaitStatuses(KubernetesClient admin, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      long withStatus = 0;
      String next = null;
      do {
        var page =
            admin
                .genericKubernetesResources(DBMIG)
                .inAnyNamespace()
                .list(
                    new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                        .withLimit(500L)
                        .withContinue(next)
                        .build());
        withStatus +=
            page.getItems().stream()
                .filter(r -> r.getAdditionalProperties().get("status") != null)
                .count();
        next = page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
      if (withStatus >= n) {
        return;
      }
      System.out.printf("  %d/%d with a status%n", withStatus, n);
      Thread.sleep(10_000);
    }
    throw new IllegalStateException("not every migration got a status within 30 min");
  }

  /** Claims {@code data} and {@code backups} (1 GiB, ReadWriteOnce) in {@code ns}. */
  static void createClaims(KubernetesClient admin, String ns) {
    for (String claim : List.of("data", "backups")) {
      admin
          .persistentVolumeClaims()
          .inNamespace(ns)
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName(claim)
                  .endMetadata()
                  .withNewSpec()
                  .withAccessModes("ReadWriteOnce")
                  .withNewResources()
                  .withRequests(Map.of("storage", new Quantity("1Gi")))
                  .endResources()
                  .endSpec()
                  .build())
          .create();
    }
  }

  private static void awaitReady(HttpClient http, String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("operator not ready within 3 min");
  }

  static String scrape(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Sum of every series of {@code name} (all label sets). */
  static double sum(String body, String name) {
    double s = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        s += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return s;
  }

  private static final Pattern BUCKET =
      Pattern.compile(
          "^operator_sdk_controllers_execution_reconcile_seconds_bucket\\{.*le=\"([^\"]+)\".*\\} (\\S+)$");

  /** Cumulative reconcile-duration buckets (upper bound, seconds → count), summed over series. */
  static Map<Double, Double> buckets(String body) {
    Map<Double, Double> out = new TreeMap<>();
    for (String line : body.split("\n")) {
      Matcher mt = BUCKET.matcher(line);
      if (mt.matches()) {
        double le =
            "+Inf".equals(mt.group(1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(mt.group(1));
        out.merge(le, Double.parseDouble(mt.group(2)), Double::sum);
      }
    }
    return out;
  }

  /** Quantile {@code q} of the observations between two scrapes, as PromQL's histogram_quantile. */
  static double histogramQuantile(Map<Double, Double> before, Map<Double, Double> after, double q) {
    TreeMap<Double, Double> delta = new TreeMap<>();
    for (var e : after.entrySet()) {
      delta.put(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0));
    }
    double total = delta.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double prevLe = 0;
    double prevCount = 0;
    for (var e : delta.entrySet()) {
      if (e.getValue() >= rank) {
        if (e.getKey().isInfinite()) {
          return prevLe;
        }
        double inBucket = e.getValue() - prevCount;
        return inBucket <= 0
            ? e.getKey()
            : prevLe + (e.getKey() - prevLe) * (rank - prevCount) / inBucket;
      }
      prevLe = e.getKey();
      prevCount = e.getValue();
    }
    return prevLe;
  }

  static double quantile(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** Used heap after {@code jcmd <pid> GC.run}, MB (from {@code GC.heap_info}). */
  static long heapAfterGc(long pid) throws Exception {
    run("jcmd", String.valueOf(pid), "GC.run");
    String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
    Matcher mt = Pattern.compile("used (\\d+)K").matcher(info);
    if (!mt.find()) {
      throw new IllegalStateException("no heap figure in: " + info);
    }
    return Long.parseLong(mt.group(1)) / 1024;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }
}
