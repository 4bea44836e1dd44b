package io.dbguard.chart;

import static io.dbguard.chart.ChartFixture.operatorDeployment;
import static io.dbguard.chart.ChartFixture.renderObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code helm/dbguard/values.schema.json} as Helm applies it: wrong types, values outside their
 * enum or range and unknown (misspelled) keys are refused before anything renders; every value set
 * the chart documents is accepted.
 */
class ChartValuesSchemaTest {
  private static final String NS = "dbguard-system";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "replicas: two",
        "replicas: -1",
        "replica: 2",
        "image: {repository: op, tagg: '1'}",
        "image: {pullPolicy: Sometimes}",
        "operator: {logLevl: DEBUG}",
        "operator: {logLevel: VERBOSE}",
        "operator: {maxReconcileIntervalSeconds: 0}",
        "operator: {stepTimeoutSeconds: '600'}",
        "operator: {logFormat: xml}",
        "leaderElection: {enabled: 'false'}",
        "rbac: {secretValidation: false}",
        "watchNamespaces: team-a",
        "jobs: {resources: {limts: {memory: 1Gi}}}",
        "jobs: {javaOptions: [-Xmx1g]}",
        "metrics: {service: {port: 70000}}",
        "metrics: {serviceMonitor: {enabled: yes-please}}",
        "gate: {enabled: true, namespace: [shop]}",
        "livenessProbe: {periodSeconds: 0}",
        "tmpSizeLimit: 64",
      })
  void badValuesAreRefused(String values) {
    assertThatThrownBy(() -> renderObjects("dbguard", NS, values + "\n"))
        .as(values)
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  @Test
  void setReplicasTwoIsRefusedInsteadOfScalingToZero() {
    assertThatThrownBy(
            () ->
                new Helm(ChartFixture.chartDir())
                    .template()
                    .withName("dbguard")
                    .withNamespace(NS)
                    .set("replicas", "two")
                    .call())
        .hasMessageContaining("replicas")
        .hasMessageContaining("schema");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "replicas: 3\nwatchNamespaces: [team-a]\nnetworkPolicy:\n  enabled: true\n"
            + "  metricsFrom: [{namespaceSelector: {matchLabels: {team: obs}}}]\n"
            + "metrics:\n  serviceMonitor:\n    enabled: true\n    labels: {release: prom}\n"
            + "gate:\n  enabled: true\n  namespaces: [shop, blog]\n"
            + "  serviceAccounts: [web, worker]\n",
        "image: {repository: registry.example/op, tag: '1.2.3', pullPolicy: Always}\n"
            + "dbguardImage: {repository: registry.example/tool, tag: '1.2.4'}\n"
            + "imagePullSecrets: [{name: regcred}]\n"
            + "operator:\n  stepTimeoutSeconds: 600\n  maxReconcileIntervalSeconds: 60\n"
            + "  logLevel: DEBUG\n  logFormat: json\n  javaOptions: ''\n"
            + "  extraEnv: [{name: HTTPS_PROXY, value: 'http://proxy:3128'}]\n"
            + "jobs:\n  resources: {requests: {cpu: 1, memory: 1Gi}, limits: {memory: 2Gi}}\n"
            + "  javaOptions: ''\n"
            + "resources: {requests: {cpu: 200m}, limits: {cpu: '1', memory: 1Gi}}\n"
            + "serviceAccount: {create: false, name: platform-ops, annotations: {a: b}}\n"
            + "rbac: {create: true, secretsValidation: false, volumeSnapshots: false}\n"
            + "podDisruptionBudget: {apiVersion: policy/v1beta1}\n"
            + "tolerations: [{key: dedicated, operator: Exists}]\n"
            + "nodeSelector: {kubernetes.io/os: linux}\n"
            + "affinity: {}\ncommonLabels: {team: platform}\npriorityClassName: critical\n"
            + "tmpSizeLimit: 128Mi\nfullnameOverride: dbg\nnameOverride: dbg\n",
      })
  void documentedValueSetsAreAccepted(String values) {
    assertThat(renderObjects("dbguard", NS, values)).isNotEmpty();
  }

  @Test
  void jobResourcesAndJavaOptionsReachTheOperator() {
    Container c =
        operatorDeployment(
                renderObjects(
                    "dbguard",
                    NS,
                    "jobs:\n  resources: {requests: {cpu: 250m, memory: 300Mi}, limits: {memory: 600Mi}}\n"
                        + "  javaOptions: -XX:MaxRAMPercentage=60\n"))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    Map<String, String> env =
        c.getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    ResourceRequirements jobs =
        new KubernetesSerialization()
            .unmarshal(env.get("DBGUARD_JOB_RESOURCES"), ResourceRequirements.class);
    assertThat(jobs.getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("300Mi"));
    assertThat(jobs.getLimits()).containsEntry("memory", new Quantity("600Mi"));
    assertThat(env).containsEntry("DBGUARD_JOB_JAVA_OPTIONS", "-XX:MaxRAMPercentage=60");
    assertThat(env).containsEntry("DBGUARD_LOG_FORMAT", "text");
  }
}
