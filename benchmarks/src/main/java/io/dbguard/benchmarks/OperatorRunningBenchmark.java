package io.dbguard.benchmarks;

import static io.dbguard.benchmarks.OperatorScaleBenchmark.DBMIG;

import io.dbguard.testcluster.ImageMapping;
import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code R} DatabaseMigrations running through their steps at once, on the test control plane, with
 * the operator in its own JVM ({@code -Xmx512m}, JOSDK defaults, no leader election): {@code R}
 * SQLite migrations (migrate command {@code sh -c true}) applied at once in {@code M} namespaces
 * whose claims exist, so each runs backup → migrate → verify → Succeeded.
 *
 * <p>The dbguard tool image is mapped to {@code benchmarks/fake-dbguard-step.sh}, a <b>benchmark
 * fake</b> that takes no backup and checks nothing: it writes the termination message the operator
 * reads (exit code + StepResult JSON, docs/architecture.md "Jobs") and exits 0, so the run measures
 * the operator while thousands of Jobs complete, not a JVM per pod. The local node runs at most
 * {@code P} pods at once ({@code LocalNode#maxRunningPods}).
 *
 * <p>Prints: heap after GC when empty, the live heap (class histogram total) as the largest of the
 * samples taken every 60 s while migrations run and at the end, the largest 1-minute load seen,
 * apply → all terminal and create → Succeeded p50/p99 per migration, reconcile duration p50/p99
 * over the run (JOSDK's {@code operator_sdk_controllers_execution_reconcile_seconds} histogram),
 * pods run, the idle reconcile rate after the drain, Events by type and reason, the operator log's
 * WARN/ERROR and 409 lines, and every migration that did not reach Succeeded with its phase, reason
 * and message.
 *
 * <p>Usage: {@code benchmarks/operator-scale.sh running R [M=4] [P=12] [W=60]} (W: minutes to wait
 * for all to end before reporting what did).
 */
final class OperatorRunningBenchmark {
  private static final Set<String> TERMINAL =
      Set.of("Succeeded", "Failed", "RolledBack", "Blocked");

  private OperatorRunningBenchmark() {}

  /**
   * Runs the benchmark and prints its figures to stdout.
   *
   * @param operatorClasspath the operator's runtime classpath
   * @param r migrations applied at once (≥ 1)
   * @param m namespaces they are spread over (≥ 1)
   * @param pods the local node's cap of pods running at once (≥ 1)
   * @param waitMinutes how long to wait for all to end before reporting what ended
   * @throws IllegalStateException when the operator is not ready within 3 min
   */
  static void run(String operatorClasspath, int r, int m, int pods, int waitMinutes)
      throws Exception {
    Path fake = Path.of(System.getenv("DBGUARD_REPO_ROOT"), "benchmarks", "fake-dbguard-step.sh");
    if (!Files.isRegularFile(fake)) {
      throw new IllegalStateException("no benchmark fake at " + fake);
    }
    try (TestCluster cluster = TestCluster.start()) {
      cluster.node().maxRunningPods(pods);
      cluster.node().mapImage("ghcr.io/dbguard/dbguard*", ImageMapping.host());
      cluster.node().mapExecutable("dbguard", List.of("sh", fake.toString()));
      cluster.node().mapImage("shop*", ImageMapping.host());
      KubernetesClient admin = cluster.client();
      int port = OperatorScaleBenchmark.freePort();
      Path log = Path.of(System.getProperty("java.io.tmpdir"), "operator-running-operator.log");
      Process operator =
          OperatorScaleBenchmark.startOperator(operatorClasspath, cluster, port, log);
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      try {
        String metrics = "http://127.0.0.1:" + port + "/metrics";
        HttpClient http = HttpClient.newHttpClient();
        Thread.sleep(3000);
        System.out.printf(
            "operator log %s; local node maxRunningPods %d; heap after GC, no migrations: %d MB%n",
            log, pods, OperatorScaleBenchmark.heapAfterGc(operator.pid()));
        List<String> namespaces = namespacesWithClaims(admin, cluster, m);
        Tracker t = new Tracker();
        SharedIndexInformer<GenericKubernetesResource> migs =
            admin.genericKubernetesResources(DBMIG).inAnyNamespace().inform(t.migrations());
        SharedIndexInformer<Pod> podInformer = admin.pods().inAnyNamespace().inform(t.pods());
        Map<Double, Double> before =
            OperatorScaleBenchmark.buckets(OperatorScaleBenchmark.scrape(http, metrics));
        AtomicLong peakHeap = new AtomicLong();
        double[] peakLoad = {0};
        sampler.scheduleAtFixedRate(
            () -> {
              try {
                peakHeap.accumulateAndGet(liveHeap(operator.pid()), Math::max);
                double l =
                    Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                peakLoad[0] = Math.max(peakLoad[0], l);
                System.out.printf(
                    "  %d/%d terminal, %d pods ended, load %.2f, largest live heap %d MB%n",
                    t.terminal.size(), r, t.podsEnded.size(), l, peakHeap.get());
              } catch (Exception e) {
                System.out.println("  sample failed: " + e);
              }
            },
            60,
            60,
            TimeUnit.SECONDS);

        long t0 = System.nanoTime();
        applyAtOnce(admin, namespaces, r, t);
        System.out.printf("applied %d in %.1f s%n", r, (System.nanoTime() - t0) / 1e9);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(waitMinutes);
        while (t.terminal.size() < r && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        double drain = (System.nanoTime() - t0) / 1e9;
        sampler.shutdownNow();
        String last = OperatorScaleBenchmark.scrape(http, metrics);
        Map<Double, Double> after = OperatorScaleBenchmark.buckets(last);
        report(t, r, drain, peakLoad[0], peakHeap.get(), before, after);
        followIdleRate(http, metrics, r);
        events(admin, namespaces);
        operatorLog(log);
        notSucceeded(admin, t);
        Path scrapeFile =
            Path.of(System.getProperty("java.io.tmpdir"), "operator-running-metrics.txt");
        Files.writeString(scrapeFile, last);
        System.out.printf(
            "live heap, end: %d MB; /metrics at the drain in %s%n",
            liveHeap(operator.pid()), scrapeFile);
        migs.stop();
        podInformer.stop();
      } finally {
        sampler.shutdownNow();
        operator.destroy();
        operator.waitFor(15, TimeUnit.SECONDS);
        operator.destroyForcibly();
      }
    }
  }

  /** How long the reconcile rate is followed after the drain, in 10 s windows. */
  static final int FOLLOW_WINDOWS = 24;

  /**
   * Follows the reconcile rate ({@code reconciliations_started} per 10 s window) for {@link
   * #FOLLOW_WINDOWS} windows after the drain and prints each, their mean after the first minute,
   * and the rate the controller's maximum reconciliation interval (5 min) alone gives: {@code r /
   * 300} per second.
   */
  private static void followIdleRate(HttpClient http, String metrics, int r) throws Exception {
    String started = "operator_sdk_reconciliations_started_total";
    double prev = OperatorScaleBenchmark.sum(OperatorScaleBenchmark.scrape(http, metrics), started);
    double late = 0;
    StringBuilder series = new StringBuilder();
    for (int i = 1; i <= FOLLOW_WINDOWS; i++) {
      Thread.sleep(10_000);
      double now =
          OperatorScaleBenchmark.sum(OperatorScaleBenchmark.scrape(http, metrics), started);
      double rate = (now - prev) / 10.0;
      series.append(String.format(" %.1f", rate));
      if (i > 6) {
        late += now - prev;
      }
      prev = now;
    }
    System.out.printf(
        "reconcile rate after the drain, per 10 s window for %d s (/s):%s%n",
        FOLLOW_WINDOWS * 10, series);
    System.out.printf(
        "mean from 60 s to %d s after the drain: %.2f/s (maximum reconciliation interval alone:"
            + " %d / 300 s = %.2f/s)%n",
        FOLLOW_WINDOWS * 10, late / ((FOLLOW_WINDOWS - 6) * 10.0), r, r / 300.0);
  }

  /** Create → phase and terminal times per migration, and the pods seen ended. */
  private static final class Tracker {
    final Map<String, Long> created = new ConcurrentHashMap<>();
    final Map<String, Long> terminal = new ConcurrentHashMap<>();
    final Map<String, String> phase = new ConcurrentHashMap<>();
    final Set<String> podsEnded = ConcurrentHashMap.newKeySet();
    final Set<String> podsFailed = ConcurrentHashMap.newKeySet();

    ResourceEventHandler<GenericKubernetesResource> migrations() {
      return onAddOrUpdate(this::seen);
    }

    @SuppressWarnings("unchecked")
    private void seen(GenericKubernetesResource g) {
      Object status = g.getAdditionalProperties().get("status");
      if (!(status instanceof Map)) {
        return;
      }
      Object p = ((Map<String, Object>) status).get("phase");
      if (p == null) {
        return;
      }
      String key = g.getMetadata().getNamespace() + "/" + g.getMetadata().getName();
      phase.put(key, p.toString());
      if (TERMINAL.contains(p.toString())) {
        terminal.putIfAbsent(key, System.nanoTime());
      }
    }

    ResourceEventHandler<Pod> pods() {
      return onAddOrUpdate(this::seen);
    }

    /** A handler that passes every added or updated object to {@code seen}; deletes are ignored. */
    private static <T> ResourceEventHandler<T> onAddOrUpdate(Consumer<T> seen) {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(T t) {
          seen.accept(t);
        }

        @Override
        public void onUpdate(T old, T t) {
          seen.accept(t);
        }

        @Override
        public void onDelete(T t, boolean unknown) {}
      };
    }

    private void seen(Pod p) {
      String ph = p.getStatus() == null ? null : p.getStatus().getPhase();
      if ("Succeeded".equals(ph) || "Failed".equals(ph)) {
        podsEnded.add(p.getMetadata().getUid());
        if ("Failed".equals(ph)) {
          podsFailed.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
        }
      }
    }
  }

  private static List<String> namespacesWithClaims(
      KubernetesClient admin, TestCluster cluster, int m) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      String ns = cluster.createNamespace("running-" + i);
      OperatorScaleBenchmark.createClaims(admin, ns);
      out.add(ns);
    }
    Thread.sleep(2000);
    return out;
  }

  private static GenericKubernetesResource migration(String name, String db) {
    String yaml =
        """
        apiVersion: dbguard.io/v1alpha1
        kind: DatabaseMigration
        metadata: {name: %s}
        spec:
          database: {name: %s, engine: SQLite, volume: {claimName: data, path: %s.db}}
          migrate: {image: "shop:v2", command: [sh, -c, "true"], timeoutSeconds: 3600}
          backup: {storage: {claimName: backups}}
        """
            .formatted(name, db, db);
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  /** Creates {@code r} migrations from 16 threads released at once, round-robin over namespaces. */
  private static void applyAtOnce(KubernetesClient admin, List<String> namespaces, int r, Tracker t)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < r; i++) {
        String ns = namespaces.get(i % namespaces.size());
        String name = "r" + i;
        GenericKubernetesResource res = migration(name, "db" + i);
        all.add(
            pool.submit(
                () -> {
                  go.await();
                  t.created.put(ns + "/" + name, System.nanoTime());
                  admin.genericKubernetesResources(DBMIG).inNamespace(ns).resource(res).create();
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void report(
      Tracker t,
      int r,
      double drain,
      double peakLoad,
      long peakHeap,
      Map<Double, Double> before,
      Map<Double, Double> after) {
    List<Double> ok = new ArrayList<>();
    Map<String, Integer> phases = new TreeMap<>();
    for (var e : t.created.entrySet()) {
      String ph = t.phase.getOrDefault(e.getKey(), "(no status)");
      phases.merge(ph, 1, Integer::sum);
      Long end = t.terminal.get(e.getKey());
      if ("Succeeded".equals(ph) && end != null) {
        ok.add((end - e.getValue()) / 1e9);
      }
    }
    Collections.sort(ok);
    System.out.printf(
        "apply -> all %d terminal: %.1f s (%d of %d terminal); phases %s%n",
        r, drain, t.terminal.size(), r, phases);
    if (!ok.isEmpty()) {
      System.out.printf(
          "create -> Succeeded per migration: p50 %.1f s, p99 %.1f s, max %.1f s (%d)%n",
          OperatorScaleBenchmark.quantile(ok, 0.50),
          OperatorScaleBenchmark.quantile(ok, 0.99),
          ok.get(ok.size() - 1),
          ok.size());
    }
    System.out.printf(
        "pods ended: %d (%d Failed: %s)%n",
        t.podsEnded.size(), t.podsFailed.size(), t.podsFailed.stream().limit(10).toList());
    System.out.printf(
        "reconcile duration over the run: p50 %.3f s, p99 %.3f s (%d reconciles)%n",
        OperatorScaleBenchmark.histogramQuantile(before, after, 0.50),
        OperatorScaleBenchmark.histogramQuantile(before, after, 0.99),
        (long)
            (after.getOrDefault(Double.POSITIVE_INFINITY, 0.0)
                - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0)));
    System.out.printf(
        "peak 1-min load %.2f; largest live heap while running (sampled every 60 s): %d MB%n",
        peakLoad, peakHeap);
  }

  /**
   * Live heap, MB: the total of {@code jcmd <pid> GC.class_histogram} (which runs a full GC and
   * counts what survives, in one call; under load, {@code GC.run} then {@code GC.heap_info} also
   * counts what was allocated between the two calls).
   */
  static long liveHeap(long pid) throws Exception {
    Process p =
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    java.util.regex.Matcher mt =
        java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
    if (!mt.find()) {
      throw new IllegalStateException("no Total in the class histogram");
    }
    return Long.parseLong(mt.group(1)) / (1024 * 1024);
  }

  private static void events(KubernetesClient admin, List<String> namespaces) {
    Map<String, Integer> byReason = new TreeMap<>();
    int total = 0;
    for (String ns : namespaces) {
      for (var e : admin.v1().events().inNamespace(ns).list().getItems()) {
        total++;
        byReason.merge(e.getType() + "/" + e.getReason(), 1, Integer::sum);
      }
    }
    System.out.printf("Events in the namespaces: %d, by type/reason %s%n", total, byReason);
  }

  private static void operatorLog(Path log) throws Exception {
    List<String> lines = Files.readAllLines(log);
    long warn = lines.stream().filter(l -> l.contains(" WARN ")).count();
    long error = lines.stream().filter(l -> l.contains(" ERROR ")).count();
    long conflict = lines.stream().filter(l -> l.contains("409")).count();
    long traces = lines.stream().filter(l -> l.startsWith("\tat ")).count();
    System.out.printf(
        "operator log: %d lines, %d WARN, %d ERROR, %d mentioning 409, %d stack-trace lines%n",
        lines.size(), warn, error, conflict, traces);
  }

  @SuppressWarnings("unchecked")
  private static void notSucceeded(KubernetesClient admin, Tracker t) {
    int shown = 0;
    for (String key : t.created.keySet()) {
      if ("Succeeded".equals(t.phase.get(key)) || shown >= 20) {
        continue;
      }
      String[] nsName = key.split("/");
      GenericKubernetesResource g =
          admin.genericKubernetesResources(DBMIG).inNamespace(nsName[0]).withName(nsName[1]).get();
      Object status = g == null ? null : g.getAdditionalProperties().get("status");
      Map<String, Object> s = status instanceof Map ? (Map<String, Object>) status : Map.of();
      System.out.printf(
          "NOT SUCCEEDED %s: phase %s, reason %s, message %s%n",
          key, s.get("phase"), s.get("reason"), s.get("message"));
      shown++;
    }
  }
}
