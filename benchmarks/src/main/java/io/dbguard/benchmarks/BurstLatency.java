package io.dbguard.benchmarks;

import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where the time of "B DatabaseMigrations applied at once → backup Job" goes, as the benchmark's
 * client and watches see it, and the control plane's floor for B writes at once.
 *
 * <p>Per migration, wall-clock times (epoch microseconds, one clock: the benchmark and the operator
 * run on the same machine): the create call sent and returned, the status first seen by a watch
 * (the operator's write-ahead status write, which precedes the Job create), and the Job seen by a
 * watch. Written to a TSV file so that the operator's own log lines (which carry millisecond
 * timestamps and the migration's {@code namespace/name}) can be joined to them.
 */
final class BurstLatency {
  private BurstLatency() {}

  /** Wall clock in microseconds since the epoch. */
  static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  /** Per-migration timestamps of one burst (epoch µs; 0 when not seen). */
  record Times(long sent, long returned, long statusSeen, long jobSeen) {}

  /**
   * Applies {@code b} migrations at once in a new namespace {@code burst} (claims present, so each
   * goes straight to its backup Job); returns their timestamps by name, after writing them to
   * {@code tsv}.
   *
   * @throws IllegalStateException when a Job is not seen within 5 min
   */
  static Map<String, Times> burst(KubernetesClient admin, TestCluster cluster, int b, Path tsv)
      throws Exception {
    String ns = cluster.createNamespace("burst");
    OperatorScaleBenchmark.createClaims(admin, ns);
    Thread.sleep(2000);
    Map<String, Long> jobSeen = new ConcurrentHashMap<>();
    Map<String, Long> statusSeen = new ConcurrentHashMap<>();
    SharedIndexInformer<Job> jobs =
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .inform(
                onAddOrUpdate(
                    (Job j) -> j.getMetadata().getLabels().get("app.kubernetes.io/part-of"),
                    jobSeen));
    SharedIndexInformer<GenericKubernetesResource> migrations =
        admin
            .genericKubernetesResources(OperatorScaleBenchmark.DBMIG)
            .inNamespace(ns)
            .inform(
                onAddOrUpdate(
                    (GenericKubernetesResource r) ->
                        r.getAdditionalProperties().get("status") == null
                            ? null
                            : r.getMetadata().getName(),
                    statusSeen));
    Map<String, long[]> calls = new ConcurrentHashMap<>();
    try {
      createAtOnce(
          b,
          i -> OperatorScaleBenchmark.migration("b" + i, "burst" + i, true),
          r ->
              admin
                  .genericKubernetesResources(OperatorScaleBenchmark.DBMIG)
                  .inNamespace(ns)
                  .resource(r)
                  .create(),
          calls);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (jobSeen.size() < b && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } finally {
      jobs.stop();
      migrations.stop();
    }
    Map<String, Times> out = new java.util.TreeMap<>();
    StringBuilder lines =
        new StringBuilder("name\tsent_us\treturned_us\tstatus_seen_us\tjob_seen_us\n");
    for (var e : calls.entrySet()) {
      Long job = jobSeen.get(e.getKey());
      if (job == null) {
        throw new IllegalStateException("no Job for " + e.getKey() + " within 5 min");
      }
      Times t =
          new Times(e.getValue()[0], e.getValue()[1], statusSeen.getOrDefault(e.getKey(), 0L), job);
      out.put(e.getKey(), t);
      lines.append(
          String.join(
                  "\t",
                  ns + "/" + e.getKey(),
                  Long.toString(t.sent()),
                  Long.toString(t.returned()),
                  Long.toString(t.statusSeen()),
                  Long.toString(t.jobSeen()))
              + "\n");
    }
    Files.writeString(tsv, lines);
    return out;
  }

  /**
   * The floor: {@code b} ConfigMaps, then {@code b} Jobs, created at once from one client (one
   * thread each) in a new namespace {@code floor}; prints create call and create → seen by a watch,
   * p50/p99, for each. Deletes the Jobs and waits until they and their pods are gone (2 min at
   * most).
   */
  static void floor(KubernetesClient admin, TestCluster cluster, int b) throws Exception {
    String ns = cluster.createNamespace("floor");
    Map<String, Long> seen = new ConcurrentHashMap<>();
    SharedIndexInformer<ConfigMap> cms =
        admin
            .configMaps()
            .inNamespace(ns)
            .inform(onAddOrUpdate((ConfigMap c) -> c.getMetadata().getName(), seen));
    SharedIndexInformer<Job> jobs =
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .inform(onAddOrUpdate((Job j) -> j.getMetadata().getName(), seen));
    try {
      Thread.sleep(2000);
      Map<String, long[]> calls = new ConcurrentHashMap<>();
      createAtOnce(
          b,
          i ->
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("cm" + i)
                  .withNamespace(ns)
                  .endMetadata()
                  .addToData("k", "v")
                  .build(),
          r -> admin.resource(r).create(),
          calls);
      awaitSeen(seen, calls);
      report("floor: " + b + " ConfigMaps created at once", calls, seen);
      Thread.sleep(5000);
      calls.clear();
      createAtOnce(
          b,
          i ->
              new JobBuilder()
                  .withNewMetadata()
                  .withName("job" + i)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewSpec()
                  .withBackoffLimit(0)
                  .withNewTemplate()
                  .withNewSpec()
                  .withRestartPolicy("Never")
                  .addNewContainer()
                  .withName("c")
                  .withImage("floor:none")
                  .endContainer()
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build(),
          r -> admin.resource(r).create(),
          calls);
      awaitSeen(seen, calls);
      report("floor: " + b + " Jobs created at once", calls, seen);
      // the floor's Jobs and pods must not load the control plane during the burst that follows
      admin
          .batch()
          .v1()
          .jobs()
          .inNamespace(ns)
          .withPropagationPolicy(DeletionPropagation.FOREGROUND)
          .delete();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while ((!admin.pods().inNamespace(ns).list().getItems().isEmpty()
              || !admin.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
    } finally {
      cms.stop();
      jobs.stop();
    }
  }

  private static void awaitSeen(Map<String, Long> seen, Map<String, long[]> calls)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!seen.keySet().containsAll(calls.keySet()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static void report(String what, Map<String, long[]> calls, Map<String, Long> seen) {
    List<Double> call = new ArrayList<>();
    List<Double> watch = new ArrayList<>();
    for (var e : calls.entrySet()) {
      call.add((e.getValue()[1] - e.getValue()[0]) / 1e6);
      Long s = seen.get(e.getKey());
      if (s != null) {
        watch.add((s - e.getValue()[0]) / 1e6);
      }
    }
    System.out.printf(
        "%s: create call p50 %.3f s, p99 %.3f s; create sent -> seen by a watch p50 %.3f s,"
            + " p99 %.3f s (%d seen)%n",
        what, q(call, 0.5), q(call, 0.99), q(watch, 0.5), q(watch, 0.99), watch.size());
  }

  /** Quantile {@code p} of {@code values} (sorted in place); NaN when empty. */
  static double q(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(values);
    return OperatorScaleBenchmark.quantile(values, p);
  }

  /**
   * Creates {@code b} resources at once (one thread each, released together); {@code calls}
   * receives name → {sent, returned} in epoch µs.
   */
  private static <T extends HasMetadata> void createAtOnce(
      int b, Function<Integer, T> make, Consumer<T> create, Map<String, long[]> calls)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(b);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < b; i++) {
        T r = make.apply(i);
        all.add(
            pool.submit(
                () -> {
                  go.await();
                  long sent = nowMicros();
                  create.accept(r);
                  calls.put(r.getMetadata().getName(), new long[] {sent, nowMicros()});
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

  /** An event handler recording, per key, the first time an added or updated object has one. */
  private static <T> ResourceEventHandler<T> onAddOrUpdate(
      Function<T, String> key, Map<String, Long> first) {
    BiConsumer<T, Long> record =
        (o, t) -> {
          String k = key.apply(o);
          if (k != null) {
            first.putIfAbsent(k, t);
          }
        };
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        record.accept(o, nowMicros());
      }

      @Override
      public void onUpdate(T old, T o) {
        record.accept(o, nowMicros());
      }

      @Override
      public void onDelete(T o, boolean unknown) {}
    };
  }
}
