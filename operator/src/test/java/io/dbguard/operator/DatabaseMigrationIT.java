package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.act.Conditions;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.testcluster.ImageMapping;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end on the real control plane (kube-apiserver, etcd, kube-controller-manager's Job
 * controller and GC) with the local node running Job pods as processes: the dbguard image is this
 * test classpath's {@code io.dbguard.cli.Main}, the application image {@code shop:*} runs its
 * command on the host ({@code psql}, {@code sqlite3}). PostgreSQL is the real test server ({@code
 * DBGUARD_TEST_PG_URL}); the test fails when it is absent. One control plane and one operator
 * (restarted by {@link #operatorRestartedInEveryPhaseRunsEachStepOnce}) for the whole class.
 */
@WithTestCluster
class DatabaseMigrationIT {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrationIT.class);
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);

  static TestCluster cluster;
  static KubernetesClient client;
  static Operator operator;
  static DatabaseMigrationReconciler reconciler;

  /** Release of the chart whose ServiceAccount and RBAC the operator runs as. */
  static final String RELEASE = "dbguard-it";

  static String operatorNamespace;
  static final ApiCallRecorder CALLS = new ApiCallRecorder();

  @BeforeAll
  static void startOperator() {
    assertThat(System.getenv("DBGUARD_TEST_PG_URL"))
        .as(
            "DBGUARD_TEST_PG_URL must point at the test PostgreSQL server (source /tmp/pgenv.sh or scripts/test.sh)")
        .isNotBlank();
    mapImages(cluster);
    operatorNamespace = cluster.createNamespace("dbguard-system");
    installChartRbac(RELEASE, operatorNamespace);
    start();
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
    // Every call the operator made is one the chart grants (OperatorPermissions == chart rules).
    assertThat(CALLS.outsidePermissions()).as("API calls outside OperatorPermissions").isEmpty();
    LOG.info("operator API calls: {}", CALLS.calls());
  }

  /**
   * Server-side applies the chart's ServiceAccount and RBAC objects (not its Deployment: the
   * operator runs in this JVM, authenticated as that ServiceAccount).
   */
  static void installChartRbac(String release, String ns) {
    String yaml =
        new com.marcnuri.helm.Helm(TestCluster.repoRoot().resolve("helm/dbguard"))
            .template()
            .withName(release)
            .withNamespace(ns)
            .call();
    for (HasMetadata o : client.load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
      if (Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
          .contains(o.getKind())) {
        client.resource(o).forceConflicts().serverSideApply();
      }
    }
  }

  static void start() {
    reconciler = new DatabaseMigrationReconciler(OperatorConfig.defaults());
    // As the chart installs it: its ServiceAccount and RBAC, every call recorded.
    KubernetesClient c = CALLS.wrap(cluster.clientAs(operatorNamespace, RELEASE));
    operator =
        Main.create(
            OperatorConfig.defaults(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            null,
            java.util.Set.of(),
            false,
            c,
            reconciler);
    operator.start();
  }

  /**
   * The images the operator ITs' pods use, played on the local node: the dbguard tool image and the
   * {@code dbguard} command by the CLI's main class, {@code shop*} application images by the host's
   * commands.
   */
  static void mapImages(TestCluster cluster) {
    cluster.node().mapExecutable("dbguard", ImageMapping.javaCommand("io.dbguard.cli.Main"));
    cluster
        .node()
        .mapImage("ghcr.io/dbguard/dbguard*", ImageMapping.javaMain("io.dbguard.cli.Main"));
    cluster.node().mapImage("shop*", ImageMapping.host());
  }

  static void restart() {
    operator.stop();
    start();
  }

  // ------------------------------------------------------------------ scenarios

  @Test
  void happyPathPostgresBackupVerifiedMigratedGateOpens(@TestNamespace String ns) throws Exception {
    long t0 = System.nanoTime();
    String db = createPgDatabase();
    setUp(ns, pgUrl(db));
    applyGateRbac(ns);
    client.resource(gatePod("gate-v2", "shop", "shop:v2")).inNamespace(ns).create();
    create(ns, pgMigration("shop", "shop:v2", psql("ALTER TABLE items ADD COLUMN note text")));

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
    assertThat(m.getStatus().getLastSucceededImage()).isEqualTo("shop:v2");
    assertThat(m.getStatus().getBackup().getSha256()).hasSize(64);
    assertThat(m.getStatus().getBackup().getSizeBytes()).isPositive();
    assertThat(condition(m, "Ready")).isEqualTo("True");
    assertThat(condition(m, "BackupVerified")).isEqualTo("True");
    assertThat(condition(m, "RolloutAllowed")).isEqualTo("True");
    assertThat(condition(m, "Stalled")).isEqualTo("False");
    assertThat(m.getStatus().getObservedGeneration()).isEqualTo(m.getMetadata().getGeneration());
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("backup", "migrate", "verify");
    assertThat(columns(db, "items")).contains("note");

    DatabaseBackup rec =
        client.resources(DatabaseBackup.class).inNamespace(ns).list().getItems().get(0);
    assertThat(rec.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(rec.getStatus().getSha256()).isEqualTo(m.getStatus().getBackup().getSha256());
    assertThat(rec.getStatus().getVerified()).isTrue();
    assertThat(rec.getStatus().getState()).isEqualTo(BackupState.Ready);

    // The gate init container opens: exit 0, then the app container runs.
    assertThat(awaitGateExit(ns, "gate-v2")).isZero();
    // Deleting the migration keeps the backup record.
    client.resource(m).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.resources(DatabaseMigration.class).inNamespace(ns).withName("shop").get()
                    == null);
    assertThat(client.resources(DatabaseBackup.class).inNamespace(ns).list().getItems()).hasSize(1);
    LOG.info("happy path took {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void sqliteMigrationFailsIsRestoredGateStaysShutRetryStartsNewAttempt(@TestNamespace String ns)
      throws Exception {
    long t0 = System.nanoTime();
    setUpSqlite(ns);
    applyGateRbac(ns);
    String failing =
        "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE junk(x); INSERT INTO nosuch VALUES (1);\"";
    create(ns, sqliteMigration("shop", "shop:v2", failing));
    client.resource(gatePod("gate-v2", "shop", "shop:v2")).inNamespace(ns).create();

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
    assertThat(m.getStatus().getReason()).isEqualTo("MigrationFailed");
    assertThat(condition(m, "RolledBack")).isEqualTo("True");
    assertThat(condition(m, "Stalled")).isEqualTo("True");
    assertThat(condition(m, "Ready")).isEqualTo("False");
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("backup", "migrate", "restore");
    assertThat(sqliteTables(ns)).contains("items").doesNotContain("junk");
    assertThat(sqliteCount(ns, "items")).isEqualTo(3);

    // The gate stays shut with the reason.
    assertThat(awaitGateExit(ns, "gate-v2")).isEqualTo(50);
    assertThat(gateMessage(ns, "gate-v2")).contains("RolledBack").contains("MigrationFailed");

    // No automatic retry: nothing new happens on its own …
    Thread.sleep(3000);
    assertThat(jobSteps(ns)).hasSize(3);
    // … but a retry starts a new attempt (new revision, new Jobs): `kubectl dbguard retry`,
    // which sets the documented dbguard.io/retry annotation.
    PluginRun retry = plugin("retry", "shop", "-n", ns);
    assertThat(retry.code()).as(retry.output()).isZero();
    assertThat(get(ns, "shop").getMetadata().getAnnotations())
        .containsKey(DatabaseMigration.RETRY_ANNOTATION);
    await()
        .atMost(RUN_TIMEOUT)
        .until(
            () -> {
              DatabaseMigration x = get(ns, "shop");
              return x.getStatus().getAttempt() == 2
                  && MigrationPlanner.FINISHED.contains(x.getStatus().getPhase());
            });
    m = get(ns, "shop");
    assertThat(m.getStatus().getPhase()).isEqualTo(Phase.RolledBack);
    assertThat(m.getStatus().getHistory()).hasSize(2);
    assertThat(jobSteps(ns)).hasSize(6);
    // `kubectl dbguard status` reads what the operator wrote: both attempts, newest first, the
    // closed gate and the migration's backup records.
    PluginRun status = plugin("status", "shop", "-n", ns, "-o", "json");
    assertThat(status.code()).as(status.output()).isZero();
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.output());
    assertThat(json.path("phase").asText()).isEqualTo("RolledBack");
    assertThat(json.path("attempt").asInt()).isEqualTo(2);
    assertThat(json.path("attempts")).hasSize(2);
    assertThat(json.path("attempts").get(0).path("attempt").asInt()).isEqualTo(2);
    assertThat(json.path("retryToken").asText())
        .isEqualTo(m.getMetadata().getAnnotations().get(DatabaseMigration.RETRY_ANNOTATION));
    assertThat(json.path("gate").findValuesAsText("state")).contains("closed");
    List<String> records =
        client.resources(DatabaseBackup.class).inNamespace(ns).list().getItems().stream()
            .map(b -> b.getMetadata().getName())
            .toList();
    assertThat(records).isNotEmpty();
    assertThat(json.path("backups").findValuesAsText("name"))
        .containsExactlyInAnyOrderElementsOf(records);
    assertThat(json.path("backups").findValues("verified"))
        .allMatch(com.fasterxml.jackson.databind.JsonNode::asBoolean);
    LOG.info("failure + restore + retry took {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /** Exit code and output (stdout, then stderr) of one {@code kubectl dbguard} command. */
  record PluginRun(int code, String output) {}

  /** {@code kubectl dbguard ARGS}, run in this JVM as the cluster admin (its kubeconfig file). */
  static PluginRun plugin(String... args) {
    picocli.CommandLine cl = io.dbguard.cli.Main.commandLine();
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    List<String> all = new java.util.ArrayList<>(List.of("kubectl"));
    all.addAll(List.of(args));
    all.addAll(List.of("--kubeconfig", cluster.kubeconfigFile().toString()));
    int code = cl.execute(all.toArray(String[]::new));
    return new PluginRun(code, out + err.toString());
  }

  @Test
  void dataLossIsDetectedAndRestored(@TestNamespace String ns) throws Exception {
    long t0 = System.nanoTime();
    String db = createPgDatabase();
    setUp(ns, pgUrl(db));
    create(ns, pgMigration("shop", "shop:v2", psql("DELETE FROM items WHERE id > 1")));

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
    assertThat(m.getStatus().getReason()).isEqualTo("DataLossDetected");
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("backup", "migrate", "verify", "restore");
    assertThat(pgCount(db, "items")).isEqualTo(3);
    LOG.info("data loss + restore took {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void backupFailureMeansTheMigrationNeverRuns(@TestNamespace String ns) {
    // nothing listens on port 1: the backup cannot connect (a database that merely does not exist
    // yet is a new database, see newSqliteDatabaseIsMigratedWithoutABackup)
    setUp(ns, "postgresql://shop:secret@127.0.0.1:1/shop");
    create(ns, pgMigration("shop", "shop:v2", psql("ALTER TABLE items ADD COLUMN note text")));

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Failed);
    assertThat(m.getStatus().getReason()).isEqualTo("BackupFailed");
    assertThat(m.getStatus().getMessage()).contains("the migration did not run");
    assertThat(jobSteps(ns)).containsExactly("backup");
  }

  @Test
  void newSqliteDatabaseIsMigratedWithoutABackup(@TestNamespace String ns) throws Exception {
    setUp(ns, "unused");
    pvc(ns, "data");
    create(
        ns,
        sqliteMigration(
            "shop",
            "shop:v1",
            "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE items(id INTEGER PRIMARY KEY)\""));

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
    // nothing to lose, nothing to verify against: backup skipped, no data check, no backup record
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("backup", "migrate");
    assertThat(m.getStatus().getBackup()).isNull();
    assertThat(cluster.node().volumePath(ns, "data").resolve("app.db")).exists();
    try (var backups = java.nio.file.Files.list(cluster.node().volumePath(ns, "backups"))) {
      assertThat(backups.filter(p -> p.toString().endsWith(".sqlite3"))).isEmpty();
    }
  }

  @Test
  void newSqliteDatabaseWhoseFirstMigrationFailsIsSetAside(@TestNamespace String ns)
      throws Exception {
    setUp(ns, "unused");
    pvc(ns, "data");
    create(
        ns,
        sqliteMigration(
            "shop",
            "shop:v1",
            "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE items(id INTEGER PRIMARY KEY);"
                + " INSERT INTO nosuch VALUES (1);\""));

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
    assertThat(m.getStatus().getReason()).isEqualTo("MigrationFailed");
    assertThat(m.getStatus().getMessage())
        .contains("set aside the database the failed attempt created");
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("backup", "migrate", "restore");
    Path volume = cluster.node().volumePath(ns, "data");
    assertThat(volume.resolve("app.db")).as("absent again, as before the attempt").doesNotExist();
    Path kept;
    try (var files = Files.list(volume)) {
      kept =
          files
              .filter(p -> p.getFileName().toString().startsWith("app.db.failed-"))
              .filter(p -> !p.toString().endsWith("-wal") && !p.toString().endsWith("-shm"))
              .findFirst()
              .orElseThrow();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + kept);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'items'")) {
      r.next();
      assertThat(r.getInt(1)).as("what the failed attempt created is kept").isEqualTo(1);
    }
  }

  @Test
  void dangerousCommandIsRejectedAndMissingSecretStalls(@TestNamespace String ns) throws Exception {
    setUp(ns, "postgresql://u:p@127.0.0.1:1/x");
    DatabaseMigration bad = pgMigration("reset", "shop:v2", List.of("bin/rails", "db:reset"));
    create(ns, bad);
    DatabaseMigration stalled = pgMigration("other", "shop:v2", psql("SELECT 1"));
    stalled.getSpec().getDatabase().setName("other");
    stalled.getSpec().getDatabase().getUrlSecretRef().setName("missing-secret");
    create(ns, stalled);

    DatabaseMigration m = awaitFinished(ns, "reset");
    assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Rejected);
    assertThat(m.getStatus().getReason()).isEqualTo("DangerousCommand");
    assertThat(m.getStatus().getMessage()).contains("db:reset");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "True".equals(condition(get(ns, "other"), "Stalled")));
    DatabaseMigration o = get(ns, "other");
    assertThat(o.getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(Conditions.find(o.getStatus().getConditions(), "Stalled").getMessage())
        .contains("Secret/missing-secret");
    Thread.sleep(2000);
    assertThat(jobSteps(ns)).isEmpty();
  }

  @Test
  void twoMigrationsOfOneDatabaseRunOneAfterTheOther(@TestNamespace String ns) throws Exception {
    long t0 = System.nanoTime();
    String db = createPgDatabase();
    setUp(ns, pgUrl(db));
    cluster.node().delayStart(p -> true, Duration.ofMillis(500));
    create(
        ns,
        pgMigration("first", "shop:v2", psql("ALTER TABLE items ADD COLUMN IF NOT EXISTS a text")));
    create(
        ns,
        pgMigration(
            "second", "shop:v2", psql("ALTER TABLE items ADD COLUMN IF NOT EXISTS b text")));

    AtomicBoolean overlap = new AtomicBoolean();
    await()
        .atMost(RUN_TIMEOUT.multipliedBy(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              DatabaseMigration a = get(ns, "first");
              DatabaseMigration b = get(ns, "second");
              if (running(a) && running(b)) {
                overlap.set(true);
              }
              return finished(a) && finished(b);
            });
    assertThat(overlap).as("both migrations of database shop ran at the same time").isFalse();
    assertThat(get(ns, "first").getStatus().getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(get(ns, "second").getStatus().getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(columns(db, "items")).contains("a", "b");
    LOG.info("two serialized migrations took {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void operatorRestartedInEveryPhaseRunsEachStepOnce(@TestNamespace String ns) throws Exception {
    long t0 = System.nanoTime();
    String db = createPgDatabase();
    setUp(ns, pgUrl(db));
    // Slow pods down so that each phase lasts long enough to restart the operator inside it.
    cluster.node().delayStart(p -> true, Duration.ofSeconds(2));
    restart();
    // Every Job ever created in the namespace, seen by the apiserver (a deleted and re-created Job
    // would show up as a second UID). Counting in the operator races with stopping it mid-create.
    java.util.Set<String> jobUids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.fabric8.kubernetes.client.Watch jobWatch =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .watch(
                new io.fabric8.kubernetes.client.Watcher<Job>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    if (action == Action.ADDED) {
                      jobUids.add(job.getMetadata().getUid());
                    }
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                });
    create(
        ns,
        pgMigration(
            "shop", "shop:v2", psql("INSERT INTO items(id) SELECT max(id) + 1 FROM items")));
    for (Phase p : List.of(Phase.BackingUp, Phase.Migrating, Phase.Verifying)) {
      await()
          .atMost(RUN_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> phase(get(ns, "shop")) == p || finished(get(ns, "shop")));
      restart();
    }
    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
    // Each step ran exactly once: one Job per step, one pod per Job, three creations in total.
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("backup", "migrate", "verify");
    for (Job j : client.batch().v1().jobs().inNamespace(ns).list().getItems()) {
      assertThat(
              client
                  .pods()
                  .inNamespace(ns)
                  .withLabel("job-name", j.getMetadata().getName())
                  .list()
                  .getItems())
          .as("pods of %s", j.getMetadata().getName())
          .hasSize(1);
    }
    jobWatch.close();
    assertThat(jobUids).as("Jobs ever created").hasSize(3);
    // The INSERT ran once: 3 rows + 1.
    assertThat(pgCount(db, "items")).isEqualTo(4);
    LOG.info("run with 3 operator restarts took {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void gateNeedsItsRoleOnlyForbiddenWithoutIt(@TestNamespace String ns) throws Exception {
    setUp(ns, "postgresql://u:p@127.0.0.1:1/x");
    applyGateRbac(ns);
    cluster.ensureServiceAccount(ns, "nobody");
    // With only the gate's Role: reads and watches fine (times out waiting: exit 51).
    client.resource(gatePodWithTimeout("with-role", "shop", "shop:v9", 3)).inNamespace(ns).create();
    // Without it: 403, reported, exit 5.
    client.resource(gatePodWithTimeout("no-role", "nobody", "shop:v9", 3)).inNamespace(ns).create();
    assertThat(awaitGateExit(ns, "with-role")).isEqualTo(51);
    assertThat(awaitGateExit(ns, "no-role")).isEqualTo(5);
    assertThat(gateMessage(ns, "no-role")).contains("forbidden");
    // The Role grants nothing else.
    try (KubernetesClient asShop = cluster.clientAs(ns, "shop")) {
      assertThat(asShop.resources(DatabaseMigration.class).inNamespace(ns).withName("x").get())
          .isNull();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> asShop.resources(DatabaseMigration.class).inNamespace(ns).list())
          .hasMessageContaining("Forbidden");
    }
  }

  @Test
  void operatorRunsWithOnlyTheChartsRbacAndLeaderElection(@TestNamespace String ns)
      throws Exception {
    long t0 = System.nanoTime();
    // The chart's rendered objects are accepted by the apiserver …
    String yaml =
        new com.marcnuri.helm.Helm(TestCluster.repoRoot().resolve("helm/dbguard"))
            .template()
            .withName("dbguard")
            .withNamespace(ns)
            .set("replicas", 0)
            .call();
    for (HasMetadata o : client.load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
      client.resource(o).forceConflicts().serverSideApply();
    }
    assertThat(client.apps().deployments().inNamespace(ns).withName("dbguard-operator").get())
        .isNotNull();
    // … and an operator authenticated as the chart's ServiceAccount, with leader election in its
    // namespace, can run a whole migration: the ClusterRole and Role are sufficient.
    operator.stop();
    reconciler = new DatabaseMigrationReconciler(OperatorConfig.defaults());
    operator =
        Main.create(
            OperatorConfig.defaults(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            // the Lease name the chart passes in DBGUARD_LEADER_ELECTION_LEASE_NAME
            new Main.Lease("dbguard-leader", ns),
            java.util.Set.of(),
            false,
            cluster.clientAs(ns, "dbguard"),
            reconciler);
    operator.start();
    try {
      setUpSqlite(ns);
      create(
          ns,
          sqliteMigration(
              "shop",
              "shop:v3",
              "sqlite3 \"${DATABASE_URL#sqlite:}\" \"ALTER TABLE items ADD COLUMN note TEXT\""));
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      assertThat(client.leases().inNamespace(ns).withName("dbguard-leader").get()).isNotNull();
      assertThat(client.v1().events().inNamespace(ns).list().getItems())
          .anyMatch(e -> "MigrationSucceeded".equals(e.getReason()));
    } finally {
      restart();
    }
    LOG.info("chart RBAC run took {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /** The example manifests (examples/k8s/*.yaml), in file order. */
  static List<HasMetadata> examples() throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    for (String f : List.of("examples/k8s/gate-rbac.yaml", "examples/k8s/shop.yaml")) {
      try (FileInputStream in = new FileInputStream(TestCluster.repoRoot().resolve(f).toFile())) {
        objects.addAll(client.load(in).items());
      }
    }
    return objects;
  }

  @Test
  void examplesAreAcceptedAndAMissingSecretStalls(@TestNamespace String ns) throws IOException {
    // as `kubectl apply -f gate-rbac.yaml -f shop.yaml` does: file order, DatabaseMigration
    // before its Deployment
    for (HasMetadata o : examples()) {
      o.getMetadata().setNamespace(ns);
      client.resource(o).create();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(ns, "shop").getStatus() != null
                    && "True".equals(condition(get(ns, "shop"), "Stalled")));
    DatabaseMigration m = get(ns, "shop");
    assertThat(Conditions.find(m.getStatus().getConditions(), "Stalled").getMessage())
        .contains("Secret/shop-db")
        .contains("PersistentVolumeClaim/shop-backups")
        .doesNotContain("Deployment/shop");
    assertThat(jobSteps(ns)).isEmpty();
  }

  /**
   * The examples applied with their prerequisites in place (connection Secret, backup claim), in
   * file order, in reverse and concurrently, each in a fresh namespace, twice: the attempt always
   * runs for the Deployment's image, never "for image null", and its first Job is created.
   */
  @Test
  void examplesInAnyOrderStartAnAttemptForTheWorkloadsImage() throws Exception {
    for (int round = 0; round < 2; round++) {
      for (String order : List.of("file", "reverse", "concurrent")) {
        String ns = cluster.createNamespace("examples-" + order);
        try {
          // nothing listens on port 1: the backup fails fast once it runs, which is fine here
          setUp(ns, "postgresql://shop:secret@127.0.0.1:1/shop");
          client
              .resource(
                  new PersistentVolumeClaimBuilder()
                      .withNewMetadata()
                      .withName("shop-backups")
                      .withNamespace(ns)
                      .endMetadata()
                      .withNewSpec()
                      .withAccessModes("ReadWriteOnce")
                      .withNewResources()
                      .withRequests(Map.of("storage", new Quantity("1Gi")))
                      .endResources()
                      .endSpec()
                      .build())
              .create();
          List<HasMetadata> objects = examples();
          objects.forEach(o -> o.getMetadata().setNamespace(ns));
          if (order.equals("reverse")) {
            java.util.Collections.reverse(objects);
          }
          if (order.equals("concurrent")) {
            objects.parallelStream().forEach(o -> client.resource(o).create());
          } else {
            objects.forEach(o -> client.resource(o).create());
          }
          String image = "registry.example.com/shop:2.4.0";
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    DatabaseMigration m = get(ns, "shop");
                    return m.getStatus() != null
                        && image.equals(m.getStatus().getImage())
                        && !jobSteps(ns).isEmpty();
                  });
          DatabaseMigration m = get(ns, "shop");
          assertThat(m.getStatus().getAttempt()).as(order).isEqualTo(1);
          assertThat(m.getStatus().getHistory()).extracting(h -> h.getImage()).containsOnly(image);
          assertThat(client.v1().events().inNamespace(ns).list().getItems())
              .as("%s: Events", order)
              .noneMatch(e -> e.getMessage() != null && e.getMessage().contains("image null"));
        } finally {
          cluster.deleteNamespace(ns);
        }
      }
    }
  }

  /**
   * A Job created but not in the informer's cache for its first 4 seconds (a lagging cache): each
   * step is launched once, and the final message keeps the data-loss findings.
   */
  @Test
  void aLaggingJobCacheNeitherRelaunchesNorLosesTheCause(@TestNamespace String ns)
      throws Exception {
    String db = createPgDatabase();
    setUp(ns, pgUrl(db));
    Set<String> jobUids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.fabric8.kubernetes.client.Watch jobWatch =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .watch(
                new io.fabric8.kubernetes.client.Watcher<Job>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    if (action == Action.ADDED) {
                      jobUids.add(job.getMetadata().getUid());
                    }
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                });
    reconciler.setCacheView(
        jobs ->
            jobs.stream()
                .filter(
                    j ->
                        java.time.ZonedDateTime.parse(j.getMetadata().getCreationTimestamp())
                            .toInstant()
                            .isBefore(java.time.Instant.now().minusSeconds(4)))
                .toList());
    try {
      create(ns, pgMigration("shop", "shop:v2", psql("DELETE FROM items WHERE id > 1")));
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
      assertThat(m.getStatus().getReason()).isEqualTo("DataLossDetected");
      assertThat(m.getStatus().getMessage())
          .contains("after DataLossDetected: ")
          .contains("; restoring backup")
          .doesNotContain("resuming");
      assertThat(jobSteps(ns)).containsExactlyInAnyOrder("backup", "migrate", "verify", "restore");
      assertThat(jobUids).as("Jobs ever created").hasSize(4);
      assertThat(pgCount(db, "items")).isEqualTo(3);
    } finally {
      reconciler.setCacheView(java.util.function.UnaryOperator.identity());
      jobWatch.close();
    }
  }

  // ------------------------------------------------------------------ fixtures

  static void setUp(String ns, String url) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-db")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("url", url))
                .build())
        .create();
    pvc(ns, "backups");
  }

  static void setUpSqlite(String ns) throws SQLException {
    setUp(ns, "unused");
    pvc(ns, "data");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> cluster.node().volumePath(ns, "data") != null);
    Path file = cluster.node().volumePath(ns, "data").resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)");
      s.execute("INSERT INTO items(name) VALUES ('a'), ('b'), ('c')");
    }
  }

  static void pvc(String ns, String name) {
    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
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

  static void applyGateRbac(String ns) throws IOException {
    Path file = TestCluster.repoRoot().resolve("examples/k8s/gate-rbac.yaml");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      for (HasMetadata o : client.load(in).items()) {
        o.getMetadata().setNamespace(ns);
        client.resource(o).create();
      }
    }
  }

  static List<String> psql(String sql) {
    return List.of("sh", "-c", "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -q -c \"" + sql + "\"");
  }

  static DatabaseMigration pgMigration(String name, String image, List<String> command) {
    String yaml =
        """
        apiVersion: dbguard.io/v1alpha1
        kind: DatabaseMigration
        metadata: {name: %s}
        spec:
          database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
          migrate: {image: "%s", timeoutSeconds: 120}
          backup: {storage: {claimName: backups}}
          safety: {environment: production}
        """
            .formatted(name, image);
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    m.getSpec().getMigrate().setCommand(command);
    return m;
  }

  static DatabaseMigration sqliteMigration(String name, String image, String shell) {
    String yaml =
        """
        apiVersion: dbguard.io/v1alpha1
        kind: DatabaseMigration
        metadata: {name: %s}
        spec:
          database: {name: shop, engine: SQLite, volume: {claimName: data, path: app.db}}
          migrate: {image: "%s", timeoutSeconds: 120}
          backup: {storage: {claimName: backups}}
        """
            .formatted(name, image);
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    m.getSpec().getMigrate().setCommand(List.of("sh", "-c", shell));
    return m;
  }

  static Pod gatePod(String name, String serviceAccount, String image) {
    return gatePodWithTimeout(name, serviceAccount, image, 120);
  }

  static Pod gatePodWithTimeout(String name, String serviceAccount, String image, int timeout) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(serviceAccount)
        .withRestartPolicy("Never")
        .addNewInitContainer()
        .withName("dbguard-gate")
        .withImage("ghcr.io/dbguard/dbguard:0.1.0")
        .withCommand("dbguard")
        .withArgs(
            "gate",
            "--migration",
            "shop",
            "--image",
            image,
            "--timeout",
            String.valueOf(timeout),
            "--termination-log",
            "/dev/termination-log")
        .withTerminationMessagePath("/dev/termination-log")
        .endInitContainer()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .withCommand("sh", "-c", "exit 0")
        .endContainer()
        .endSpec()
        .build();
  }

  static ContainerStateTerminated gateTerminated(String ns, String pod) {
    Pod p = client.pods().inNamespace(ns).withName(pod).get();
    if (p == null || p.getStatus() == null || p.getStatus().getInitContainerStatuses() == null) {
      return null;
    }
    return p.getStatus().getInitContainerStatuses().stream()
        .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
        .map(s -> s.getState().getTerminated())
        .findFirst()
        .orElse(null);
  }

  static int awaitGateExit(String ns, String pod) {
    await().atMost(RUN_TIMEOUT).until(() -> gateTerminated(ns, pod) != null);
    return gateTerminated(ns, pod).getExitCode();
  }

  static String gateMessage(String ns, String pod) {
    return String.valueOf(gateTerminated(ns, pod).getMessage());
  }

  static void create(String ns, DatabaseMigration m) {
    m.getMetadata().setNamespace(ns);
    client.resource(m).create();
  }

  static DatabaseMigration get(String ns, String name) {
    return client.resources(DatabaseMigration.class).inNamespace(ns).withName(name).get();
  }

  static Phase phase(DatabaseMigration m) {
    return m == null || m.getStatus() == null ? null : m.getStatus().getPhase();
  }

  static boolean running(DatabaseMigration m) {
    return phase(m) != null && MigrationPlanner.RUNNING.contains(phase(m));
  }

  static boolean finished(DatabaseMigration m) {
    return phase(m) != null && MigrationPlanner.FINISHED.contains(phase(m));
  }

  static DatabaseMigration awaitFinished(String ns, String name) {
    await()
        .atMost(RUN_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> finished(get(ns, name)));
    return get(ns, name);
  }

  static String condition(DatabaseMigration m, String type) {
    var c = Conditions.find(m.getStatus().getConditions(), type);
    return c == null ? null : c.getStatus();
  }

  /** Status plus every pod's exit codes, termination messages and log tails (for failures). */
  static String describe(DatabaseMigration m) {
    StringBuilder b = new StringBuilder(Serialization.asYaml(m.getStatus()));
    String ns = m.getMetadata().getNamespace();
    for (Pod p : client.pods().inNamespace(ns).list().getItems()) {
      b.append("\n--- pod ").append(p.getMetadata().getName());
      if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
        for (var cs : p.getStatus().getContainerStatuses()) {
          var t = cs.getState() == null ? null : cs.getState().getTerminated();
          b.append("\n  ").append(cs.getName()).append(": ");
          b.append(
              t == null
                  ? "not terminated"
                  : "exit " + t.getExitCode() + " message " + t.getMessage());
          String logs = cluster.node().logs(ns, p.getMetadata().getName(), cs.getName());
          b.append("\n  logs: ")
              .append(logs.length() > 1500 ? logs.substring(logs.length() - 1500) : logs);
        }
      }
    }
    return b.toString();
  }

  static List<String> jobSteps(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
        .map(j -> j.getMetadata().getLabels().get("dbguard.io/step"))
        .collect(Collectors.toList());
  }

  // ------------------------------------------------------------------ databases

  record Pg(String host, int port, String user, String password) {
    static Pg fromEnv() {
      URI u = URI.create(System.getenv("DBGUARD_TEST_PG_URL"));
      String[] ui = u.getUserInfo().split(":", 2);
      return new Pg(u.getHost(), u.getPort(), ui[0], ui[1]);
    }

    Connection connect(String db) throws SQLException {
      return DriverManager.getConnection(
          "jdbc:postgresql://" + host + ":" + port + "/" + db, user, password);
    }
  }

  /** A fresh database with table items(id, name) holding 3 rows. */
  static String createPgDatabase() throws SQLException {
    String db = "dbm_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Pg pg = Pg.fromEnv();
    try (Connection c = pg.connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items(id int PRIMARY KEY, name text)");
      s.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    }
    return db;
  }

  static String pgUrl(String db) {
    Pg pg = Pg.fromEnv();
    return "postgresql://"
        + pg.user()
        + ":"
        + pg.password()
        + "@"
        + pg.host()
        + ":"
        + pg.port()
        + "/"
        + db;
  }

  static long pgCount(String db, String table) throws SQLException {
    try (Connection c = Pg.fromEnv().connect(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  static Set<String> columns(String db, String table) throws SQLException {
    try (Connection c = Pg.fromEnv().connect(db);
        ResultSet r = c.getMetaData().getColumns(null, "public", table, null)) {
      Set<String> cols = new java.util.HashSet<>();
      while (r.next()) {
        cols.add(r.getString("COLUMN_NAME"));
      }
      return cols;
    }
  }

  static List<String> sqliteTables(String ns) throws SQLException {
    Path file = cluster.node().volumePath(ns, "data").resolve("app.db");
    assertThat(Files.exists(file)).isTrue();
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      while (r.next()) {
        names.add(r.getString(1));
      }
    }
    return names;
  }

  static long sqliteCount(String ns, String table) throws SQLException {
    Path file = cluster.node().volumePath(ns, "data").resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
