package io.dbguard.testcluster;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane for tests: etcd + kube-apiserver (started by {@code
 * io.fabric8:kube-api-test}), kube-controller-manager (a child process), the CRDs of this
 * repository and of {@code snapshot.storage.k8s.io/v1}, a {@link LocalNode} that plays scheduler +
 * kubelet + local volume provisioner, and a {@link SnapshotController} that plays the CSI
 * snapshotter.
 *
 * <p>Normally obtained through {@link WithTestCluster} (one shared instance per JVM, see {@link
 * #shared()}); {@link #start()} gives a private one. Every process it starts is supervised by
 * {@link ProcessSupervisor}: {@link #close()} and a JVM shutdown hook stop them, and they also die
 * within ~1 s when the JVM is killed with SIGKILL.
 *
 * <p>kube-controller-manager runs the controllers {@value #CONTROLLERS} with {@code
 * --feature-gates=TTLAfterFinished=true} (alpha in 1.20, so {@code ttlSecondsAfterFinished} is kept
 * and honoured). The ServiceAccount admission plugin is disabled (kube-api-test's default): pods
 * get no token volume; instead the local node gives each pod process a kubeconfig with a real
 * ServiceAccount token of the pod's {@code serviceAccountName} (see {@link LocalNode}).
 *
 * <p>The apiserver authorizes with RBAC. {@link #client()} is {@code system:masters}; {@link
 * #clientAs(String, String)} authenticates as a ServiceAccount with a TokenRequest token.
 */
public final class TestCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);

  /** Controllers kube-controller-manager runs. */
  public static final String CONTROLLERS =
      "job,garbagecollector,namespace,serviceaccount,deployment,replicaset,ttl-after-finished,"
          + "resourcequota";

  /** Label put on namespaces created by {@link #createNamespace(String)}. */
  public static final String TEST_NAMESPACE_LABEL = "dbguard.io/test-namespace";

  private static TestCluster shared;
  private static TestClusterException sharedFailure;

  private final K8sBinaries binaries;
  private final ProcessSupervisor supervisor;
  private final Path runDir;
  private final KubeAPIServer apiServer;
  private final KubernetesClient client;
  private final Config adminConfig;
  private final Path kubeconfigFile;
  private final String kubeconfigYaml;
  private final Path controllerManagerLog;
  private final Process controllerManager;
  private final LocalNode node;
  private final SnapshotController snapshots;
  private final Duration startupTime;
  private volatile String currentNamespace;
  private volatile boolean closed;

  private TestCluster() {
    long t0 = System.nanoTime();
    this.binaries = K8sBinaries.resolve();
    this.runDir = ProcessSupervisor.newRunDir();
    this.supervisor = new ProcessSupervisor(runDir);
    Thread hook = new Thread(this::close, "dbguard-testcluster-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    KubeAPIServer api = null;
    KubernetesClient c = null;
    LocalNode n = null;
    SnapshotController s = null;
    Process kcm = null;
    try {
      // kube-api-test runs whatever sits in <dir>/k8s/<version>-linux-amd64: give it launchers
      // that run the real binaries under the watchdog.
      Path layout = runDir.resolve("k8s").resolve(binaries.version() + "-linux-amd64");
      Files.createDirectories(layout);
      supervisor.writeSupervisedLauncher(layout.resolve("etcd"), binaries.etcd());
      supervisor.writeSupervisedLauncher(layout.resolve("kube-apiserver"), binaries.apiServer());
      Files.createSymbolicLink(layout.resolve("kubectl"), binaries.kubectl().toAbsolutePath());
      // While etcd and kube-apiserver start (seconds of waiting), parse the CRDs and warm up the
      // client classes (Jackson, Vert.x) on another thread.
      CompletableFuture<List<CustomResourceDefinition>> crdsReady =
          CompletableFuture.supplyAsync(TestCluster::loadAllCrds, TestCluster::runDaemon);
      KubeAPIServerConfig config =
          KubeAPIServerConfigBuilder.anAPIServerConfig()
              .withTestDir(runDir.toString())
              .withOfflineMode(true)
              .withApiServerVersion(binaries.version())
              .withUpdateKubeConfig(false)
              .withApiServerFlag("--feature-gates", "TTLAfterFinished=true")
              .build();
      api = new KubeAPIServer(config);
      api.start();
      long tApi = System.nanoTime();
      String yaml = api.getKubeConfigYaml();
      this.kubeconfigYaml = yaml;
      this.kubeconfigFile = runDir.resolve("admin.kubeconfig");
      Files.writeString(kubeconfigFile, yaml);
      this.adminConfig = Config.fromKubeconfig(yaml);
      adminConfig.setRequestTimeout(30_000);
      c = new KubernetesClientBuilder().withConfig(adminConfig).build();

      applyCrds(c, crdsReady.join());
      long tCrd = System.nanoTime();

      // CRDs first: the garbage collector discovers resource types when it starts (and then only
      // every 30 s), so owners of a CRD kind are tracked from the first test on.
      this.controllerManagerLog = runDir.resolve("kube-controller-manager.log");
      kcm =
          supervisor.start(
              List.of(
                  binaries.controllerManager().toAbsolutePath().toString(),
                  "--kubeconfig=" + kubeconfigFile,
                  "--controllers=" + CONTROLLERS,
                  "--leader-elect=false",
                  "--port=0",
                  "--secure-port=0",
                  "--feature-gates=TTLAfterFinished=true",
                  "--kube-api-qps=200",
                  "--kube-api-burst=400"),
              null,
              runDir,
              controllerManagerLog);
      long tKcm = System.nanoTime();

      n = new LocalNode(c, runDir.resolve("node"), supervisor, this);
      s = new SnapshotController(c, n, runDir.resolve("snapshots"));
      CompletableFuture.allOf(n.start(), s.start()).get(120, TimeUnit.SECONDS);
      long tNode = System.nanoTime();
      waitForControllerManager(kcm);
      this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
      LOG.info(
          "test cluster up in {} ms (apiserver {} ms, CRDs {} ms, node {} ms, controller-manager"
              + " {} ms) at {}"
              + " with Kubernetes {} ({} binaries), run dir {}",
          startupTime.toMillis(),
          (tApi - t0) / 1_000_000,
          (tCrd - tApi) / 1_000_000,
          (tNode - tKcm) / 1_000_000,
          (System.nanoTime() - tNode) / 1_000_000,
          adminConfig.getMasterUrl(),
          binaries.version(),
          binaries.offline() ? "offline" : "downloaded",
          runDir);
    } catch (IOException | ExecutionException | TimeoutException e) {
      cleanupAfterFailedStart(api, c, n, s);
      throw new TestClusterException("cannot start the test cluster: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cleanupAfterFailedStart(api, c, n, s);
      throw new TestClusterException("interrupted while starting the test cluster", e);
    } catch (RuntimeException e) {
      cleanupAfterFailedStart(api, c, n, s);
      if (e instanceof TestClusterException) {
        throw e;
      }
      throw new TestClusterException(
          "cannot start the test cluster ("
              + e
              + "); binaries from "
              + binaries.directory()
              + ", run dir "
              + runDir
              + ". If binaries are missing or broken, run scripts/k8s-binaries.sh.",
          e);
    }
    this.apiServer = api;
    this.client = c;
    this.controllerManager = kcm;
    this.node = n;
    this.snapshots = s;
  }

  private void cleanupAfterFailedStart(
      KubeAPIServer api, KubernetesClient c, LocalNode n, SnapshotController s) {
    try {
      if (s != null) {
        s.stop();
      }
      if (n != null) {
        n.stop();
      }
      if (c != null) {
        c.close();
      }
      if (api != null) {
        api.stop();
      }
    } catch (RuntimeException ignored) {
      // keep the original error
    }
    supervisor.killAll();
  }

  /**
   * The control plane shared by all tests of this JVM, started on first use (≈ 5–10 s on 2 cores)
   * and stopped by a JVM shutdown hook.
   *
   * @throws TestClusterException when it cannot start (missing binaries: run {@code
   *     scripts/k8s-binaries.sh})
   */
  public static synchronized TestCluster shared() {
    if (sharedFailure != null) {
      // Do not pay another 20-60 s start for every test class after a failed start.
      throw new TestClusterException(
          "the shared test cluster failed to start earlier in this JVM: "
              + sharedFailure.getMessage(),
          sharedFailure);
    }
    if (shared == null || shared.closed) {
      try {
        shared = new TestCluster();
      } catch (TestClusterException e) {
        sharedFailure = e;
        throw e;
      }
    }
    return shared;
  }

  /**
   * Starts a private control plane; the caller closes it.
   *
   * @throws TestClusterException when it cannot start
   */
  public static TestCluster start() {
    return new TestCluster();
  }

  /** An admin ({@code system:masters}) client; owned by the cluster, do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /** The admin client's configuration (a copy may be modified freely). */
  public Config adminConfig() {
    return adminConfig;
  }

  /** Admin kubeconfig as YAML (client certificate files live in the run directory). */
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** Admin kubeconfig file, e.g. for {@code kubectl --kubeconfig}. */
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  /** {@code https://127.0.0.1:<port>/}. */
  public String apiServerUrl() {
    return adminConfig.getMasterUrl();
  }

  /** The binaries in use. */
  public K8sBinaries binaries() {
    return binaries;
  }

  /** {@code java.io.tmpdir/dbguard-testcluster-<pid>-*}: certificates, logs, node volumes. */
  public Path runDir() {
    return runDir;
  }

  /** kube-controller-manager's stdout/stderr. */
  public Path controllerManagerLog() {
    return controllerManagerLog;
  }

  /** The local node (scheduler + kubelet + volume provisioner stand-in). */
  public LocalNode node() {
    return node;
  }

  /** The snapshot-controller stand-in. */
  public SnapshotController snapshots() {
    return snapshots;
  }

  /** Wall time {@link #start()} took. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * The namespace of the running test (created by {@link WithTestCluster} before each test). With
   * JUnit's parallel execution use a {@link TestNamespace} parameter instead: this is one value per
   * cluster.
   *
   * @throws IllegalStateException outside a test method
   */
  public String namespace() {
    String ns = currentNamespace;
    if (ns == null) {
      throw new IllegalStateException("no test is running: namespace() is per test method");
    }
    return ns;
  }

  void setCurrentNamespace(String namespace) {
    this.currentNamespace = namespace;
  }

  /**
   * Creates a namespace {@code t-<hint>-<5 random hex>} (lower-cased, at most 63 characters)
   * labelled {@value #TEST_NAMESPACE_LABEL}{@code =true} and returns its name.
   */
  public String createNamespace(String hint) {
    String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    base = base.replaceAll("^-+|-+$", "");
    if (base.length() > 50) {
      base = base.substring(0, 50).replaceAll("-+$", "");
    }
    String name =
        "t-"
            + (base.isEmpty() ? "" : base + "-")
            + String.format("%05x", ThreadLocalRandom.current().nextInt(0x100000));
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(TEST_NAMESPACE_LABEL, "true")
                .endMetadata()
                .build())
        .create();
    return name;
  }

  /** Deletes a namespace (the namespace controller removes its content asynchronously). */
  public void deleteNamespace(String name) {
    client.namespaces().withName(name).delete();
  }

  /**
   * Creates the ServiceAccount if it does not exist (idempotent).
   *
   * @param namespace existing namespace
   * @param serviceAccount name
   */
  public void ensureServiceAccount(String namespace, String serviceAccount) {
    if (client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get() == null) {
      try {
        client
            .serviceAccounts()
            .inNamespace(namespace)
            .resource(
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName(serviceAccount)
                    .endMetadata()
                    .build())
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  /**
   * A bearer token for a ServiceAccount from the TokenRequest API ({@code
   * serviceaccounts/<name>/token}); the ServiceAccount must exist.
   *
   * @param lifetime at least 10 minutes (the apiserver's minimum)
   * @return a signed JWT accepted by this apiserver
   * @throws KubernetesClientException when the ServiceAccount does not exist
   */
  public String serviceAccountToken(String namespace, String serviceAccount, Duration lifetime) {
    return client
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(Math.max(600L, lifetime.toSeconds()))
                .endSpec()
                .build())
        .getStatus()
        .getToken();
  }

  /**
   * A client that authenticates as {@code system:serviceaccount:<namespace>:<serviceAccount>} with
   * a real token (TokenRequest API), so RBAC is evaluated exactly as for a pod running as that
   * ServiceAccount. The ServiceAccount is created when missing. The caller closes the client.
   *
   * @param namespace the ServiceAccount's namespace, also the client's default namespace
   * @param serviceAccount the ServiceAccount's name
   */
  public KubernetesClient clientAs(String namespace, String serviceAccount) {
    ensureServiceAccount(namespace, serviceAccount);
    String token = serviceAccountToken(namespace, serviceAccount, Duration.ofHours(1));
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(adminConfig.getMasterUrl())
            .withCaCertFile(adminConfig.getCaCertFile())
            .withCaCertData(adminConfig.getCaCertData())
            .withOauthToken(token)
            .withNamespace(namespace)
            .withRequestTimeout(30_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A kubeconfig (YAML) that authenticates as the ServiceAccount with a fresh 1-hour token; the
   * ServiceAccount must exist. The local node gives one to every pod process ({@code KUBECONFIG}).
   */
  public String kubeconfigFor(String namespace, String serviceAccount) {
    String token = serviceAccountToken(namespace, serviceAccount, Duration.ofHours(1));
    String ca;
    try {
      ca =
          adminConfig.getCaCertData() != null
              ? adminConfig.getCaCertData()
              : Base64.getEncoder()
                  .encodeToString(Files.readAllBytes(Path.of(adminConfig.getCaCertFile())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: test\n"
        + "  cluster:\n"
        + "    server: "
        + adminConfig.getMasterUrl()
        + "\n"
        + "    certificate-authority-data: "
        + ca
        + "\n"
        + "users:\n"
        + "- name: "
        + serviceAccount
        + "\n"
        + "  user:\n"
        + "    token: "
        + token
        + "\n"
        + "contexts:\n"
        + "- name: test\n"
        + "  context:\n"
        + "    cluster: test\n"
        + "    user: "
        + serviceAccount
        + "\n"
        + "    namespace: "
        + namespace
        + "\n"
        + "current-context: test\n";
  }

  /**
   * Installs (server-side apply, forced) every CRD in {@code path} (a {@code .yaml}/{@code .yml}
   * file or a directory of them; other kinds in the files are ignored) and waits until each is
   * {@code Established}. Note: the garbage collector notices CRDs installed after the cluster
   * started only after up to 30 s.
   *
   * @return the CRDs as applied
   */
  public List<CustomResourceDefinition> installCrds(Path path) {
    List<CustomResourceDefinition> crds = readCrds(client, path);
    applyCrds(client, crds);
    return crds;
  }

  private static void runDaemon(Runnable r) {
    Thread t = new Thread(r, "dbguard-testcluster-warmup");
    t.setDaemon(true);
    t.start();
  }

  /** Snapshot CRDs + repository CRDs, parsed offline (also warms up the client classes). */
  private static List<CustomResourceDefinition> loadAllCrds() {
    Config offline = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    try (KubernetesClient parser = new KubernetesClientBuilder().withConfig(offline).build()) {
      List<CustomResourceDefinition> crds = new ArrayList<>(SnapshotCrds.all());
      crds.addAll(repositoryCrds(parser));
      parser.getKubernetesSerialization().asJson(crds.get(0));
      return crds;
    }
  }

  private static List<CustomResourceDefinition> repositoryCrds(KubernetesClient c) {
    Path root = repoRoot();
    if (root == null) {
      LOG.info("repository root not found (DBGUARD_REPO_ROOT unset): no repository CRDs");
      return List.of();
    }
    Path crds = root.resolve("crds");
    if (!Files.isDirectory(crds)) {
      return List.of();
    }
    return readCrds(c, crds);
  }

  /**
   * The repository root: {@code $DBGUARD_REPO_ROOT} (set by the parent pom for tests), else the
   * nearest ancestor of the working directory holding {@code mvnw}; null when neither exists.
   */
  public static Path repoRoot() {
    String env = System.getenv("DBGUARD_REPO_ROOT");
    if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
      return Path.of(env).toAbsolutePath();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    return null;
  }

  private static List<CustomResourceDefinition> readCrds(KubernetesClient c, Path path) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      files.add(path);
    }
    List<CustomResourceDefinition> out = new ArrayList<>();
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (HasMetadata item : c.load(in).items()) {
          if (item instanceof CustomResourceDefinition crd) {
            out.add(crd);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static void applyCrds(KubernetesClient c, List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      crd.getMetadata().setResourceVersion(null);
      crd.getMetadata().setManagedFields(null);
      c.resource(crd).fieldManager("dbguard-test-support").forceConflicts().serverSideApply();
    }
    for (CustomResourceDefinition crd : crds) {
      c.apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              d ->
                  d != null
                      && d.getStatus() != null
                      // a status written before its first condition has conditions null
                      && d.getStatus().getConditions() != null
                      && d.getStatus().getConditions().stream()
                          .anyMatch(
                              cond ->
                                  "Established".equals(cond.getType())
                                      && "True".equals(cond.getStatus())),
              30,
              TimeUnit.SECONDS);
    }
  }

  private void waitForControllerManager(Process kcm) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!kcm.isAlive()) {
        throw new TestClusterException(
            "kube-controller-manager exited with "
                + kcm.exitValue()
                + "; its log "
                + controllerManagerLog
                + " ends with:\n"
                + tail(controllerManagerLog, 30));
      }
      String log =
          Files.exists(controllerManagerLog)
              ? Files.readString(controllerManagerLog, StandardCharsets.UTF_8)
              : "";
      if (log.contains("Started \"job\"") && log.contains("Started \"garbagecollector\"")) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TestClusterException("interrupted", e);
      }
    }
    throw new TestClusterException(
        "kube-controller-manager did not start the job and garbagecollector controllers in 60 s;"
            + " log "
            + controllerManagerLog
            + ":\n"
            + tail(controllerManagerLog, 30));
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  /**
   * Stops the local node (killing pod processes), the snapshot controller, the controller-manager,
   * kube-apiserver and etcd, and deletes the run directory (kept when the system property {@code
   * dbguard.testcluster.keep} is {@code true}). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long t0 = System.nanoTime();
    try {
      if (snapshots != null) {
        snapshots.stop();
      }
      if (node != null) {
        node.stop();
      }
      if (controllerManager != null) {
        controllerManager.destroy();
      }
      if (client != null) {
        client.close();
      }
    } catch (RuntimeException e) {
      LOG.warn("error while stopping the test cluster: {}", e.toString());
    }
    try {
      if (apiServer != null) {
        apiServer.stop(); // SIGKILLs the launchers and deletes etcd's data directories
      }
    } catch (RuntimeException e) {
      LOG.debug("kube-api-test stop: {}", e.toString());
    }
    // The launchers' watchdogs would kill the real binaries within 1 s; do it now, synchronously.
    supervisor.killAll();
    if (!Boolean.getBoolean("dbguard.testcluster.keep")) {
      ProcessSupervisor.deleteTree(runDir);
    }
    LOG.info("test cluster stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /** Whether {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /** Pids of the supervised processes (watchdogs, control plane, pod processes) right now. */
  public List<Long> processIds() {
    String marker = supervisor.watchdogScript().toString();
    List<Long> pids = new ArrayList<>();
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(marker)).orElse(false))
        .forEach(
            p -> {
              pids.add(p.pid());
              p.descendants().forEach(d -> pids.add(d.pid()));
            });
    return pids;
  }
}
