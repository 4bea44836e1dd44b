package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.get;
import static io.dbguard.operator.DatabaseMigrationIT.jobSteps;
import static io.dbguard.operator.DatabaseMigrationIT.pgCount;
import static io.dbguard.operator.DatabaseMigrationIT.pgMigration;
import static io.dbguard.operator.DatabaseMigrationIT.pgUrl;
import static io.dbguard.operator.DatabaseMigrationIT.psql;
import static io.dbguard.operator.DatabaseMigrationIT.setUp;
import static io.dbguard.operator.WriteFenceIT.appDatabase;
import static io.dbguard.operator.WriteFenceIT.assertEveryAcknowledgedWriteIsThere;
import static io.dbguard.operator.WriteFenceIT.awaitAcks;
import static io.dbguard.operator.WriteFenceIT.awaitPods;
import static io.dbguard.operator.WriteFenceIT.chartOperator;
import static io.dbguard.operator.WriteFenceIT.marks;
import static io.dbguard.operator.WriteFenceIT.writerDeployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.OnFailure;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RolloutSpec;
import io.dbguard.operator.model.WriteFence;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code writeFence: ReadOnly} on the real control plane and the real PostgreSQL server, with the
 * operator as the chart's ServiceAccount in a namespaced install: the application's Deployment
 * keeps running (nothing is scaled) and inserts a row every 100 ms as its own role, recording each
 * insert the server acknowledged and each it refused. During the window the database refuses the
 * application's writes (SQLSTATE 25006) while the migration, as dbguard's role, writes; after the
 * outcome the fence is lifted, or held when the database was left unchecked.
 */
@WithTestCluster
class ReadOnlyFenceIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    assertThat(System.getenv("DBGUARD_TEST_PG_URL")).isNotBlank();
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.client = client;
    WriteFenceIT.cluster = cluster;
    DatabaseMigrationIT.mapImages(cluster);
  }

  @Test
  void succeededWritesRefusedDuringTheWindowNoAcknowledgedWriteLostFenceLifted(
      @TestNamespace String ns) throws Exception {
    App app = runningApp(ns, 2);
    String db = app.db();
    Path acks = app.acks();
    Path refused = app.refused();
    Operator op = chartOperator(ns);
    try {
      // the migration counts the application's rows twice, 3 s apart, as dbguard's role: equal
      // counts mean the application wrote nothing while the database was fenced
      DatabaseMigrationIT.create(
          ns,
          readOnly(
              pgMigration(
                  "shop",
                  "shop:v2",
                  psql(
                      "INSERT INTO marks SELECT count(*) FROM writes; SELECT pg_sleep(3);"
                          + " INSERT INTO marks SELECT count(*) FROM writes;"
                          + " ALTER TABLE writes ADD COLUMN note text"))));
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      awaitFenceState(ns, FenceState.Lifted);
      assertThat(marks(db))
          .hasSize(2)
          .as("writes during the migration")
          .containsOnly(marks(db).get(0));
      assertThat(Files.readAllLines(refused))
          .as("application writes refused by the fence")
          .isNotEmpty();
      assertThat(jobSteps(ns)).contains("fence", "unfence", "backup", "migrate", "verify");
      // nothing was scaled: the application kept its pods (and its reads) through the window
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
      long before = pgCount(db, "writes");
      await().atMost(Duration.ofSeconds(60)).until(() -> pgCount(db, "writes") > before);
      assertEveryAcknowledgedWriteIsThere(db, acks);
      assertThat(client.v1().events().inNamespace(ns).list().getItems())
          .anyMatch(e -> "FenceLifted".equals(e.getReason()));
    } finally {
      op.stop();
    }
  }

  @Test
  void haltedFenceIsHeldWithTheLiftCommandWhichLiftsIt(@TestNamespace String ns) throws Exception {
    App app = runningApp(ns, 1);
    String db = app.db();
    Path acks = app.acks();
    Path refused = app.refused();
    Operator op = chartOperator(ns);
    try {
      DatabaseMigration spec =
          readOnly(
              pgMigration(
                  "shop", "shop:v2", psql("ALTER TABLE writes ADD COLUMN bad int; SELECT 1/0")));
      spec.getSpec().setOnFailure(OnFailure.Halt);
      DatabaseMigrationIT.create(ns, spec);
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Failed);
      awaitFenceState(ns, FenceState.Held);
      m = get(ns, "shop");
      assertThat(m.getStatus().getMessage())
          .contains("write fence held (database read-only)")
          .contains("dbguard fence lift")
          .contains("Secret " + ns + "/shop-db");
      // held: the application still cannot write
      long count = pgCount(db, "writes");
      int refusedBefore = Files.readAllLines(refused).size();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readAllLines(refused).size() > refusedBefore + 3);
      assertThat(pgCount(db, "writes")).isEqualTo(count);

      // the documented way out: `dbguard fence lift` with the migration's DATABASE_URL, as a pod
      client.resource(liftPod()).inNamespace(ns).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> liftExit(ns) != null);
      assertThat(liftExit(ns)).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> pgCount(db, "writes") > count);
      assertEveryAcknowledgedWriteIsThere(db, acks);
    } finally {
      op.stop();
    }
  }

  @Test
  void rolledBackAfterAnOperatorRestartWhileFencedIsLiftedNoAcknowledgedWriteLost(
      @TestNamespace String ns) throws Exception {
    App app = runningApp(ns, 1);
    String db = app.db();
    Path acks = app.acks();
    Operator op = chartOperator(ns);
    try {
      DatabaseMigrationIT.create(
          ns,
          readOnly(
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
      // the operator stops while the database is fenced and comes back
      op.stop();
      assertThat(get(ns, "shop").getStatus().getFence().getState()).isEqualTo(FenceState.Fenced);
      Thread.sleep(2000);
      op = chartOperator(ns);
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
      awaitFenceState(ns, FenceState.Lifted);
      assertThat(DatabaseMigrationIT.columns(db, "writes")).doesNotContain("bad");
      long before = pgCount(db, "writes");
      await().atMost(Duration.ofSeconds(60)).until(() -> pgCount(db, "writes") > before);
      assertEveryAcknowledgedWriteIsThere(db, acks);
      // one raise and one lift Job for the attempt, whatever the restart
      assertThat(jobSteps(ns).stream().filter(s -> s.equals("fence"))).hasSize(1);
      assertThat(jobSteps(ns).stream().filter(s -> s.equals("unfence"))).hasSize(1);
    } finally {
      op.stop();
    }
  }

  @Test
  void dataLossCaughtByTheCheckIsRestoredFenceLiftedNoAcknowledgedWriteLost(
      @TestNamespace String ns) throws Exception {
    App app = runningApp(ns, 1);
    String db = app.db();
    Path acks = app.acks();
    Operator op = chartOperator(ns);
    try {
      // the migration succeeds but loses rows: the data check fails, the backup is restored
      DatabaseMigrationIT.create(
          ns,
          readOnly(
              pgMigration(
                  "shop",
                  "shop:v2",
                  psql("DELETE FROM writes WHERE id IN (SELECT id FROM writes LIMIT 2)"))));
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
      awaitFenceState(ns, FenceState.Lifted);
      long before = pgCount(db, "writes");
      await().atMost(Duration.ofSeconds(60)).until(() -> pgCount(db, "writes") > before);
      assertEveryAcknowledgedWriteIsThere(db, acks);
    } finally {
      op.stop();
    }
  }

  // ------------------------------------------------------------------ fixtures

  /**
   * The application under test: its database, and the files its pods append each acknowledged and
   * each refused insert to.
   */
  record App(String db, Path acks, Path refused) {}

  /**
   * A fresh database with Secret shop-db (dbguard's role) and app-db (the application's own role),
   * and {@code replicas} writer pods that have had at least 5 inserts acknowledged.
   */
  static App runningApp(String ns, int replicas) throws Exception {
    String db = appDatabase();
    setUp(ns, pgUrl(db));
    appSecret(ns, db);
    Path acks = Files.createTempFile("acks-", ".log");
    Path refused = Files.createTempFile("refused-", ".log");
    writerDeployment(ns, replicas, acks, "app-db", refused);
    awaitPods(ns, replicas);
    awaitAcks(acks, 5);
    return new App(db, acks, refused);
  }

  static DatabaseMigration readOnly(DatabaseMigration m) {
    RolloutSpec r = new RolloutSpec();
    r.setWriteFence(WriteFence.ReadOnly);
    m.getSpec().setRollout(r);
    return m;
  }

  /** A login role of the application's own (DML on writes) and Secret app-db with its URL. */
  static void appSecret(String ns, String db) throws Exception {
    String role = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String password = UUID.randomUUID().toString();
    try (Connection c = DatabaseMigrationIT.Pg.fromEnv().connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
      s.execute("GRANT SELECT, INSERT ON writes TO " + role);
    }
    DatabaseMigrationIT.Pg pg = DatabaseMigrationIT.Pg.fromEnv();
    String url =
        "postgresql://" + role + ":" + password + "@" + pg.host() + ":" + pg.port() + "/" + db;
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("app-db")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("url", url))
                .build())
        .create();
  }

  static Pod liftPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("fence-lift")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("dbguard")
        .withImage("ghcr.io/dbguard/dbguard:0.1.0")
        .withCommand("dbguard")
        .withArgs("fence", "lift")
        .addNewEnv()
        .withName("DATABASE_URL")
        .withNewValueFrom()
        .withNewSecretKeyRef("url", "shop-db", false)
        .endValueFrom()
        .endEnv()
        .endContainer()
        .endSpec()
        .build();
  }

  static Integer liftExit(String ns) {
    Pod p = client.pods().inNamespace(ns).withName("fence-lift").get();
    if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return p.getStatus().getContainerStatuses().stream()
        .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
        .map(s -> s.getState().getTerminated().getExitCode())
        .findFirst()
        .orElse(null);
  }

  static void awaitFenceState(String ns, FenceState state) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                get(ns, "shop").getStatus().getFence() != null
                    && get(ns, "shop").getStatus().getFence().getState() == state);
  }
}
