package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.FileInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dbguard gate} against a real kube-apiserver, authenticated as a ServiceAccount bound to
 * the Role of {@code examples/k8s/gate-rbac.yaml} (get + watch on DatabaseMigrations only), as in a
 * pod. The gate runs in this JVM through {@link Main#commandLine()} with its kubeconfig in the
 * {@code kubeconfig} system property (read by the Kubernetes client like {@code KUBECONFIG}).
 */
@WithTestCluster
class GateIT {
  static final ResourceDefinitionContext DATABASE_MIGRATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();

  static TestCluster cluster;
  static KubernetesClient client;

  @TempDir Path tmp;

  @AfterEach
  void clearKubeconfig() {
    System.clearProperty("kubeconfig");
  }

  @Test
  void withoutATimeoutItWaitsUntilTheMigrationSucceedsThenOpens(@TestNamespace String ns)
      throws Exception {
    asGateServiceAccount(ns);
    createMigration(ns, "shop", Map.of("phase", "Migrating", "image", "shop:v2"));
    StringWriter out = new StringWriter();
    // --timeout 0 (the default) means wait forever.
    CompletableFuture<Integer> gate =
        CompletableFuture.supplyAsync(
            () -> gate(out, "--migration", "shop", "--image", "shop:v2", "--namespace", ns));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> out.toString().contains("waiting for image shop:v2 (phase Migrating)"));
    // Still waiting a moment later: it does not end on its own.
    Thread.sleep(1_000);
    assertThat(gate).as("gate output: %s", out).isNotDone();
    setStatus(
        ns,
        "shop",
        Map.of("phase", "Succeeded", "image", "shop:v2", "lastSucceededImage", "shop:v2"));
    assertThat(gate.get(60, TimeUnit.SECONDS)).as("gate output: %s", out).isZero();
    assertThat(out.toString()).contains("open: migration succeeded for image shop:v2");
  }

  @Test
  void decidesFromTheFirstReadAndWritesTheReasonToTheTerminationLog(@TestNamespace String ns)
      throws Exception {
    asGateServiceAccount(ns);
    createMigration(
        ns,
        "shop",
        Map.of(
            "phase", "RolledBack",
            "image", "shop:v2",
            "lastSucceededImage", "shop:v1",
            "reason", "MigrationFailed",
            "message", "restored backup b1"));
    Path log = tmp.resolve("termination-log");
    StringWriter out = new StringWriter();
    int code =
        gate(
            out,
            "--migration",
            "shop",
            "--image",
            "shop:v2",
            "--namespace",
            ns,
            "--termination-log",
            log.toString());
    assertThat(code).isEqualTo(50);
    assertThat(Files.readString(log))
        .contains("\"reason\":\"MigrationFailed\"")
        .contains("restored backup b1");
    // The image that last succeeded is let through at once.
    assertThat(gate(out, "--migration", "shop", "--image", "shop:v1", "--namespace", ns)).isZero();
  }

  @Test
  void aServiceAccountWithoutTheGatesRoleIsReportedForbidden(@TestNamespace String ns)
      throws Exception {
    cluster.ensureServiceAccount(ns, "nobody");
    Path kubeconfig = tmp.resolve("nobody.kubeconfig");
    Files.writeString(kubeconfig, cluster.kubeconfigFor(ns, "nobody"));
    System.setProperty("kubeconfig", kubeconfig.toString());
    StringWriter out = new StringWriter();
    assertThat(gate(out, "--migration", "shop", "--image", "shop:v2", "--namespace", ns))
        .isEqualTo(5);
    assertThat(out.toString()).contains("forbidden");
  }

  @Test
  void asAPodRunsItWithTheConnectionPreparedWhileParsingItDecidesAlike(@TestNamespace String ns)
      throws Exception {
    asGateServiceAccount(ns);
    createMigration(
        ns,
        "shop",
        Map.of(
            "phase", "RolledBack",
            "image", "shop:v2",
            "lastSucceededImage", "shop:v1",
            "reason", "MigrationFailed",
            "message", "restored backup b1"));
    Path log = tmp.resolve("termination-log");
    StringWriter out = new StringWriter();
    assertThat(
            podGate(
                out,
                "--migration",
                "shop",
                "--image",
                "shop:v2",
                "--namespace",
                ns,
                "--termination-log",
                log.toString()))
        .as("gate output: %s", out)
        .isEqualTo(50);
    assertThat(Files.readString(log))
        .contains("\"reason\":\"MigrationFailed\"")
        .contains("restored backup b1");
    assertThat(podGate(out, "--migration", "shop", "--image", "shop:v1", "--namespace", ns))
        .as("gate output: %s", out)
        .isZero();
    assertThat(
            podGate(
                out,
                "--migration",
                "nothing",
                "--image",
                "shop:v1",
                "--namespace",
                ns,
                "--timeout",
                "2"))
        .as("gate output: %s", out)
        .isEqualTo(51);

    cluster.ensureServiceAccount(ns, "nobody");
    Path kubeconfig = tmp.resolve("nobody.kubeconfig");
    Files.writeString(kubeconfig, cluster.kubeconfigFor(ns, "nobody"));
    System.setProperty("kubeconfig", kubeconfig.toString());
    StringWriter forbidden = new StringWriter();
    assertThat(podGate(forbidden, "--migration", "shop", "--image", "shop:v1", "--namespace", ns))
        .isEqualTo(5);
    assertThat(forbidden.toString()).contains("forbidden");
  }

  /** The gate as {@code Main.main} runs it in a pod: {@link Main#gate}, with its prefetch. */
  private static int podGate(StringWriter out, String... args) {
    CommandLine cl = Main.gateCommandLine(GatePrefetch.start());
    PrintWriter w = new PrintWriter(out, true);
    cl.setOut(w);
    cl.setErr(w);
    return cl.execute(args);
  }

  private void asGateServiceAccount(String ns) throws Exception {
    Path file = TestCluster.repoRoot().resolve("examples/k8s/gate-rbac.yaml");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      for (HasMetadata o : client.load(in).items()) {
        o.getMetadata().setNamespace(ns);
        client.resource(o).create();
      }
    }
    Path kubeconfig = tmp.resolve("shop.kubeconfig");
    Files.writeString(kubeconfig, cluster.kubeconfigFor(ns, "shop"));
    System.setProperty("kubeconfig", kubeconfig.toString());
  }

  private static int gate(StringWriter out, String... args) {
    CommandLine cl = Main.commandLine();
    PrintWriter w = new PrintWriter(out, true);
    cl.setOut(w);
    cl.setErr(w);
    String[] all = new String[args.length + 1];
    all[0] = "gate";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  private static void createMigration(String ns, String name, Map<String, Object> status) {
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
                        Map.of("image", "shop:v2", "command", List.of("true")),
                        "backup",
                        Map.of("storage", Map.of("claimName", "backups")))))
            .build();
    client.genericKubernetesResources(DATABASE_MIGRATIONS).inNamespace(ns).resource(r).create();
    setStatus(ns, name, status);
  }

  private static void setStatus(String ns, String name, Map<String, Object> status) {
    var res = client.genericKubernetesResources(DATABASE_MIGRATIONS).inNamespace(ns);
    GenericKubernetesResource cur = res.withName(name).get();
    cur.setAdditionalProperty("status", status);
    res.resource(cur).updateStatus();
  }
}
