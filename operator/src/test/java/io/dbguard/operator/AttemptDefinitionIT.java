package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Revisions;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An attempt is defined by what changes the migration (AttemptDefinition): editing anything else on
 * a Succeeded migration starts nothing, an attempt recorded by dbguard 0.1 is not restarted by the
 * upgrade, and editing the command does start one. The operator runs with the chart's
 * ServiceAccount and RBAC; SQLite on a claim of the local node.
 */
@WithTestCluster
class AttemptDefinitionIT {
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);
  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    DatabaseMigrationIT.mapImages(cluster);
  }

  @Test
  void onlyAnAttemptFieldStartsAnAttemptAlsoAcrossTheUpgrade(@TestNamespace String ns)
      throws Exception {
    Operator operator = startAsChart(ns);
    try {
      setUpSqlite(ns);
      DatabaseMigration m =
          Serialization.unmarshal(
              """
              apiVersion: dbguard.io/v1alpha1
              kind: DatabaseMigration
              metadata: {name: shop, namespace: %s}
              spec:
                database: {name: shop, engine: SQLite, volume: {claimName: data, path: app.db}}
                migrate:
                  image: "shop:v2"
                  timeoutSeconds: 120
                  command: [sh, -c, "sqlite3 \\"${DATABASE_URL#sqlite:}\\" \\"ALTER TABLE items ADD COLUMN note TEXT\\""]
                backup: {storage: {claimName: backups}, retention: {keepLast: 10}}
              """
                  .formatted(ns),
              DatabaseMigration.class);
      client.resource(m).create();
      m = awaitFinished(ns, 1);
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
      List<String> jobs = jobNames(ns);
      assertThat(jobs).hasSize(3);

      // Fields outside the attempt: retention, job TTL, onFailure, rollout, a label.
      m =
          edit(
              ns,
              x -> {
                x.getSpec().getBackup().getRetention().setKeepLast(2);
                x.getSpec().setJobTtlSeconds(600);
                x.getSpec().setOnFailure(io.dbguard.operator.model.OnFailure.Halt);
                x.getMetadata().setLabels(Map.of("team", "payments"));
                return x;
              });
      awaitObserved(ns, m.getMetadata().getGeneration());
      m = get(ns);
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(m.getStatus().getAttempt()).isEqualTo(1);
      assertThat(jobNames(ns)).isEqualTo(jobs);

      // Upgrade from 0.1: the operator stops, the status carries 0.1's whole-spec revision.
      operator.stop();
      m = get(ns); // read after the stop: the operator may have written status (retention) since
      String legacy = Revisions.legacy(m.getSpec(), "shop:v2", null);
      String current = m.getStatus().getRevision();
      assertThat(legacy).isNotEqualTo(current);
      DatabaseMigrationStatus st = m.getStatus();
      st.setRevision(legacy);
      st.setLastSucceededRevision(legacy);
      client.resource(m).updateStatus();
      operator = startAsChart(ns);
      await().atMost(RUN_TIMEOUT).until(() -> current.equals(get(ns).getStatus().getRevision()));
      m = get(ns);
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(m.getStatus().getLastSucceededRevision()).isEqualTo(current);
      assertThat(m.getStatus().getAttempt()).isEqualTo(1);
      assertThat(jobNames(ns)).isEqualTo(jobs);

      // An attempt field: the command.
      edit(
          ns,
          x -> {
            x.getSpec()
                .getMigrate()
                .setCommand(
                    List.of(
                        "sh",
                        "-c",
                        "sqlite3 \"${DATABASE_URL#sqlite:}\" \"ALTER TABLE items ADD COLUMN tag TEXT\""));
            return x;
          });
      m = awaitFinished(ns, 2);
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(jobNames(ns)).hasSize(6);
    } finally {
      operator.stop();
    }
  }

  static Operator startAsChart(String ns) {
    String yaml =
        new com.marcnuri.helm.Helm(TestCluster.repoRoot().resolve("helm/dbguard"))
            .template()
            .withName("dbguard")
            .withNamespace(ns)
            .set("replicas", 0)
            .call();
    for (HasMetadata o : client.load(new ByteArrayInputStream(yaml.getBytes())).items()) {
      client.resource(o).forceConflicts().serverSideApply();
    }
    Operator operator =
        Main.create(
            OperatorConfig.defaults(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new Main.Lease("dbguard-leader", ns),
            Set.of(),
            false,
            cluster.clientAs(ns, "dbguard"),
            new DatabaseMigrationReconciler(OperatorConfig.defaults()));
    operator.start();
    return operator;
  }

  static DatabaseMigration get(String ns) {
    return client.resources(DatabaseMigration.class).inNamespace(ns).withName("shop").get();
  }

  static DatabaseMigration edit(String ns, UnaryOperator<DatabaseMigration> change) {
    return client.resources(DatabaseMigration.class).inNamespace(ns).withName("shop").edit(change);
  }

  static DatabaseMigration awaitFinished(String ns, int attempt) {
    await()
        .atMost(RUN_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              DatabaseMigration x = get(ns);
              return x.getStatus() != null
                  && x.getStatus().getAttempt() != null
                  && x.getStatus().getAttempt() == attempt
                  && MigrationPlanner.FINISHED.contains(x.getStatus().getPhase());
            });
    return get(ns);
  }

  /** Waits until the operator has reconciled {@code generation} (status.observedGeneration). */
  static void awaitObserved(String ns, long generation) {
    await()
        .atMost(RUN_TIMEOUT)
        .until(
            () -> {
              Long g = get(ns).getStatus().getObservedGeneration();
              return g != null && g >= generation;
            });
  }

  static List<String> jobNames(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
        .map(j -> j.getMetadata().getName())
        .sorted()
        .collect(Collectors.toList());
  }

  static void setUpSqlite(String ns) throws Exception {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-db")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("url", "unused"))
                .build())
        .create();
    pvc(ns, "backups");
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
}
