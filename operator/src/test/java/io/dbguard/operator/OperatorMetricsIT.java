package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The operator as {@link Main} wires it (JOSDK's Micrometer metrics and dbguard's meters on one
 * Prometheus registry, served on {@code /metrics}) reconciles DatabaseMigrations on the real
 * control plane; the scrape then holds every JOSDK counter the reconciles touched (events received
 * from the resource informer and from JOSDK's own timer and Job events, reconciliations started,
 * succeeded, failed and retried, the reconcile timer with its histogram buckets and outcome
 * counters, the executions and queue-size gauges) and dbguard's meters. Micrometer's Prometheus
 * registry drops (with one log line) a meter whose tag keys differ from an earlier meter of the
 * same name, so a missing series here is a dropped one. Every series and label the chart's
 * PrometheusRule and Grafana dashboard name is in that scrape ({@link PromQlReferences}).
 */
@WithTestCluster
class OperatorMetricsIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @Test
  void everyJosdkAndDbguardMeterIsScraped(@TestNamespace String ns) throws Exception {
    DatabaseMigrationIT.client = client;
    List<String> chartPromQl = new java.util.ArrayList<>();
    chartPromQl.addAll(PromQlReferences.ruleExpressions(PromQlReferences.rule()));
    chartPromQl.addAll(PromQlReferences.dashboardExpressions(PromQlReferences.dashboard()));
    assertThat(chartPromQl).hasSizeGreaterThan(10);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean failedOnce = new AtomicBoolean();
    // The production reconciler; for "fails-once" its first reconcile throws, as an unexpected
    // error would, so JOSDK counts a failed reconciliation and retries.
    DatabaseMigrationReconciler reconciler =
        new DatabaseMigrationReconciler(OperatorConfig.defaults()) {
          @Override
          public UpdateControl<DatabaseMigration> reconcile(
              DatabaseMigration m, Context<DatabaseMigration> context) {
            if (m.getMetadata().getName().equals("fails-once")
                && failedOnce.compareAndSet(false, true)) {
              throw new IllegalStateException("injected failure");
            }
            return super.reconcile(m, context);
          }
        };
    reconciler.setMetrics(new DbguardMetrics(registry));
    // Its own client: JOSDK closes the operator's client when the operator stops.
    KubernetesClient operatorClient =
        new KubernetesClientBuilder().withConfig(cluster.adminConfig()).build();
    Operator operator =
        Main.create(
            OperatorConfig.defaults(),
            registry,
            null,
            Set.of(ns),
            false,
            operatorClient,
            reconciler);
    HttpServer http = Main.startHttp(0, () -> true, () -> true, registry);
    operator.start();
    try {
      // A migration whose URL Secret does not exist: observed, planned and reported (status +
      // Event) without running a Job.
      DatabaseMigrationIT.create(
          ns, DatabaseMigrationIT.pgMigration("shop", "shop:v2", List.of("true")));
      DatabaseMigrationIT.create(
          ns, DatabaseMigrationIT.pgMigration("fails-once", "shop:v2", List.of("true")));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  DatabaseMigrationIT.phase(DatabaseMigrationIT.get(ns, "shop")) != null
                      && failedOnce.get()
                      && DatabaseMigrationIT.phase(DatabaseMigrationIT.get(ns, "fails-once"))
                          != null);
      String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/metrics";
      HttpClient c = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String body = MainHttpTest.get(c, url).body();
                assertThat(body)
                    .contains("operator_sdk_events_received_total{")
                    .contains("operator_sdk_reconciliations_started_total{")
                    .contains("operator_sdk_reconciliations_success_total{")
                    .contains("operator_sdk_reconciliations_failed_total{")
                    // JOSDK's reconcile timer (histogram buckets: p99 is computable), its
                    // outcome counters, its gauges, and the retry of the failed pass (JOSDK 5
                    // counts retries as tags of reconciliations_started, no meter of their own)
                    .contains("operator_sdk_controllers_execution_reconcile_seconds_bucket{")
                    .contains("operator_sdk_controllers_execution_reconcile_seconds_count{")
                    .contains("operator_sdk_controllers_execution_reconcile_success_total{")
                    .contains("operator_sdk_controllers_execution_reconcile_failure_total{")
                    .contains("reconciliations_retries_number=\"1\"")
                    .contains("operator_sdk_reconciliations_executions_databasemigration")
                    .contains("operator_sdk_reconciliations_queue_size_databasemigration")
                    .contains("dbguard_phase_transitions_total{")
                    .contains("dbguard_step_jobs_total")
                    .contains("dbguard_migrations_total{");
                // dbguard's step, findings and writes meters, with their labels, from start-up
                for (String step :
                    List.of(
                        "Analyze",
                        "Backup",
                        "SnapshotCheck",
                        "Migrate",
                        "Verify",
                        "Seed",
                        "Restore")) {
                  assertThat(body)
                      .contains("dbguard_step_duration_seconds_bucket{step=\"" + step + "\",le=\"")
                      .contains("dbguard_step_duration_seconds_count{step=\"" + step + "\"}")
                      .contains("dbguard_step_duration_seconds_sum{step=\"" + step + "\"}");
                }
                for (String level : List.of("refuse", "warn", "notice")) {
                  assertThat(body).contains("dbguard_findings_total{level=\"" + level + "\"} ");
                }
                assertThat(body).contains("\ndbguard_writes_after_backup_total ");
                for (String result : List.of("passed", "failed")) {
                  assertThat(lines(body, "dbguard_backup_verifications_total{result=\"" + result))
                      .containsExactly(
                          "dbguard_backup_verifications_total{result=\"" + result + "\"} 0.0");
                }
                // Both migrations are Pending (their Secret is missing): both hold a rollout back,
                // counted from the operator's informer cache at the scrape.
                assertThat(lines(body, "dbguard_rollouts_blocked "))
                    .containsExactly("dbguard_rollouts_blocked 2.0");
                // Every series and label matcher of the chart's PrometheusRule and dashboard.
                assertThat(PromQlReferences.missing(chartPromQl, body)).isEmpty();
                // Events of the resource informer (ResourceEvent, with an action) and of JOSDK's
                // own sources (Event: reschedules, Job informer) are both counted.
                assertThat(lines(body, "operator_sdk_events_received_total{"))
                    .anyMatch(l -> l.contains("event=\"ResourceEvent\""));
                assertThat(lines(body, "operator_sdk_events_received_total{"))
                    .anyMatch(l -> l.contains("event=\"Event\""));
              });
    } finally {
      operator.stop();
      http.stop(0);
    }
  }

  /**
   * A SQLite migration that fails and is restored, on real Jobs: each step Job (backup, migrate,
   * restore) is timed exactly once, from the Job's own start and completion times, and the backup's
   * verification counted once (passed), although the migration is reconciled many times meanwhile;
   * a restarted operator (same registry, as a new process would start from its recorded status)
   * records nothing again. The restore counted no writes after the backup (the failing migration's
   * own table is not the application's), so {@code dbguard_writes_after_backup_total} stays 0; the
   * rolled-back migration holds its rollout back.
   */
  @Test
  void eachRealStepJobIsTimedOnceAcrossReconcilesAndARestart(@TestNamespace String ns)
      throws Exception {
    DatabaseMigrationIT.client = client;
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.mapImages(cluster);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = startOperator(registry, ns);
    try {
      DatabaseMigrationIT.setUpSqlite(ns);
      DatabaseMigrationIT.create(
          ns,
          DatabaseMigrationIT.sqliteMigration(
              "shop",
              "shop:v2",
              "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE junk(x); INSERT INTO nosuch"
                  + " VALUES (1);\""));
      DatabaseMigration m = DatabaseMigrationIT.awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase())
          .as(DatabaseMigrationIT.describe(m))
          .isEqualTo(Phase.RolledBack);
      assertThat(DatabaseMigrationIT.jobSteps(ns))
          .containsExactlyInAnyOrder("backup", "migrate", "restore");
      String body = registry.scrape();
      for (String step : List.of("Backup", "Migrate", "Restore")) {
        assertThat(lines(body, "dbguard_step_duration_seconds_count{step=\"" + step + "\"}"))
            .as(step)
            .singleElement()
            .extracting(OperatorMetricsIT::value)
            .isEqualTo(1.0);
      }
      for (String step : List.of("Analyze", "Verify", "Seed", "SnapshotCheck")) {
        assertThat(lines(body, "dbguard_step_duration_seconds_count{step=\"" + step + "\"}"))
            .singleElement()
            .extracting(OperatorMetricsIT::value)
            .isEqualTo(0.0);
      }
      assertThat(lines(body, "dbguard_writes_after_backup_total "))
          .containsExactly("dbguard_writes_after_backup_total 0.0");
      assertThat(lines(body, "dbguard_rollouts_blocked "))
          .containsExactly("dbguard_rollouts_blocked 1.0");
      assertThat(lines(body, "dbguard_migrations_total{result=\"rolledback\"}"))
          .singleElement()
          .extracting(OperatorMetricsIT::value)
          .isEqualTo(1.0);
      // The backup Job verified its backup: one result, counted once.
      assertThat(lines(body, "dbguard_backup_verifications_total{result=\"passed\"}"))
          .singleElement()
          .extracting(OperatorMetricsIT::value)
          .isEqualTo(1.0);
      assertThat(lines(body, "dbguard_backup_verifications_total{result=\"failed\"}"))
          .singleElement()
          .extracting(OperatorMetricsIT::value)
          .isEqualTo(0.0);

      // A restart: the recorded status no longer names a running Job; nothing is timed again.
      operator.stop();
      double reconciled = reconcilesStarted(registry.scrape());
      assertThat(reconciled).isGreaterThan(3);
      operator = startOperator(registry, ns);
      DatabaseMigration before = DatabaseMigrationIT.get(ns, "shop");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> reconcilesStarted(registry.scrape()) > reconciled);
      Thread.sleep(2000);
      assertThat(DatabaseMigrationIT.get(ns, "shop").getStatus().getPhase())
          .isEqualTo(before.getStatus().getPhase());
      String after = registry.scrape();
      for (String step : List.of("Backup", "Migrate", "Restore")) {
        assertThat(lines(after, "dbguard_step_duration_seconds_count{step=\"" + step + "\"}"))
            .singleElement()
            .extracting(OperatorMetricsIT::value)
            .isEqualTo(1.0);
      }
      assertThat(lines(after, "dbguard_backup_verifications_total{result=\"passed\"}"))
          .singleElement()
          .extracting(OperatorMetricsIT::value)
          .isEqualTo(1.0);
    } finally {
      operator.stop();
    }
  }

  /**
   * The analyze step on a real Job: the app image's init container copies the migrations, {@code
   * dbguard lint … --termination-log /dev/termination-log} refuses a DROP TABLE and warns on an
   * index build; the operator blocks the attempt, records the counts in {@code status.findings} and
   * in {@code dbguard_findings_total{level}}, and times the Job once.
   */
  @Test
  void aRealAnalyzeStepReportsItsFindingsByLevel(@TestNamespace String ns) throws Exception {
    DatabaseMigrationIT.client = client;
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.mapImages(cluster);
    // Not under /tmp: the local node maps a container's /tmp to the pod's own directory.
    java.nio.file.Path migrations =
        java.nio.file.Files.createDirectories(
            io.dbguard.testcluster.TestCluster.repoRoot()
                .resolve("operator/target/it-migrations/" + ns));
    java.nio.file.Files.writeString(migrations.resolve("V1__drop.sql"), "DROP TABLE items;\n");
    java.nio.file.Files.writeString(
        migrations.resolve("V2__index.sql"), "CREATE INDEX i ON items (name);\n");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = startOperator(registry, ns);
    try {
      DatabaseMigrationIT.setUpSqlite(ns);
      // A migrations path the app image does not have: the copy fails, and that is no analysis
      // result (cp's exit 1 is not lint's "warnings").
      DatabaseMigration broken = DatabaseMigrationIT.sqliteMigration("broken", "shop:v2", "true");
      broken.getSpec().setSafety(new io.dbguard.operator.model.SafetySpec());
      broken.getSpec().getSafety().setMigrationsPath(migrations.resolve("missing").toString());
      DatabaseMigrationIT.create(ns, broken);
      broken = DatabaseMigrationIT.awaitFinished(ns, "broken");
      assertThat(broken.getStatus().getPhase())
          .as(DatabaseMigrationIT.describe(broken))
          .isEqualTo(Phase.Failed);
      assertThat(broken.getStatus().getReason()).isEqualTo("AnalysisFailed");
      assertThat(broken.getStatus().getMessage())
          .contains("init container copy-migrations exited with 1")
          .contains("the database was not touched");
      assertThat(broken.getStatus().getFindings()).isNull();
      assertThat(DatabaseMigrationIT.jobSteps(ns)).containsExactly("analyze");
      client.resource(broken).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> DatabaseMigrationIT.get(ns, "broken") == null);

      DatabaseMigration m = DatabaseMigrationIT.sqliteMigration("shop", "shop:v2", "true");
      m.getSpec().setSafety(new io.dbguard.operator.model.SafetySpec());
      m.getSpec().getSafety().setMigrationsPath(migrations.toString());
      DatabaseMigrationIT.create(ns, m);
      m = DatabaseMigrationIT.awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase())
          .as(DatabaseMigrationIT.describe(m))
          .isEqualTo(Phase.Blocked);
      assertThat(m.getStatus().getReason()).isEqualTo("AnalysisRefused");
      assertThat(m.getStatus().getFindings().getRefuse()).isEqualTo(1);
      assertThat(m.getStatus().getFindings().getWarn()).isEqualTo(1);
      assertThat(m.getStatus().getFindings().getSummary()).startsWith("1 refused (DBG101");
      assertThat(DatabaseMigrationIT.jobSteps(ns)).contains("analyze").doesNotContain("backup");
      String body = registry.scrape();
      assertThat(lines(body, "dbguard_findings_total{level=\"refuse\"}"))
          .singleElement()
          .extracting(OperatorMetricsIT::value)
          .isEqualTo(1.0);
      assertThat(lines(body, "dbguard_findings_total{level=\"warn\"}"))
          .singleElement()
          .extracting(OperatorMetricsIT::value)
          .isEqualTo(1.0);
      // both analyze Jobs (the failed copy and the refusal) are timed, once each
      assertThat(lines(body, "dbguard_step_duration_seconds_count{step=\"Analyze\"}"))
          .singleElement()
          .extracting(OperatorMetricsIT::value)
          .isEqualTo(2.0);
    } finally {
      operator.stop();
    }
  }

  private static Operator startOperator(PrometheusMeterRegistry registry, String ns) {
    DatabaseMigrationReconciler reconciler =
        new DatabaseMigrationReconciler(OperatorConfig.defaults());
    reconciler.setMetrics(new DbguardMetrics(registry));
    Operator operator =
        Main.create(
            OperatorConfig.defaults(),
            registry,
            null,
            Set.of(ns),
            false,
            new KubernetesClientBuilder().withConfig(cluster.adminConfig()).build(),
            reconciler);
    operator.start();
    return operator;
  }

  /** The value of one sample line ({@code name{labels} value}). */
  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** Sum of {@code operator_sdk_reconciliations_started_total} in a scrape. */
  private static double reconcilesStarted(String body) {
    return lines(body, "operator_sdk_reconciliations_started_total").stream()
        .mapToDouble(OperatorMetricsIT::value)
        .sum();
  }

  private static List<String> lines(String body, String prefix) {
    return body.lines().filter(l -> l.startsWith(prefix)).toList();
  }
}
