package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chart's operator values as the operator reads them (environment variables). */
class OperatorConfigTest {

  @Test
  void maxReconcileIntervalReachesTheController() {
    OperatorConfig config =
        OperatorConfig.fromEnv(Map.of("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS", "42"));
    // Nothing is contacted: the operator is built and registered, never started.
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
            .build()) {
      for (Set<String> namespaces : Set.of(Set.<String>of(), Set.of("apps"))) {
        Operator operator =
            Main.create(
                config,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                null,
                namespaces,
                false,
                client,
                new DatabaseMigrationReconciler(config));
        RegisteredController<?> controller = operator.getRegisteredControllers().iterator().next();
        assertThat(controller.getConfiguration().maxReconciliationInterval())
            .contains(Duration.ofSeconds(42));
        if (!namespaces.isEmpty()) {
          assertThat(controller.getConfiguration().getInformerConfig().getNamespaces())
              .isEqualTo(namespaces);
        }
      }
    }
  }

  @Test
  void jobDefaultsFromTheEnvironment() {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "DBGUARD_JOB_RESOURCES",
                "{\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"},\"limits\":{\"memory\":\"512Mi\"}}",
                "DBGUARD_JOB_JAVA_OPTIONS",
                " -XX:MaxRAMPercentage=75 ",
                "DBGUARD_LOG_FORMAT",
                "json"));
    assertThat(config.jobs().resources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(config.jobs().resources().getLimits())
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(config.jobs().javaOptions()).isEqualTo("-XX:MaxRAMPercentage=75");
    assertThat(config.jobs().logFormat())
        .as("the step Jobs log like the operator")
        .isEqualTo("json");
    assertThat(OperatorConfig.defaults().jobs()).isEqualTo(JobDefaults.NONE);
    assertThat(OperatorConfig.fromEnv(Map.of("DBGUARD_JOB_RESOURCES", "{}")).jobs())
        .isEqualTo(JobDefaults.NONE);
  }

  @Test
  void outOfRangeValuesAreRefusedWithTheVariableName() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("DBGUARD_JOB_RESOURCES", "[1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DBGUARD_JOB_RESOURCES");
  }
}
