package io.dbguard.demo;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.dbguard.testcluster.ImageMapping;
import io.dbguard.testcluster.LocalNode;
import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's Kubernetes: the embedded control plane of {@code test-support} ({@link TestCluster}:
 * etcd, kube-apiserver, kube-controller-manager and the local node that runs pods as processes),
 * the images mapped to this repository's packaged jars, and {@code helm install} of {@code
 * helm/dbguard}.
 *
 * <p>Images on the local node, as their Dockerfiles define them:
 *
 * <ul>
 *   <li>{@code ghcr.io/dbguard/operator:*} → {@code java -jar operator/target/dbguard-operator.jar}
 *       ({@code operator/Dockerfile}); the chart's Deployment runs it with the chart's
 *       ServiceAccount token, environment and leader election;
 *   <li>{@code ghcr.io/dbguard/dbguard:*} and the executable {@code dbguard} → {@code java -jar
 *       init-container/target/dbguard.jar} ({@code init-container/Dockerfile}): every step Job and
 *       the rollout gate;
 *   <li>{@code shop:*} → the host's shell in {@code examples/sqlite-demo} (the application image,
 *       whose working directory holds {@code seed.sql}).
 * </ul>
 */
final class DemoCluster implements AutoCloseable {
  /** Namespace and name of the Helm release. */
  static final String OPERATOR_NAMESPACE = "dbguard-system";

  static final String RELEASE = "dbguard";

  /** JVM flags of every pod JVM: fast start-up on 2 cores (the test rig's choice, too). */
  private static final List<String> POD_JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx256m");

  private final TestCluster cluster;
  private final Path root;

  private DemoCluster(TestCluster cluster, Path root) {
    this.cluster = cluster;
    this.root = root;
  }

  /** The packaged operator jar, {@code operator/target/dbguard-operator.jar}. */
  static Path operatorJar(Path root) {
    return root.resolve("operator/target/dbguard-operator.jar");
  }

  /** The packaged CLI jar, {@code init-container/target/dbguard.jar}. */
  static Path cliJar(Path root) {
    return root.resolve("init-container/target/dbguard.jar");
  }

  /**
   * Starts the control plane and maps the images; the caller closes it.
   *
   * @throws DemoFailure when a jar is missing
   * @throws io.dbguard.testcluster.TestClusterException when the control plane cannot start
   */
  static DemoCluster start(Path root) {
    for (Path jar : List.of(operatorJar(root), cliJar(root))) {
      if (!Files.isRegularFile(jar)) {
        throw new DemoFailure(
            jar
                + " is missing: build the jars first (./mvnw -B -ntp -pl operator-demo -am package"
                + " -DskipTests), or run scripts/operator-demo.sh, which does");
      }
    }
    TestCluster cluster = TestCluster.start();
    DemoCluster demo = new DemoCluster(cluster, root);
    demo.mapImages();
    return demo;
  }

  private void mapImages() {
    LocalNode node = cluster.node();
    List<String> dbguard = java(cliJar(root));
    node.mapImage("ghcr.io/dbguard/dbguard*", new ImageMapping(dbguard, List.of()));
    node.mapExecutable("dbguard", dbguard);
    node.mapImage(
        "ghcr.io/dbguard/operator*", new ImageMapping(java(operatorJar(root)), List.of()));
    node.mapImage(
        "shop*", ImageMapping.host().withWorkingDir(root.resolve("examples/sqlite-demo")));
  }

  private static List<String> java(Path jar) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(POD_JVM_FLAGS);
    argv.add("-jar");
    argv.add(jar.toAbsolutePath().toString());
    return argv;
  }

  TestCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return cluster.client();
  }

  /** Creates a namespace (idempotent). */
  void createNamespace(String name) {
    if (client().namespaces().withName(name).get() == null) {
      client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  /**
   * {@code helm install dbguard helm/dbguard -n dbguard-system --create-namespace --set
   * gate.enabled=true --set gate.namespaces[0]=<appNamespace> --set
   * gate.serviceAccounts[0]=<appServiceAccount>}: Helm itself (helm-java), against this apiserver.
   *
   * @return Helm's release (status, notes)
   */
  Release helmInstall(String appNamespace, String appServiceAccount) {
    try {
      return helm(appNamespace, appServiceAccount);
    } finally {
      restoreJvmSignalHandlers();
    }
  }

  private Release helm(String appNamespace, String appServiceAccount) {
    return new Helm(root.resolve("helm/dbguard"))
        .install()
        .withName(RELEASE)
        .withNamespace(OPERATOR_NAMESPACE)
        .createNamespace()
        .withKubeConfig(cluster.kubeconfigFile())
        .set("gate.enabled", "true")
        .set("gate.namespaces[0]", appNamespace)
        .set("gate.serviceAccounts[0]", appServiceAccount)
        .call();
  }

  /**
   * Gives SIGINT (Ctrl-C) and SIGTERM back to the JVM. Helm's Go runtime, loaded into this JVM by
   * helm-java, takes them over (its install action listens for them to cancel); the demo would then
   * ignore Ctrl-C and leave its processes running. The JVM's own handling is {@code exit(128 +
   * signal)}, which runs the shutdown hooks (the control plane's clean-up).
   */
  static void restoreJvmSignalHandlers() {
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> System.exit(130));
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> System.exit(143));
  }

  /**
   * Waits until the operator pod runs and holds the leader-election Lease (it reconciles from then
   * on).
   *
   * @return the operator pod's name
   * @throws DemoFailure after {@code timeout}, with the pod's log tail
   */
  String awaitOperatorLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String pod = null;
    while (System.nanoTime() < deadline) {
      pod = operatorPod();
      Lease lease =
          client().leases().inNamespace(OPERATOR_NAMESPACE).withName(RELEASE + "-leader").get();
      if (pod != null
          && lease != null
          && lease.getSpec() != null
          && lease.getSpec().getHolderIdentity() != null) {
        return pod;
      }
      sleep(500);
    }
    throw new DemoFailure(
        "the operator did not take its leader Lease "
            + RELEASE
            + "-leader within "
            + timeout.toSeconds()
            + " s; its log ends with:\n"
            + operatorLogTail(40));
  }

  /** Name of the running operator pod, or null. */
  String operatorPod() {
    for (Pod p :
        client()
            .pods()
            .inNamespace(OPERATOR_NAMESPACE)
            .withLabel("app.kubernetes.io/instance", RELEASE)
            .list()
            .getItems()) {
      if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase())) {
        return p.getMetadata().getName();
      }
    }
    return null;
  }

  /** The last {@code lines} lines the operator pod wrote, or a note that there is none. */
  String operatorLogTail(int lines) {
    String pod = operatorPod();
    if (pod == null) {
      return "(no running operator pod)";
    }
    // without logback's own start-up status lines ("|-INFO in ch.qos.logback…")
    String log =
        String.join(
            "\n",
            cluster
                .node()
                .logs(OPERATOR_NAMESPACE, pod, "operator")
                .lines()
                .filter(l -> !l.contains("|-"))
                .toList());
    return tail(log, lines);
  }

  static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailure("interrupted", e);
    }
  }

  /** Stops every process and deletes the run directory. */
  @Override
  public void close() {
    cluster.close();
  }
}
