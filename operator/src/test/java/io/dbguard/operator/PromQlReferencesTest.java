package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every series the chart's PrometheusRule names is one a freshly started operator registers ({@link
 * DbguardMetrics} with its JVM and process binders), with the labels the rule selects on; and the
 * check itself fails on a misspelt name or label value.
 */
class PromQlReferencesTest {

  private static String freshScrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new DbguardMetrics(registry);
    return registry.scrape();
  }

  @Test
  void everyRuleExpressionNamesRegisteredSeries() throws Exception {
    List<String> exprs = PromQlReferences.ruleExpressions(PromQlReferences.rule());
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(4);
    assertThat(PromQlReferences.missing(exprs, freshScrape())).isEmpty();
  }

  @Test
  void everyDashboardQueryNamesRegisteredDbguardAndJvmSeries() throws Exception {
    List<String> exprs = PromQlReferences.dashboardExpressions(PromQlReferences.dashboard());
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
    assertThat(PromQlReferences.missing(exprs, freshScrape())).isEmpty();
    // only dbguard's and the JVM/process meters: nothing that needs another exporter
    assertThat(exprs.stream().flatMap(e -> PromQlReferences.metricNames(e).stream()))
        .allMatch(
            n -> n.startsWith("dbguard_") || n.startsWith("jvm_") || n.startsWith("process_"));
  }

  @Test
  void theCheckFindsUnknownNamesAndLabelValues() {
    String scrape = freshScrape();
    assertThat(
            PromQlReferences.missing(
                List.of(
                    "increase(dbguard_restore_total{result=\"failed\"}[15m]) > 0",
                    "sum by (result) (increase(dbguard_migrations_total{result=\"rolled_back\"}[1h]))",
                    "histogram_quantile(0.95, sum by (le, step) (rate(dbguard_step_duration_seconds_bucket{step=~\"Backup|Migrate\"}[5m])))",
                    "max(dbguard_rollouts_blocked) > 0 and on() vector(1)",
                    "jvm_memory_used_bytes{area=\"heap\"} / jvm_memory_max_byte{area=\"heap\"}"),
                scrape))
        .containsExactly(
            "dbguard_restore_total (in increase(dbguard_restore_total{result=\"failed\"}[15m]) > 0)",
            "dbguard_migrations_total with {result=\"rolled_back\"} (in sum by (result)"
                + " (increase(dbguard_migrations_total{result=\"rolled_back\"}[1h])))",
            "jvm_memory_max_byte (in jvm_memory_used_bytes{area=\"heap\"} /"
                + " jvm_memory_max_byte{area=\"heap\"})");
    assertThat(PromQlReferences.metricNames("sum by (le) (rate(x_bucket[$__rate_interval]))"))
        .containsExactly("x_bucket");
  }
}
