package io.dbguard.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Helm chart lints clean and renders a hardened, least-privilege operator (helm-java). */
class HelmChartTest {

  static Path chart() {
    String env = System.getenv("DBGUARD_REPO_ROOT");
    Path root = env != null ? Path.of(env) : Path.of("..").toAbsolutePath().normalize();
    return root.resolve("helm/dbguard");
  }

  static List<HasMetadata> render() {
    String yaml =
        new Helm(chart()).template().withName("dbguard").withNamespace("dbguard-system").call();
    Object parsed =
        Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    @SuppressWarnings("unchecked")
    List<HasMetadata> items =
        parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
    return items;
  }

  @Test
  void lintsClean() {
    LintResult r = new Helm(chart()).lint().strict().call();
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
  }

  @Test
  void operatorRunsNonRootWithReadOnlyRootFilesystem() {
    Deployment d =
        render().stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("DBGUARD_IMAGE"));
  }

  @Test
  void rbacIsLeastPrivilege() {
    List<ClusterRole> roles =
        render().stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .toList();
    ClusterRole operator =
        roles.stream()
            .filter(r -> r.getMetadata().getName().equals("dbguard-operator"))
            .findFirst()
            .orElseThrow();
    for (PolicyRule rule : operator.getRules()) {
      assertThat(rule.getVerbs())
          .doesNotContain("*", "delete", "deletecollection", "escalate", "bind");
      assertThat(rule.getResources()).doesNotContain("*");
      if (rule.getResources().contains("secrets")) {
        assertThat(rule.getVerbs()).containsExactly("get");
      }
    }
    ClusterRole gate =
        roles.stream()
            .filter(r -> r.getMetadata().getName().equals("dbguard-gate"))
            .findFirst()
            .orElseThrow();
    assertThat(gate.getRules()).hasSize(1);
    assertThat(gate.getRules().get(0).getVerbs()).containsExactly("get", "watch");
  }

  @Test
  void metricsServiceIsRendered() {
    assertThat(render())
        .anyMatch(
            o -> o.getKind().equals("Service") && o.getMetadata().getName().endsWith("-metrics"));
  }
}
