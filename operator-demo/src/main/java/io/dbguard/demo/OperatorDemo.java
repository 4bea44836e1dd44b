package io.dbguard.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.marcnuri.helm.Release;
import io.dbguard.demo.ShopApp.ShopPod;
import io.dbguard.demo.ShopApp.ShopRelease;
import io.dbguard.testcluster.TestCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator on a fresh machine: starts the embedded control plane (etcd, kube-apiserver,
 * kube-controller-manager and the local node of {@code test-support}), installs the chart with Helm
 * (CRDs, ServiceAccount, RBAC, the operator's Deployment, the gate's Role), applies the SQLite shop
 * of {@code examples/k8s/shop-sqlite.yaml} and rolls out three releases:
 *
 * <ol>
 *   <li>{@code shop:1.0} on a new database: migrated and seeded, {@code Succeeded}, the gate opens;
 *   <li>{@code shop:1.2}: V5 fails after V3 and V4 were applied: restored from the verified backup,
 *       {@code RolledBack}, the database identical to before (every table's rows hashed), the gate
 *       refuses the new pods (exit 50); the Deployment is rolled back to {@code shop:1.0};
 *   <li>{@code shop:1.2.1}, the fix: {@code Succeeded}, the gate opens.
 * </ol>
 *
 * <p>Usage: {@code java -jar operator-demo/target/dbguard-operator-demo.jar [--stage-timeout
 * SECONDS] [--keep] [--result-json FILE]} from the repository root ({@code
 * scripts/operator-demo.sh} builds and runs it). Exit 0 when every stage reached its expected
 * outcome; 1 with the reason (and the operator's log tail) when one did not within the stage
 * timeout (default {@value #DEFAULT_STAGE_TIMEOUT} s); 2 on a usage error. Every process is stopped
 * and the run directory deleted on exit, Ctrl-C included ({@code --keep} keeps the directory for a
 * look at logs and volumes). {@code --result-json} writes the {@link DemoResult} (what each stage
 * observed) as JSON.
 */
public final class OperatorDemo {
  /** Default of {@code --stage-timeout}, seconds. */
  public static final int DEFAULT_STAGE_TIMEOUT = 300;

  static final ShopRelease R1 = new ShopRelease("1.0", List.of("1.0"));
  static final ShopRelease R2 = new ShopRelease("1.2", List.of("1.0", "1.1", "1.2-broken"));
  static final ShopRelease R3 = new ShopRelease("1.2.1", List.of("1.0", "1.1", "1.2-fixed"));

  /** Set when the JVM shuts down (Ctrl-C, SIGTERM) before the demo ended. */
  private static volatile boolean stopping;

  private final Path root;
  private final PrintStream out;
  private final Duration stageTimeout;

  /**
   * A demo over the repository at {@code root}.
   *
   * @param root repository root (holds helm/, examples/ and the built jars)
   * @param out where the walkthrough is printed
   * @param stageTimeout how long each stage may take before the demo fails
   */
  public OperatorDemo(Path root, PrintStream out, Duration stageTimeout) {
    this.root = root;
    this.out = out;
    this.stageTimeout = stageTimeout;
  }

  /** Runs the demo; see the class comment for arguments and exit codes. */
  public static void main(String[] args) {
    int timeout = DEFAULT_STAGE_TIMEOUT;
    Path resultJson = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--stage-timeout" -> timeout = positive(value(args, ++i));
        case "--result-json" -> resultJson = Path.of(value(args, ++i));
        case "--keep" -> System.setProperty("dbguard.testcluster.keep", "true");
        case "-h", "--help" -> {
          System.out.println(
              "usage: operator-demo [--stage-timeout SECONDS] [--keep] [--result-json FILE]"
                  + "   (from the repository root)");
          return;
        }
        default -> usageError("unknown argument " + args[i]);
      }
    }
    Path root = TestCluster.repoRoot();
    if (root == null) {
      System.err.println("run from the repository root (or set DBGUARD_REPO_ROOT)");
      System.exit(2);
    }
    try {
      DemoResult result = new OperatorDemo(root, System.out, Duration.ofSeconds(timeout)).run();
      if (resultJson != null) {
        Files.writeString(
            resultJson,
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(result));
      }
      System.exit(0);
    } catch (IOException e) {
      System.err.println("cannot write " + resultJson + ": " + e);
      System.exit(1);
    } catch (RuntimeException e) {
      if (shuttingDown()) {
        return; // Ctrl-C: the shutdown hooks clean up; what failed meanwhile is their doing
      }
      System.out.flush();
      System.err.println();
      System.err.println(
          "OPERATOR DEMO FAILED: " + (e instanceof DemoFailure ? e.getMessage() : e.toString()));
      if (!(e instanceof DemoFailure)) {
        e.printStackTrace();
      }
      System.exit(1);
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usageError(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static int positive(String seconds) {
    try {
      int n = Integer.parseInt(seconds);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    usageError("--stage-timeout takes a positive number of seconds, not " + seconds);
    return 0;
  }

  private static void usageError(String message) {
    System.err.println(message + "; see --help");
    System.exit(2);
  }

  /**
   * Runs every stage and cleans up.
   *
   * @return what each stage observed
   * @throws DemoFailure when a stage does not reach its expected outcome (after cleaning up)
   * @throws io.dbguard.testcluster.TestClusterException when the control plane cannot start
   */
  public DemoResult run() {
    long t0 = System.nanoTime();
    requireSqlite3();
    banner("Starting the embedded control plane");
    say(
        "etcd, kube-apiserver and kube-controller-manager (Kubernetes 1.20, built from Debian's"
            + " source package), and a local node that runs every pod as a process on this machine.");
    DemoCluster k8s = DemoCluster.start(root);
    Path runDir = k8s.cluster().runDir();
    Thread interrupted =
        new Thread(
            () -> {
              stopping = true;
              System.err.println("\ninterrupted: stopping every process, deleting " + runDir);
            });
    Runtime.getRuntime().addShutdownHook(interrupted);
    try {
      return walk(k8s, t0);
    } catch (RuntimeException e) {
      if (!shuttingDown()) {
        out.println();
        out.println("The operator's log ends with:");
        out.println(k8s.operatorLogTail(30).indent(2));
      }
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(interrupted);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hooks (this message, the control plane's clean-up) are running
      }
      long c0 = System.nanoTime();
      k8s.close();
      out.printf(
          "%nCleaned up in %d ms: every process stopped, %s %s.%n",
          ms(c0), runDir, Files.exists(runDir) ? "kept (--keep)" : "deleted");
    }
  }

  private DemoResult walk(DemoCluster k8s, long t0) {
    TestCluster cluster = k8s.cluster();
    say(
        "up in "
            + cluster.startupTime().toMillis()
            + " ms; the CRDs of crds/ (the chart's helm/dbguard/crds) are installed with it.");
    say(
        "Look around meanwhile: "
            + cluster.binaries().kubectl()
            + " --kubeconfig "
            + cluster.kubeconfigFile()
            + " get dbmig,pods -A");
    ShopApp app = new ShopApp(k8s.client(), root);
    installOperator(k8s, app);
    Duration startup = Duration.ofNanos(System.nanoTime() - t0);
    say("(" + startup.toSeconds() + " s in)");

    Progress progress = new Progress(app, out, stageTimeout);
    // the claim is bound once the shop is applied: its file is looked up then
    Supplier<Path> db =
        () ->
            cluster
                .node()
                .volumePath(ShopApp.NAMESPACE, ShopApp.DATA_CLAIM)
                .resolve(ShopApp.DATABASE_FILE);
    List<DemoResult.Stage> stages = new ArrayList<>();
    stages.add(newDatabase(app, progress, db));
    stages.add(failingRelease(app, progress, db, stages.get(0).after()));
    stages.add(fix(app, progress, db, stages.get(1).after()));

    banner("Where it ended");
    kubectl(cluster, "get", "dbmig,databasebackups,pods", "-n", ShopApp.NAMESPACE);
    Duration total = Duration.ofNanos(System.nanoTime() - t0);
    out.printf(
        "%nAll three stages as expected in %d s (control plane and operator %d s).%n",
        total.toSeconds(), startup.toSeconds());
    return new DemoResult(
        stages, startup.toMillis(), cluster.runDir().toString(), total.toMillis());
  }

  /** helm install, then waits until the operator pod leads. */
  private void installOperator(DemoCluster k8s, ShopApp app) {
    banner("helm install dbguard helm/dbguard -n dbguard-system (gate RBAC for shop/shop)");
    k8s.createNamespace(ShopApp.NAMESPACE);
    app.createServiceAccount();
    Release release = k8s.helmInstall(ShopApp.NAMESPACE, ShopApp.SERVICE_ACCOUNT);
    say(
        "release "
            + release.getName()
            + " "
            + release.getStatus()
            + ", chart "
            + release.getChart());
    say(
        "The operator runs as the chart's Deployment: operator/target/dbguard-operator.jar in a pod"
            + " with the chart's ServiceAccount token, environment and leader election; it may do"
            + " only what the chart's ClusterRole grants.");
    String pod = k8s.awaitOperatorLeader(stageTimeout);
    say("operator pod " + pod + " holds Lease dbguard-leader.");
  }

  private DemoResult.Stage newDatabase(ShopApp app, Progress progress, Supplier<Path> db) {
    banner("Release 1.0 on a new database");
    say(
        "kubectl apply -f examples/k8s/shop-sqlite.yaml: the Deployment shop (its pods wait in the"
            + " dbguard gate init container) and the DatabaseMigration shop for image shop:1.0:"
            + " V1, V2 of examples/sqlite-demo/releases/1.0, then seed.sql. A new database has"
            + " nothing to lose: no backup is taken.");
    long s0 = System.nanoTime();
    app.install(R1);
    MigrationRow row = progress.awaitMigration(R1.image(), "Succeeded");
    ShopPod open = progress.awaitPod(running(R1), "Running with shop:1.0");
    Map<String, ShopData.Table> v1 = ShopData.read(db.get());
    say("Succeeded; the gate opened (exit " + open.gateExit() + ") and shop:1.0 serves.");
    say("database: " + ShopData.summary(v1));
    return stage(R1, row, Map.of(), v1, open, s0);
  }

  private DemoResult.Stage failingRelease(
      ShopApp app, Progress progress, Supplier<Path> db, Map<String, ShopData.Table> before) {
    banner("Release 1.2: V5 fails");
    say(
        "V3 adds loyalty points, V4 a coupons table, a foreign key and a column, then V5 refers to a"
            + " table that does not exist. The shop is scaled to 0 (write fence), a verified backup"
            + " is taken, the migration fails half-way, the backup is restored.");
    long s0 = System.nanoTime();
    app.rollOut(R2);
    MigrationRow row = progress.awaitMigration(R2.image(), "RolledBack");
    Map<String, ShopData.Table> after = ShopData.read(db.get());
    if (!after.equals(before)) {
      throw new DemoFailure(
          "after the rollback the database differs from before release 1.2: "
              + ShopData.summary(after)
              + " vs "
              + ShopData.summary(before));
    }
    say("RolledBack (" + row.reason() + "): " + row.message());
    say(
        "database identical to before release 1.2, table by table and row by row: "
            + ShopData.summary(after));
    say("The gate holds the rollout: a pod of shop:1.2 may not start on this database.");
    ShopPod held =
        progress.awaitPod(
            p -> p.image().equals(R2.image()) && Integer.valueOf(50).equals(p.gateExit()),
            "refused by the gate (exit 50)");
    say("gate exit 50: " + held.gateMessage());
    DemoResult.Stage stage = stage(R2, row, before, after, held, s0);
    say(
        "The fence gave the Deployment its replica back, in the new ReplicaSet, whose pods the gate"
            + " holds: the shop serves nothing until the rollout is undone (kubectl rollout undo"
            + " deployment/shop) or fixed. Undoing it:");
    app.setDeploymentImage(R1.image());
    progress.awaitPod(running(R1), "Running with shop:1.0 again");
    say("shop:1.0 serves again (its migration had succeeded, so the gate opens).");
    return stage;
  }

  private DemoResult.Stage fix(
      ShopApp app, Progress progress, Supplier<Path> db, Map<String, ShopData.Table> before) {
    banner("Release 1.2.1: the fix");
    say("V5 fixed: V3, V4 and V5 run, the data-loss check passes, the gate opens.");
    long s0 = System.nanoTime();
    app.rollOut(R3);
    MigrationRow row = progress.awaitMigration(R3.image(), "Succeeded");
    ShopPod fixed = progress.awaitPod(running(R3), "Running with shop:1.2.1");
    Map<String, ShopData.Table> after = ShopData.read(db.get());
    say("Succeeded; the gate opened and shop:1.2.1 serves.");
    say("database: " + ShopData.summary(after));
    return stage(R3, row, before, after, fixed, s0);
  }

  private static java.util.function.Predicate<ShopPod> running(ShopRelease r) {
    return p -> p.image().equals(r.image()) && p.status().equals("Running");
  }

  private static DemoResult.Stage stage(
      ShopRelease r,
      MigrationRow row,
      Map<String, ShopData.Table> before,
      Map<String, ShopData.Table> after,
      ShopPod pod,
      long s0) {
    return new DemoResult.Stage(
        r.version(),
        row.phase(),
        row.reason(),
        row.message(),
        row.ready(),
        row.backup(),
        before,
        after,
        pod.gateExit(),
        pod.gateMessage(),
        (System.nanoTime() - s0) / 1_000_000);
  }

  /** Runs the rig's kubectl and prints its output, indented. */
  private void kubectl(TestCluster cluster, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(cluster.binaries().kubectl().toString());
    argv.add("--kubeconfig=" + cluster.kubeconfigFile());
    argv.addAll(List.of(args));
    out.println("  $ kubectl " + String.join(" ", args));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      out.print(text.indent(2));
    } catch (IOException e) {
      out.println("  (kubectl: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailure("interrupted", e);
    }
  }

  /** Whether the JVM is shutting down (Ctrl-C, SIGTERM): its hooks may have closed the cluster. */
  private static boolean shuttingDown() {
    if (stopping) {
      return true;
    }
    try {
      Thread probe = new Thread(() -> {});
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  private static void requireSqlite3() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "sqlite3"))) {
        return;
      }
    }
    throw new DemoFailure(
        "the sqlite3 command is missing (the shop image's seed runs it): apt-get install sqlite3,"
            + " or run scripts/operator-demo.sh, which does");
  }

  private void banner(String title) {
    out.println();
    out.println("==> " + title);
  }

  private void say(String text) {
    out.println("    " + text);
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
