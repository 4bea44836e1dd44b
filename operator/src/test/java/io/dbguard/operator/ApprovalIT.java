package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.columns;
import static io.dbguard.operator.DatabaseMigrationIT.condition;
import static io.dbguard.operator.DatabaseMigrationIT.createPgDatabase;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.get;
import static io.dbguard.operator.DatabaseMigrationIT.pgUrl;
import static io.dbguard.operator.DatabaseMigrationIT.setUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.ApprovalState;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.PlanStatus;
import io.dbguard.testcluster.ImageMapping;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.approval} on the real control plane, the operator authenticated as the chart's
 * ServiceAccount (namespaced install): the plan Job runs the real {@code dbguard plan} against the
 * real PostgreSQL server for the built-in SQL runner's ConfigMap, the migration waits in
 * AwaitingApproval until the exact revision is approved, and nothing but the plan Job ran until
 * then.
 */
@WithTestCluster
class ApprovalIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    assertThat(System.getenv("DBGUARD_TEST_PG_URL")).isNotBlank();
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.cluster = cluster;
    WriteFenceIT.client = client;
    cluster.node().mapExecutable("dbguard", ImageMapping.javaCommand("io.dbguard.cli.Main"));
    cluster
        .node()
        .mapImage("ghcr.io/dbguard/dbguard*", ImageMapping.javaMain("io.dbguard.cli.Main"));
  }

  @Test
  void manualApprovalWaitsIgnoresOtherRevisionsSurvivesARestartAndRunsTheApprovedRevision(
      @TestNamespace String ns) throws Exception {
    String db = database();
    setUp(ns, pgUrl(db));
    sql(ns, "shop-sql");
    Operator op = WriteFenceIT.chartOperator(ns);
    try {
      DatabaseMigrationIT.create(ns, sqlMigration("shop-sql", null));
      DatabaseMigration m = awaitPhase(ns, Phase.AwaitingApproval);
      String rev = m.getStatus().getRevision();
      PlanStatus plan = m.getStatus().getPlan();
      assertThat(plan).as(describe(m)).isNotNull();
      assertThat(plan.getRevision()).isEqualTo(rev);
      assertThat(plan.getJob()).isEqualTo("shop-plan-" + rev);
      assertThat(plan.getPendingSource()).isEqualTo("flyway");
      assertThat(plan.getPendingCount()).isEqualTo(2);
      assertThat(plan.getPending()).containsExactly("V1", "V2");
      assertThat(plan.getDatabaseSizeBytes()).isPositive();
      assertThat(plan.getEstimatedBackupSeconds()).isNotNull();
      assertThat(plan.getApproval()).isEqualTo(ApprovalState.Waiting);
      String since = plan.getAwaitingSince();
      assertThat(since).isNotNull();
      assertThat(condition(m, "Ready")).isEqualTo("False");
      assertThat(condition(m, "Stalled")).isEqualTo("False");
      assertThat(m.getStatus().getMessage()).contains("dbguard.io/approve=" + rev);
      assertThat(jobSteps(ns)).containsExactly("plan");
      assertThat(columns(db, "orders")).isEmpty();

      // an approval for another revision is ignored, and said so
      approve(ns, "0ld0ld00");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.v1().events().inNamespace(ns).list().getItems().stream()
                      .anyMatch(
                          e ->
                              "ApprovalIgnored".equals(e.getReason())
                                  && e.getMessage().contains("0ld0ld00")));
      m = get(ns, "shop");
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.AwaitingApproval);
      assertThat(m.getStatus().getPlan().getIgnoredApproval()).isEqualTo("0ld0ld00");
      assertThat(m.getStatus().getMessage()).contains("dbguard.io/approve=0ld0ld00 was ignored");
      assertThat(jobSteps(ns)).containsExactly("plan");

      // the operator restarts while waiting: it keeps waiting, from status
      op.stop();
      op = WriteFenceIT.chartOperator(ns);
      Thread.sleep(3000);
      m = get(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.AwaitingApproval);
      assertThat(m.getStatus().getRevision()).isEqualTo(rev);
      assertThat(m.getStatus().getPlan().getAwaitingSince()).isEqualTo(since);
      assertThat(jobSteps(ns)).containsExactly("plan");
      assertThat(columns(db, "orders")).isEmpty();

      // the approved revision runs
      approve(ns, rev);
      m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      assertThat(m.getStatus().getRevision()).isEqualTo(rev);
      assertThat(m.getStatus().getPlan().getApproval()).isEqualTo(ApprovalState.Approved);
      assertThat(m.getStatus().getHistory()).hasSize(1);
      assertThat(columns(db, "orders")).contains("id", "note");
      assertThat(jobSteps(ns)).containsExactlyInAnyOrder("plan", "backup", "migrate", "verify");
    } finally {
      op.stop();
    }
  }

  @Test
  void anApprovalOfTheRevisionBeforeASpecChangeDoesNothingAndMaxWaitBlocks(@TestNamespace String ns)
      throws Exception {
    String db = database();
    setUp(ns, pgUrl(db));
    sql(ns, "shop-sql");
    sql(ns, "shop-sql-2");
    Operator op = WriteFenceIT.chartOperator(ns);
    try {
      DatabaseMigrationIT.create(ns, sqlMigration("shop-sql", null));
      String first = awaitPhase(ns, Phase.AwaitingApproval).getStatus().getRevision();

      // the spec changes (another SQL directory): a new attempt with its own plan
      edit(ns, m -> m.getSpec().getMigrate().getSql().setConfigMapName("shop-sql-2"));
      await()
          .atMost(DatabaseMigrationIT.RUN_TIMEOUT)
          .until(
              () -> {
                // one read: phase and revision of the same status (two reads could straddle the
                // status write that supersedes the first revision)
                DatabaseMigration x = get(ns, "shop");
                return x.getStatus().getPhase() == Phase.AwaitingApproval
                    && !first.equals(x.getStatus().getRevision())
                    && x.getStatus().getPlan() != null;
              });
      String second = get(ns, "shop").getStatus().getRevision();

      // approving what was shown before the change runs nothing
      approve(ns, first);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.equals(get(ns, "shop").getStatus().getPlan().getIgnoredApproval()));
      DatabaseMigration m = get(ns, "shop");
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.AwaitingApproval);
      assertThat(m.getStatus().getRevision()).isEqualTo(second);
      assertThat(jobSteps(ns)).containsOnly("plan").hasSize(2);
      assertThat(columns(db, "orders")).isEmpty();

      // maxWaitSeconds is not part of the revision: it applies to the waiting attempt
      edit(ns, x -> x.getSpec().getApproval().setMaxWaitSeconds(5L));
      m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Blocked);
      assertThat(m.getStatus().getReason()).isEqualTo("ApprovalTimedOut");
      assertThat(m.getStatus().getMessage()).contains("not approved within maxWaitSeconds 5");
      assertThat(m.getStatus().getRevision()).isEqualTo(second);
      assertThat(m.getStatus().getPlan().getApproval()).isEqualTo(ApprovalState.TimedOut);
      assertThat(jobSteps(ns)).containsOnly("plan");
      assertThat(columns(db, "orders")).isEmpty();
    } finally {
      op.stop();
    }
  }

  /**
   * A fresh database whose data (3 rows) is in schema legacy: the SQL runner's Flyway migrates an
   * empty public schema, and the backup has something to protect.
   */
  private static String database() throws Exception {
    String db = createPgDatabase();
    try (java.sql.Connection c = DatabaseMigrationIT.Pg.fromEnv().connect(db);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA legacy");
      s.execute("ALTER TABLE items SET SCHEMA legacy");
    }
    return db;
  }

  /** A ConfigMap for the built-in SQL runner: V1 creates orders, V2 adds a column. */
  private static void sql(String ns, String name) {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withData(
                    Map.of(
                        "V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n",
                        "V2__orders_note.sql", "ALTER TABLE orders ADD COLUMN note text;\n"))
                .build())
        .create();
  }

  private static DatabaseMigration sqlMigration(String configMap, Long maxWait) {
    String yaml =
        """
        apiVersion: dbguard.io/v1alpha1
        kind: DatabaseMigration
        metadata: {name: shop}
        spec:
          database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
          migrate: {sql: {configMapName: %s}, timeoutSeconds: 120}
          backup: {storage: {claimName: backups}}
          approval: {mode: Manual}
        """
            .formatted(configMap);
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    m.getSpec().getApproval().setMaxWaitSeconds(maxWait);
    return m;
  }

  private static DatabaseMigration awaitPhase(String ns, Phase phase) {
    await()
        .atMost(DatabaseMigrationIT.RUN_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              DatabaseMigration m = get(ns, "shop");
              return m != null && m.getStatus() != null && m.getStatus().getPhase() == phase;
            });
    return get(ns, "shop");
  }

  /** Sets {@code dbguard.io/approve} on DatabaseMigration {@code shop} to {@code value}. */
  static void approve(String ns, String value) {
    client
        .resources(DatabaseMigration.class)
        .inNamespace(ns)
        .withName("shop")
        .edit(
            m -> {
              Map<String, String> a =
                  m.getMetadata().getAnnotations() == null
                      ? new java.util.HashMap<>()
                      : new java.util.HashMap<>(m.getMetadata().getAnnotations());
              a.put(DatabaseMigration.APPROVE_ANNOTATION, value);
              m.getMetadata().setAnnotations(a);
              return m;
            });
  }

  /** Edits the spec, retried on 409 (the operator writes status meanwhile). */
  static void edit(String ns, java.util.function.Consumer<DatabaseMigration> change) {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              DatabaseMigration m = get(ns, "shop");
              change.accept(m);
              client.resource(m).update();
              return true;
            });
  }

  /** The steps of the namespace's step Jobs (the prune Job has none). */
  private static List<String> jobSteps(String ns) {
    return DatabaseMigrationIT.jobSteps(ns).stream().filter(java.util.Objects::nonNull).toList();
  }
}
