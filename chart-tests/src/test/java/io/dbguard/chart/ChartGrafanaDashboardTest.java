package io.dbguard.chart;

import static io.dbguard.chart.ChartFixture.ofKind;
import static io.dbguard.chart.ChartFixture.renderObjects;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard ConfigMap is off by default; on, it carries the sidecar's label, the
 * dashboard JSON byte for byte, and goes to the namespace asked for. (That the dashboard's PromQL
 * names only series the operator serves is PromQlReferencesTest's and OperatorMetricsIT's job.)
 */
class ChartGrafanaDashboardTest {

  private static List<HasMetadata> dashboards(String values) {
    return ofKind(renderObjects("dbguard", "dbguard-system", values), "ConfigMap").stream()
        .filter(o -> o.getMetadata().getName().endsWith("-dashboard"))
        .toList();
  }

  @Test
  void offByDefault() {
    assertThat(dashboards("")).isEmpty();
  }

  @Test
  void onItHoldsTheDashboardWithTheSidecarLabel() throws Exception {
    List<HasMetadata> maps = dashboards("metrics:\n  grafanaDashboard:\n    enabled: true\n");
    assertThat(maps).hasSize(1);
    ConfigMap cm = (ConfigMap) maps.get(0);
    assertThat(cm.getMetadata().getName()).isEqualTo("dbguard-dashboard");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("dbguard-system");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("grafana_dashboard", "1")
        .containsEntry("app.kubernetes.io/name", "dbguard");
    String file =
        Files.readString(ChartFixture.chartDir().resolve("dashboards/dbguard.json"))
            .stripTrailing();
    assertThat(cm.getData()).containsOnlyKeys("dbguard.json");
    assertThat(cm.getData().get("dbguard.json")).isEqualTo(file);
    JsonNode dashboard = new ObjectMapper().readTree(cm.getData().get("dbguard.json"));
    assertThat(dashboard.get("uid").asText()).isEqualTo("dbguard-operator");
    assertThat(dashboard.get("panels").size()).isGreaterThan(10);
  }

  @Test
  void namespaceLabelsAndAnnotationsAreTheValues() {
    List<HasMetadata> maps =
        dashboards(
            "metrics:\n  grafanaDashboard:\n    enabled: true\n    namespace: monitoring\n"
                + "    labels: {grafana_dashboard: null, team-dashboards: \"yes\"}\n"
                + "    annotations: {grafana_folder: dbguard}\n");
    assertThat(maps).hasSize(1);
    HasMetadata cm = maps.get(0);
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("team-dashboards", "yes")
        .doesNotContainKey("grafana_dashboard");
    assertThat(cm.getMetadata().getAnnotations()).containsEntry("grafana_folder", "dbguard");
  }
}
