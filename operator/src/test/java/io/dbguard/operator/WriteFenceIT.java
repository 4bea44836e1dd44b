package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.createPgDatabase;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.get;
import static io.dbguard.operator.DatabaseMigrationIT.pgCount;
import static io.dbguard.operator.DatabaseMigrationIT.pgMigration;
import static io.dbguard.operator.DatabaseMigrationIT.pgUrl;
import static io.dbguard.operator.DatabaseMigrationIT.psql;
import static io.dbguard.operator.DatabaseMigrationIT.setUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RolloutSpec;
import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write fence on the real control plane (its Deployment and ReplicaSet controllers are the real
 * ones) with the operator authenticated as the chart's ServiceAccount in a namespaced install (a
 * Role in the namespace, nothing cluster-wide): an application Deployment whose pods insert rows
 * into the real PostgreSQL server continuously and record every insert the server acknowledged.
 */
@WithTestCluster
class WriteFenceIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    assertThat(System.getenv("DBGUARD_TEST_PG_URL")).isNotBlank();
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    DatabaseMigrationIT.mapImages(cluster);
  }

  @Test
  void scaleToZeroSucceededNoWriteDuringTheWindowReplicasBackExactly(@TestNamespace String ns)
      throws Exception {
    String db = appDatabase();
    setUp(ns, pgUrl(db));
    Path acks = Files.createTempFile("acks-", ".log");
    writerDeployment(ns, 2, acks);
    awaitPods(ns, 2);
    awaitAcks(acks, 5);
    List<Integer> replicas = watchReplicas(ns);
    Operator op = chartOperator(ns);
    try {
      // the migration counts the application's rows twice, 2 s apart: equal counts mean no
      // application write during the window
      DatabaseMigration m =
          fenced(
              pgMigration(
                  "shop",
                  "shop:v2",
                  psql(
                      "INSERT INTO marks SELECT count(*) FROM writes; SELECT pg_sleep(2);"
                          + " INSERT INTO marks SELECT count(*) FROM writes")));
      DatabaseMigrationIT.create(ns, m);
      m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      awaitLifted(ns);
      assertThat(marks(db))
          .hasSize(2)
          .as("writes during the migration")
          .containsOnly(marks(db).get(0));
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .withName("web")
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(2);
      await().atMost(Duration.ofSeconds(60)).until(() -> replicas.equals(List.of(2, 0, 2)));
      long before = pgCount(db, "writes");
      await().atMost(Duration.ofSeconds(60)).until(() -> pgCount(db, "writes") > before);
      assertEveryAcknowledgedWriteIsThere(db, acks);
    } finally {
      op.stop();
    }
  }

  @Test
  void migrationFailsRestoredNoAcknowledgedWriteLostOperatorRestartedWhileFenced(
      @TestNamespace String ns) throws Exception {
    String db = appDatabase();
    setUp(ns, pgUrl(db));
    Path acks = Files.createTempFile("acks-", ".log");
    writerDeployment(ns, 3, acks);
    awaitPods(ns, 3);
    awaitAcks(acks, 5);
    List<Integer> replicas = watchReplicas(ns);
    Operator op = chartOperator(ns);
    try {
      DatabaseMigrationIT.create(
          ns,
          fenced(
              pgMigration(
                  "shop",
                  "shop:v2",
                  psql("ALTER TABLE writes ADD COLUMN bad int; SELECT pg_sleep(4); SELECT 1/0"))));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  get(ns, "shop").getStatus() != null
                      && get(ns, "shop").getStatus().getPhase() == Phase.Migrating);
      // the operator stops while the application is fenced and comes back (as the chart's SA)
      op.stop();
      assertThat(get(ns, "shop").getStatus().getFence().getState()).isEqualTo(FenceState.Fenced);
      Thread.sleep(2000);
      op = chartOperator(ns);
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
      awaitLifted(ns);
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .withName("web")
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(3);
      await().atMost(Duration.ofSeconds(60)).until(() -> replicas.equals(List.of(3, 0, 3)));
      long before = pgCount(db, "writes");
      await().atMost(Duration.ofSeconds(60)).until(() -> pgCount(db, "writes") > before);
      assertEveryAcknowledgedWriteIsThere(db, acks);
      assertThat(client.v1().events().inNamespace(ns).list().getItems())
          .anyMatch(e -> "FenceLifted".equals(e.getReason()));
    } finally {
      op.stop();
    }
  }

  /**
   * The Deployment controller's behaviour the gate pattern depends on: mid-rollout (new pods held
   * by an init container that never finishes, the old ReplicaSet serving), scaled to 0 and back.
   * Which ReplicaSet gets the pods back decides whether the old version serves after a failure.
   */
  @Test
  void deploymentScaledToZeroMidRolloutComesBackOnTheNewReplicaSet(@TestNamespace String ns) {
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("gated")
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withNewSelector()
            .withMatchLabels(Map.of("app", "gated"))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(Map.of("app", "gated"))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("shop:v1")
            .withCommand("sh", "-c", "sleep 600")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(d).inNamespace(ns).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> readyReplicas(ns, "gated") == 2);
    // the gate pattern: the image changes, the new pods wait in an init container (the gate)
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("gated")
        .edit(
            x -> {
              var spec = x.getSpec().getTemplate().getSpec();
              spec.getContainers().get(0).setImage("shop:v2");
              spec.setInitContainers(
                  List.of(
                      new io.fabric8.kubernetes.api.model.ContainerBuilder()
                          .withName("gate")
                          .withImage("shop:v2")
                          .withCommand("sh", "-c", "sleep 600")
                          .build()));
              return x;
            });
    await().atMost(Duration.ofSeconds(60)).until(() -> replicaSets(ns).size() == 2);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> replicaSetReplicas(ns).equals(Map.of("shop:v1", 2, "shop:v2", 1)));
    client.apps().deployments().inNamespace(ns).withName("gated").scale(0);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> replicaSetReplicas(ns).equals(Map.of("shop:v1", 0, "shop:v2", 0)));
    client.apps().deployments().inNamespace(ns).withName("gated").scale(2);
    // every replica goes to the newest ReplicaSet, whose pods wait in the gate; the old version
    // does not come back by itself
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> replicaSetReplicas(ns).equals(Map.of("shop:v1", 0, "shop:v2", 2)));
  }

  // ------------------------------------------------------------------ fixtures

  static DatabaseMigration fenced(DatabaseMigration m) {
    WorkloadRef w = new WorkloadRef();
    w.setKind(WorkloadKind.Deployment);
    w.setName("web");
    RolloutSpec r = new RolloutSpec();
    r.setWorkloads(List.of(w));
    m.getSpec().setRollout(r);
    return m;
  }

  static String appDatabase() throws Exception {
    String db = createPgDatabase();
    try (Connection c = DatabaseMigrationIT.Pg.fromEnv().connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE writes(id text PRIMARY KEY, at timestamptz DEFAULT now())");
      s.execute("CREATE TABLE marks(n bigint)");
    }
    return db;
  }

  /** Pods insert a row every 100 ms and append its id to {@code acks} once psql succeeded. */
  static void writerDeployment(String ns, int replicas, Path acks) {
    writerDeployment(ns, replicas, acks, "shop-db", Path.of("/dev/null"));
  }

  /**
   * Pods insert a row every 100 ms with the URL of Secret {@code secret} and append its id to
   * {@code acks} once psql succeeded, or to {@code refused} when the server refused it.
   */
  static void writerDeployment(String ns, int replicas, Path acks, String secret, Path refused) {
    String loop =
        "i=0; while true; do i=$((i+1)); id=\"$$-$i\"; "
            + "if psql \"$DATABASE_URL\" -q -v ON_ERROR_STOP=1 -c \"INSERT INTO writes(id) VALUES ('$id')\""
            + " >/dev/null 2>&1; then echo \"$id\" >> "
            + acks
            + "; else echo \"$id\" >> "
            + refused
            + "; fi; sleep 0.1; done";
    webDeployment(
        ns,
        replicas,
        new ContainerBuilder()
            .withName("app")
            .withImage("shop:v1")
            .withCommand("sh", "-c", loop)
            .addNewEnv()
            .withName("DATABASE_URL")
            .withNewValueFrom()
            .withNewSecretKeyRef("url", secret, false)
            .endValueFrom()
            .endEnv()
            .build());
  }

  /**
   * Deployment {@code web} (pods labelled app=web) of {@code replicas} pods running {@code app}.
   */
  static void webDeployment(String ns, int replicas, Container app) {
    webDeployment(ns, replicas, app, List.of());
  }

  /** Deployment web (label app=web) of {@code replicas} pods running {@code app} with volumes. */
  static void webDeployment(
      String ns,
      int replicas,
      Container app,
      List<io.fabric8.kubernetes.api.model.Volume> volumes) {
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(Map.of("app", "web"))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(Map.of("app", "web"))
            .endMetadata()
            .withNewSpec()
            .withContainers(app)
            .withVolumes(volumes)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(d).inNamespace(ns).create();
  }

  /**
   * The operator with the RBAC the chart installs for one namespace (Role + RoleBinding, its
   * ServiceAccount's token); leader election is off.
   */
  static Operator chartOperator(String ns) {
    applyChart(ns);
    return chartOperator(ns, OperatorConfig.defaults());
  }

  /**
   * Renders the chart for a namespaced install in {@code ns} (the operator Deployment at 0
   * replicas) and applies what it renders there: the ServiceAccount, Roles and bindings.
   *
   * @return the rendered objects, the operator's Deployment among them
   */
  static List<HasMetadata> applyChart(String ns) {
    String yaml =
        new com.marcnuri.helm.Helm(TestCluster.repoRoot().resolve("helm/dbguard"))
            .template()
            .withName("dbguard")
            .withNamespace(ns)
            .set("replicas", 0)
            .set("watchNamespaces[0]", ns)
            .call();
    List<HasMetadata> objects = client.load(new ByteArrayInputStream(yaml.getBytes())).items();
    for (HasMetadata o : objects) {
      if (o.getKind().equals("ClusterRole") || o.getKind().equals("ClusterRoleBinding")) {
        // a namespaced install grants nothing cluster-wide but reading VolumeSnapshotContents
        // (cluster-scoped), which snapshot retention needs; the fence needs none of it
        assertThat(o.getMetadata().getName()).endsWith("-operator-snapshot-contents");
        continue;
      }
      client.resource(o).forceConflicts().serverSideApply();
    }
    return objects;
  }

  /** The operator with {@code config}, as the chart's ServiceAccount in {@code ns}, started. */
  static Operator chartOperator(String ns, OperatorConfig config) {
    Operator op =
        Main.create(
            config,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            // no leader election: a restarted operator takes over at once (one process here)
            null,
            Set.of(ns),
            false,
            cluster.clientAs(ns, "dbguard"),
            new DatabaseMigrationReconciler(config));
    op.start();
    return op;
  }

  static void awaitPods(String ns, int n) {
    await().atMost(Duration.ofSeconds(60)).until(() -> readyReplicas(ns, "web") == n);
  }

  static int readyReplicas(String ns, String name) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    Integer r = d == null || d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
    return r == null ? 0 : r;
  }

  static void awaitAcks(Path acks, int n) {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readAllLines(acks).size() >= n);
  }

  static void awaitLifted(String ns) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get(ns, "shop").getStatus().getFence() != null
                    && get(ns, "shop").getStatus().getFence().getState() == FenceState.Lifted);
  }

  /** Every distinct spec.replicas value of Deployment web, in order, from now on. */
  static List<Integer> watchReplicas(String ns) {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    seen.add(
        client.apps().deployments().inNamespace(ns).withName("web").get().getSpec().getReplicas());
    Watch unused =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("web")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Deployment d) {
                    Integer r = d.getSpec().getReplicas();
                    synchronized (seen) {
                      if (!seen.get(seen.size() - 1).equals(r)) {
                        seen.add(r);
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    return seen;
  }

  static List<Long> marks(String db) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Connection c = DatabaseMigrationIT.Pg.fromEnv().connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM marks")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  static void assertEveryAcknowledgedWriteIsThere(String db, Path acks) throws Exception {
    Set<String> inDb = new HashSet<>();
    try (Connection c = DatabaseMigrationIT.Pg.fromEnv().connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM writes")) {
      while (rs.next()) {
        inDb.add(rs.getString(1));
      }
    }
    List<String> acked = Files.readAllLines(acks);
    assertThat(acked).hasSizeGreaterThan(5);
    assertThat(inDb).as("acknowledged writes missing from the database").containsAll(acked);
  }

  static List<ReplicaSet> replicaSets(String ns) {
    return client.apps().replicaSets().inNamespace(ns).list().getItems();
  }

  static Map<String, Integer> replicaSetReplicas(String ns) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (ReplicaSet rs : replicaSets(ns)) {
      out.put(
          rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
          rs.getSpec().getReplicas());
    }
    return out;
  }
}
