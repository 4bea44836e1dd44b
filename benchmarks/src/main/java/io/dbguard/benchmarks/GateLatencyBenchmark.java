package io.dbguard.benchmarks;

import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout gate's latency: process start → exit for {@code dbguard gate} on a DatabaseMigration
 * that already succeeded for the pod's image (the common case: every pod start of a protected
 * workload), on the test control plane (kube-apiserver + etcd from {@code test-support}), with the
 * gate authenticated as a ServiceAccount that has only get/watch on DatabaseMigrations, as in a
 * pod.
 *
 * <p>Floors, measured in the same run: {@code java -jar dbguard.jar --version} (JVM start and
 * dbguard's command line, no request); the JVM alone ({@code java -version}); and {@link
 * TlsGetFloor}, the least any JVM gate must do (start, trust the cluster CA, one verified TLS GET
 * of the migration with the ServiceAccount's token), with the gate's flags and an archive trained
 * on it. Variants, each gate with {@code --termination-log} as the documented init container: the
 * jar as the image's wrapper ({@code init-container/dbguard-wrapper.sh}) runs the gate (the AppCDS
 * archive {@code dbguard-cds.sh} makes, {@code -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1
 * -XX:+UseSerialGC -XX:-UsePerfData}); the same jar without the archive; and, when given, a
 * "before" jars (e.g. of the previous commit, each with its own archive) run as the image runs it;
 * and, compared, the archive with the client compiler alone (the wrapper's flags before it added
 * one compiler thread, the serial collector and no perf data). Rounds alternate between variants.
 * Also measured: a status update to "succeeded" while the gate waits → gate exit (the watch path).
 *
 * <p>Usage: {@code benchmarks/gate-latency.sh [rounds=20] [before.jar ...]}. Prints p50/p90/p99 in
 * milliseconds.
 */
public final class GateLatencyBenchmark {
  private static final ResourceDefinitionContext DBMIG =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();

  private GateLatencyBenchmark() {}

  /**
   * @param args jar path, its CDS archive path (or "-" for none), the "before" jar paths,
   *     comma-separated (or "-"; each one's archive is the same path with {@code .jsa} for {@code
   *     .jar}), rounds
   */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path cds = "-".equals(args[1]) ? null : Path.of(args[1]);
    List<Path> before = new ArrayList<>();
    if (!"-".equals(args[2])) {
      for (String b : args[2].split(",")) {
        before.add(Path.of(b));
      }
    }
    int rounds = Integer.parseInt(args[3]);
    try (TestCluster cluster = TestCluster.start()) {
      KubernetesClient admin = cluster.client();
      String ns = cluster.createNamespace("gate-bench");
      admin
          .rbac()
          .roles()
          .inNamespace(ns)
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName("gate")
                  .endMetadata()
                  .withRules(
                      new PolicyRuleBuilder()
                          .withApiGroups("dbguard.io")
                          .withResources("databasemigrations")
                          .withVerbs("get", "watch")
                          .build())
                  .build())
          .create();
      cluster.ensureServiceAccount(ns, "app");
      admin
          .rbac()
          .roleBindings()
          .inNamespace(ns)
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("gate")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", "gate")
                  .withSubjects(
                      new SubjectBuilder()
                          .withKind("ServiceAccount")
                          .withName("app")
                          .withNamespace(ns)
                          .build())
                  .build())
          .create();
      Path kubeconfig = Files.createTempFile("gate-bench", ".kubeconfig");
      Files.writeString(kubeconfig, cluster.kubeconfigFor(ns, "app"));
      createMigration(
          admin, ns, "done", Map.of("phase", "Succeeded", "lastSucceededImage", "app:v1"));

      Path termination = Files.createTempFile("gate-bench", ".termination-log");
      List<String> floor = List.of("java", "-jar", jar.toString(), "--version");
      List<String> gateArgs =
          List.of(
              "gate",
              "--migration",
              "done",
              "--image",
              "app:v1",
              "--namespace",
              ns,
              "--termination-log",
              termination.toString());
      Map<String, List<String>> variants = new LinkedHashMap<>();
      variants.put("floor: java -jar dbguard.jar --version", floor);
      List<String> image =
          List.of(
              "-Xshare:auto",
              "-XX:TieredStopAtLevel=1",
              "-XX:CICompilerCount=1",
              "-XX:+UseSerialGC",
              "-XX:-UsePerfData");
      variants.put(
          "floor: JVM alone (java -version)",
          List.of("java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-version"));
      variants.put("floor: JVM + one TLS GET (TlsGetFloor)", tlsGetFloor(cluster, ns, image));
      for (Path b : before) {
        Path beforeCds = b.resolveSibling(b.getFileName().toString().replace(".jar", ".jsa"));
        variants.put(
            "gate, " + b.getFileName() + " as the image runs it",
            gate(b, flags("-XX:SharedArchiveFile=" + beforeCds, image), gateArgs));
      }
      if (cds != null) {
        // as the image's wrapper (init-container/dbguard-wrapper.sh) runs it
        variants.put(
            "gate, now: as the image runs it",
            gate(jar, flags("-XX:SharedArchiveFile=" + cds, image), gateArgs));
      }
      variants.put("gate, now: jar as built, no archive", gate(jar, List.of(), gateArgs));
      if (cds != null) {
        // compared: the wrapper's flags before the gate got one compiler thread, the serial
        // collector and no perf-data file (the client compiler and the archive only)
        variants.put(
            "gate, now: earlier wrapper flags (compared)",
            gate(
                jar,
                flags(
                    "-XX:SharedArchiveFile=" + cds,
                    List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1")),
                gateArgs));
      }
      Map<String, List<Long>> times = new LinkedHashMap<>();
      for (int i = 0; i < 2; i++) { // warm the page cache
        for (List<String> cmd : variants.values()) {
          run(cmd, kubeconfig);
        }
      }
      for (int i = 0; i < rounds; i++) {
        for (Map.Entry<String, List<String>> v : variants.entrySet()) {
          times
              .computeIfAbsent(v.getKey(), k -> new ArrayList<>())
              .add(run(v.getValue(), kubeconfig));
        }
      }
      // The watch path: the gate waits; the migration then succeeds; time from the status write
      // to the gate's exit.
      List<Long> tWatch = new ArrayList<>();
      for (int i = 0; i < Math.min(rounds, 10); i++) {
        String name = "wait-" + i;
        createMigration(admin, ns, name, Map.of("phase", "Migrating", "image", "app:v2"));
        List<String> g =
            new ArrayList<>(
                List.of(
                    "java",
                    "-jar",
                    jar.toString(),
                    "gate",
                    "--migration",
                    name,
                    "--image",
                    "app:v2",
                    "--namespace",
                    ns));
        ProcessBuilder pb = new ProcessBuilder(g).redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        Path out = Files.createTempFile("gate", ".out");
        Process p = pb.redirectOutput(out.toFile()).start();
        while (!Files.readString(out).contains("waiting for image")) {
          Thread.sleep(20);
        }
        Thread.sleep(500);
        long t0 = System.nanoTime();
        setStatus(
            admin,
            ns,
            name,
            Map.of("phase", "Succeeded", "image", "app:v2", "lastSucceededImage", "app:v2"));
        int code = p.waitFor();
        tWatch.add((System.nanoTime() - t0) / 1_000_000);
        if (code != 0) {
          throw new IllegalStateException("gate exited " + code + ": " + Files.readString(out));
        }
        Files.delete(out);
      }
      times.forEach(GateLatencyBenchmark::report);
      report("status update -> gate exit (watch)", tWatch);
      Files.delete(kubeconfig);
      Files.delete(termination);
    }
  }

  private static void createMigration(
      KubernetesClient admin, String ns, String name, Map<String, Object> status) {
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("dbguard.io/v1alpha1")
            .withKind("DatabaseMigration")
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of(
                        "database",
                        Map.of(
                            "name", "shop",
                            "engine", "PostgreSQL",
                            "urlSecretRef", Map.of("name", "shop-db")),
                        "migrate",
                        Map.of("image", "app:v1", "command", List.of("true")),
                        "backup",
                        Map.of("storage", Map.of("claimName", "backups")))))
            .build();
    admin.genericKubernetesResources(DBMIG).inNamespace(ns).resource(r).create();
    setStatus(admin, ns, name, status);
  }

  private static void setStatus(
      KubernetesClient admin, String ns, String name, Map<String, Object> status) {
    GenericKubernetesResource cur =
        admin.genericKubernetesResources(DBMIG).inNamespace(ns).withName(name).get();
    cur.setAdditionalProperty("status", status);
    admin.genericKubernetesResources(DBMIG).inNamespace(ns).resource(cur).updateStatus();
  }

  /**
   * The command of {@link TlsGetFloor} for the Succeeded migration "done", with the gate's JVM
   * flags and an AppCDS archive trained here on one run of it against the same server.
   */
  private static List<String> tlsGetFloor(TestCluster cluster, String ns, List<String> image)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tls-floor");
    Path token = dir.resolve("token");
    Files.writeString(token, cluster.serviceAccountToken(ns, "app", java.time.Duration.ofHours(1)));
    Path ca = dir.resolve("ca.crt");
    String caData = cluster.adminConfig().getCaCertData();
    if (caData != null) {
      Files.write(ca, java.util.Base64.getDecoder().decode(caData));
    } else {
      Files.copy(Path.of(cluster.adminConfig().getCaCertFile()), ca);
    }
    String master = cluster.adminConfig().getMasterUrl();
    String url =
        (master.endsWith("/") ? master : master + "/")
            + "apis/dbguard.io/v1alpha1/namespaces/"
            + ns
            + "/databasemigrations/done";
    // AppCDS archives classes from jars only: the one class, in a jar of its own
    Path jar = dir.resolve("tls-get-floor.jar");
    String entry = TlsGetFloor.class.getName().replace('.', '/') + ".class";
    try (java.util.jar.JarOutputStream out =
            new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
        java.io.InputStream in = TlsGetFloor.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new java.util.jar.JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    String classes = jar.toString();
    List<String> args =
        List.of("-cp", classes, TlsGetFloor.class.getName(), url, token.toString(), ca.toString());
    Path jsa = dir.resolve("floor.jsa");
    List<String> train = new ArrayList<>(List.of("java", "-XX:ArchiveClassesAtExit=" + jsa));
    train.addAll(args);
    Path log = dir.resolve("training.log");
    Process p =
        new ProcessBuilder(train).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("TlsGetFloor failed: " + Files.readString(log));
    }
    List<String> cmd = new ArrayList<>(List.of("java", "-XX:SharedArchiveFile=" + jsa));
    cmd.addAll(image);
    cmd.addAll(args);
    return cmd;
  }

  private static List<String> flags(String first, List<String> more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(more);
    return all;
  }

  /** {@code java FLAGS -jar JAR ARGS}. */
  private static List<String> gate(Path jar, List<String> flags, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(flags);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    return cmd;
  }

  private static long run(List<String> cmd, Path kubeconfig)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    int code = pb.start().waitFor();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + code);
    }
    return ms;
  }

  private static void report(String what, List<Long> ms) {
    List<Long> s = new ArrayList<>(ms);
    Collections.sort(s);
    System.out.printf(
        "%-48s n=%d  p50 %5d ms  p90 %5d ms  p99 %5d ms  min %5d ms%n",
        what, s.size(), pct(s, 50), pct(s, 90), pct(s, 99), s.get(0));
  }

  private static long pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
