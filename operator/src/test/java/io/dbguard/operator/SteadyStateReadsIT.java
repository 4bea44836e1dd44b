package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.ApprovalMode;
import io.dbguard.operator.model.ApprovalSpec;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RetentionState;
import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.operator.plan.Reason;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * No reconcile lists pods or DatabaseBackup records, also not the one whose retention plans over
 * the records (the record cache, {@code InformedCaches}). A steady-state reconcile reads only from
 * informer caches: with a migration that ran to {@code Succeeded} on real Jobs (its step pods
 * exist, its backup has a DatabaseBackup record), one waiting for a Secret, one waiting for the
 * Deployment whose image it copies and one awaiting approval whose plan Job is gone (its outcome is
 * in {@code status.plan}; a Job's TTL deletes it a day after it finished), a reconcile of each
 * makes no GET or LIST request for pods, Secrets, ConfigMaps, PersistentVolumeClaims, Deployments,
 * StatefulSets, Jobs or DatabaseBackups (the operator runs as the chart's ServiceAccount, every
 * request recorded). A waiting migration is not polled; the missing Secret's creation wakes it at
 * once.
 */
@WithTestCluster
class SteadyStateReadsIT {
  static TestCluster cluster;
  static KubernetesClient client;

  /** Resources no steady-state reconcile may GET or LIST. */
  private static final Set<String> CACHED =
      Set.of(
          "|pods",
          "|secrets",
          "|configmaps",
          "|persistentvolumeclaims",
          "apps|deployments",
          "apps|statefulsets",
          "batch|jobs",
          "dbguard.io|databasebackups");

  /**
   * Resources no reconcile may LIST at any time, also while the migration runs and its retention
   * plans (only the informers list them, before the operator has started).
   */
  /** The migrations whose steady-state reconciles are recorded. */
  private static final List<String> MIGRATIONS = List.of("done", "waiting", "copies", "approving");

  private static final Set<String> NEVER_LISTED = Set.of("|pods", "dbguard.io|databasebackups");

  @Test
  void steadyStateReconcilesMakeNoReadsAndAMissingSecretWakesItsMigration(@TestNamespace String ns)
      throws Exception {
    DatabaseMigrationIT.client = client;
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.mapImages(cluster);
    String operatorNs = cluster.createNamespace("dbguard-steady");
    DatabaseMigrationIT.installChartRbac("dbguard-steady", operatorNs);
    ApiCallRecorder calls = new ApiCallRecorder();
    Map<String, AtomicInteger> reconciles = new ConcurrentHashMap<>();
    DatabaseMigrationReconciler reconciler =
        new DatabaseMigrationReconciler(OperatorConfig.defaults()) {
          @Override
          public UpdateControl<DatabaseMigration> reconcile(
              DatabaseMigration m, Context<DatabaseMigration> context) {
            try {
              return super.reconcile(m, context);
            } finally {
              reconciles
                  .computeIfAbsent(m.getMetadata().getName(), k -> new AtomicInteger())
                  .incrementAndGet();
            }
          }
        };
    Operator operator =
        Main.create(
            OperatorConfig.defaults(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            null,
            Set.of(ns),
            false,
            calls.wrap(cluster.clientAs(operatorNs, "dbguard-steady")),
            reconciler);
    operator.start();
    calls.startLog(); // the informers have listed: every LIST from now on is a reconcile's
    try {
      DatabaseMigrationIT.setUpSqlite(ns);
      DatabaseMigrationIT.create(
          ns,
          DatabaseMigrationIT.sqliteMigration(
              "done", "shop:v2", "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE t2(x);\""));
      DatabaseMigration waiting =
          DatabaseMigrationIT.pgMigration("waiting", "shop:v2", List.of("true"));
      waiting.getSpec().getDatabase().getUrlSecretRef().setName("late-db");
      waiting.getSpec().getDatabase().setName("other");
      DatabaseMigrationIT.create(ns, waiting);
      DatabaseMigration copies =
          DatabaseMigrationIT.pgMigration("copies", "shop:v2", List.of("true"));
      copies.getSpec().getDatabase().setName("third");
      copies.getSpec().getMigrate().setImage(null);
      WorkloadRef app = new WorkloadRef();
      app.setKind(WorkloadKind.Deployment);
      app.setName("app");
      copies.getSpec().getMigrate().setFromWorkload(app);
      DatabaseMigrationIT.create(ns, copies);

      DatabaseMigration done = DatabaseMigrationIT.awaitFinished(ns, "done");
      assertThat(done.getStatus().getPhase())
          .as(DatabaseMigrationIT.describe(done))
          .isEqualTo(Phase.Succeeded);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> reason(ns, "waiting"), Reason.MISSING_REFERENCE::equals);
      // the image comes from the Deployment, which does not exist
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> reason(ns, "copies"), Reason.WAITING_FOR_WORKLOAD::equals);
      // retention has planned over the namespace's DatabaseBackup records (the done migration's own
      // record among them) from the record cache: no LIST of records or pods by any reconcile
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                DatabaseMigration d = DatabaseMigrationIT.get(ns, "done");
                return d.getStatus().getRetention() != null
                    && d.getStatus().getRetention().getState() == RetentionState.Done;
              });
      assertThat(
              client.resources(DatabaseBackup.class).inNamespace(ns).list().getItems().stream()
                  .map(b -> b.getSpec().getMigration()))
          .contains("done");
      // A migration awaiting approval: its plan's outcome is in status.plan, and its plan Job is
      // gone (as its TTL deletes it a day after it finished). Created once "done" has finished:
      // while it waits it holds the database.
      DatabaseMigration approving =
          DatabaseMigrationIT.sqliteMigration(
              "approving",
              "shop:v3",
              "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE t3(x);\"");
      approving.getSpec().setApproval(new ApprovalSpec());
      approving.getSpec().getApproval().setMode(ApprovalMode.Manual);
      DatabaseMigrationIT.create(ns, approving);
      await()
          .atMost(DatabaseMigrationIT.RUN_TIMEOUT)
          .until(
              () -> {
                DatabaseMigration a = DatabaseMigrationIT.get(ns, "approving");
                return a.getStatus() != null && a.getStatus().getPhase() == Phase.AwaitingApproval;
              });
      String planJob = DatabaseMigrationIT.get(ns, "approving").getStatus().getCurrent().getJob();
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(ns)
          .withName(planJob)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.batch().v1().jobs().inNamespace(ns).withName(planJob).get() == null);
      List<String> lists =
          calls.logged().stream()
              .filter(c -> c.contains("|list "))
              .filter(c -> NEVER_LISTED.stream().anyMatch(r -> c.startsWith(r + "|")))
              .toList();
      assertThat(lists).as("LIST requests of reconciles, from start to retention").isEmpty();
      Thread.sleep(2000); // the last status writes' own events are reconciled

      // Steady state: a reconcile of each, from an annotation (no generation change).
      calls.startLog();
      Map<String, Integer> before = Map.copyOf(counts(reconciles));
      for (String name : MIGRATIONS) {
        client
            .resources(DatabaseMigration.class)
            .inNamespace(ns)
            .withName(name)
            .edit(
                m -> {
                  if (m.getMetadata().getAnnotations() == null) {
                    m.getMetadata().setAnnotations(new java.util.HashMap<>());
                  }
                  m.getMetadata().getAnnotations().put("test.dbguard.io/poke", "1");
                  return m;
                });
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> MIGRATIONS.stream().allMatch(n -> counts(reconciles).get(n) > before.get(n)));
      Thread.sleep(1000);
      List<String> reads =
          calls.logged().stream()
              .filter(c -> c.contains("|get ") || c.contains("|list "))
              .filter(c -> CACHED.stream().anyMatch(r -> c.startsWith(r + "|")))
              .toList();
      assertThat(reads).as("GET/LIST requests of steady-state reconciles").isEmpty();
      assertThat(reason(ns, "waiting")).isEqualTo(Reason.MISSING_REFERENCE);
      assertThat(DatabaseMigrationIT.get(ns, "approving").getStatus().getPhase())
          .isEqualTo(Phase.AwaitingApproval);

      // Not polled: the Secret's creation is what wakes the waiting migration.
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("late-db")
                  .withNamespace(ns)
                  .endMetadata()
                  .withStringData(Map.of("url", "postgresql://127.0.0.1:1/none"))
                  .build())
          .create();
      await()
          .atMost(Duration.ofSeconds(4))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !Reason.MISSING_REFERENCE.equals(reason(ns, "waiting")));
    } finally {
      operator.stop();
    }
    assertThat(calls.outsidePermissions()).as("API calls outside OperatorPermissions").isEmpty();
  }

  private static Map<String, Integer> counts(Map<String, AtomicInteger> reconciles) {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (String n : MIGRATIONS) {
      AtomicInteger c = reconciles.get(n);
      out.put(n, c == null ? 0 : c.get());
    }
    return out;
  }

  private static String reason(String ns, String name) {
    DatabaseMigration m = DatabaseMigrationIT.get(ns, name);
    return m == null || m.getStatus() == null ? null : m.getStatus().getReason();
  }
}
