package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.testcluster.TestCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * dbguard's meters as Prometheus scrapes them from the operator's {@code /metrics}, after the phase
 * changes of a rolled-back attempt and of a failed restore; and every series the chart's
 * PrometheusRule uses exists there with the labels the rule selects on.
 */
class DbguardMetricsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  private static DatabaseMigrationStatus status(Phase phase, String reason) {
    DatabaseMigrationStatus s = new DatabaseMigrationStatus();
    s.setPhase(phase);
    s.setReason(reason);
    return s;
  }

  private static String scrape(PrometheusMeterRegistry registry) throws Exception {
    HttpServer http = Main.startHttp(0, () -> true, () -> true, registry);
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + http.getAddress().getPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    } finally {
      http.stop(0);
    }
  }

  private static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in /metrics", series).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void phaseChangesBecomeMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DbguardMetrics metrics = new DbguardMetrics(registry);

    // Attempt 1: backup (7 s, 12,345 bytes), migrate fails, restore succeeds: RolledBack.
    DatabaseMigrationStatus backingUp = status(Phase.BackingUp, "BackingUp");
    CurrentStep step = new CurrentStep();
    step.setStep("backup");
    step.setStartedAt(T0.toString());
    backingUp.setCurrent(step);
    DatabaseMigrationStatus migrating = status(Phase.Migrating, "Migrating");
    BackupStatusRef backup = new BackupStatusRef();
    backup.setName("shop_20260101_120000");
    backup.setSizeBytes(12_345L);
    migrating.setBackup(backup);
    DatabaseMigrationStatus restoring = status(Phase.Restoring, "MigrationFailed");
    metrics.phaseChanged(null, status(Phase.Pending, "Pending"), T0);
    metrics.phaseChanged(status(Phase.Pending, "Pending"), backingUp, T0);
    metrics.phaseChanged(backingUp, migrating, T0.plusSeconds(7));
    metrics.phaseChanged(migrating, restoring, T0.plusSeconds(9));
    metrics.phaseChanged(restoring, status(Phase.RolledBack, "RolledBack"), T0.plusSeconds(12));
    // The same phase again is not a transition.
    metrics.phaseChanged(
        status(Phase.RolledBack, "RolledBack"), status(Phase.RolledBack, "RolledBack"), T0);
    // Attempt 2: the restore itself fails.
    metrics.phaseChanged(restoring, status(Phase.Failed, "RestoreFailed"), T0.plusSeconds(20));
    metrics.jobCreated();

    String scrape = scrape(registry);
    assertThat(value(scrape, "dbguard_restores_total{result=\"succeeded\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_restores_total{result=\"failed\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_migrations_total{result=\"rolledback\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_migrations_total{result=\"failed\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_migrations_total{result=\"succeeded\"}")).isEqualTo(0.0);
    assertThat(value(scrape, "dbguard_phase_transitions_total{phase=\"Restoring\"}"))
        .isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_phase_transitions_total{phase=\"RolledBack\"}"))
        .isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_backup_size_bytes_sum")).isEqualTo(12_345.0);
    assertThat(value(scrape, "dbguard_backup_size_bytes_count")).isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_backup_duration_seconds_sum")).isEqualTo(7.0);
    assertThat(value(scrape, "dbguard_step_jobs_total")).isEqualTo(1.0);
    assertThat(scrape).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
    // Bounded labels: no resource names anywhere in dbguard's series.
    assertThat(scrape.lines().filter(l -> l.startsWith("dbguard_")))
        .noneMatch(l -> l.contains("shop"));
  }

  @Test
  void aRestoreOnRequestIsARestoreButNoMigrationAttempt() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DbguardMetrics metrics = new DbguardMetrics(registry);
    DatabaseMigrationStatus restoring = status(Phase.Restoring, "RestoreRequested");
    CurrentStep step = new CurrentStep();
    step.setStep("Restore");
    step.setRestoreCause(io.dbguard.operator.plan.RestoreRequests.RESTORE_REQUESTED);
    restoring.setCurrent(step);
    metrics.phaseChanged(status(Phase.Succeeded, "MigrationSucceeded"), restoring, T0);
    metrics.phaseChanged(restoring, status(Phase.RolledBack, "RestoreRequested"), T0);
    metrics.phaseChanged(restoring, status(Phase.Failed, "RestoreFailed"), T0);

    String scrape = scrape(registry);
    assertThat(value(scrape, "dbguard_restores_total{result=\"succeeded\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_restores_total{result=\"failed\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "dbguard_migrations_total{result=\"rolledback\"}")).isEqualTo(0.0);
    assertThat(value(scrape, "dbguard_migrations_total{result=\"failed\"}")).isEqualTo(0.0);
  }

  @Test
  void everySeriesThePrometheusRuleUsesIsExported() throws Exception {
    String rule =
        Files.readString(
            TestCluster.repoRoot().resolve("helm/dbguard/templates/prometheusrule.yaml"));
    List<String> selectors = new ArrayList<>();
    Matcher expr = Pattern.compile("(?m)^\\s*expr: (.*)$").matcher(rule);
    while (expr.find()) {
      Matcher sel = Pattern.compile("(dbguard_[a-z_]+)\\{([^}]*)}").matcher(expr.group(1));
      while (sel.find()) {
        selectors.add(sel.group(1) + "{" + sel.group(2) + "}");
      }
    }
    assertThat(selectors).hasSizeGreaterThanOrEqualTo(2);
    // A fresh operator: before any event, so alerts see the series at 0 (increase() works).
    String scrape = scrape(newRegistryWithMetrics());
    for (String selector : selectors) {
      assertThat(value(scrape, selector)).as(selector).isEqualTo(0.0);
    }
  }

  private static PrometheusMeterRegistry newRegistryWithMetrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new DbguardMetrics(registry);
    return registry;
  }
}
