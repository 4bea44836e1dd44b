package io.dbguard.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart's operator RBAC, rendered by Helm, equals {@link OperatorPermissions} grant by grant
 * for every combination of the values that change it: a rule the code does not list (granted but
 * never called) or a listed call without its rule (called, then 403) fails here.
 */
class ChartRbacMatchesCodeTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @ParameterizedTest(name = "secretsValidation={0} volumeSnapshots={1}")
  @CsvSource({"true,true", "true,false", "false,true", "false,false"})
  void chartGrantsExactlyWhatTheCodeCalls(boolean secrets, boolean snapshots) {
    List<HasMetadata> objects =
        render("rbac: {secretsValidation: " + secrets + ", volumeSnapshots: " + snapshots + "}\n");
    ClusterRole operator = clusterRole(objects, "dbguard-operator");
    assertThat(grants(operator.getRules()))
        .isEqualTo(OperatorPermissions.operatorGrants(secrets, snapshots));
    assertThat(clusterGrants(objects)).isEqualTo(OperatorPermissions.clusterGrants(snapshots));

    Role lease =
        objects.stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .filter(r -> r.getMetadata().getName().endsWith("-leader-election"))
            .findFirst()
            .orElseThrow();
    Set<String> expected = new TreeSet<>();
    for (OperatorPermissions.Permission p : OperatorPermissions.LEADER_ELECTION) {
      expected.add(p.grant() + ("create".equals(p.verb()) ? "" : "|name=dbguard-leader"));
    }
    assertThat(grants(lease.getRules())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "watchNamespaces: the Role equals the ClusterRole's rules")
  @CsvSource({"true"})
  void watchedNamespaceRolesGrantTheSame(boolean unused) {
    List<HasMetadata> objects = render("watchNamespaces: [a, b]\n");
    List<Role> roles =
        objects.stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .filter(r -> r.getMetadata().getName().endsWith("-operator"))
            .toList();
    assertThat(roles).hasSize(2);
    for (Role r : roles) {
      assertThat(grants(r.getRules())).isEqualTo(OperatorPermissions.operatorGrants(true, true));
    }
    // cluster-scoped grants cannot be in a Role: their own ClusterRole, with or without
    // watchNamespaces
    assertThat(clusterGrants(objects)).isEqualTo(OperatorPermissions.clusterGrants(true));
  }

  private static ClusterRole clusterRole(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast)
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Grants of every ClusterRole but the namespaced-rules one. */
  private static Set<String> clusterGrants(List<HasMetadata> objects) {
    return objects.stream()
        .filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast)
        .filter(r -> !r.getMetadata().getName().equals("dbguard-operator"))
        .flatMap(r -> grants(r.getRules()).stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static List<HasMetadata> render(String values) {
    try {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("dbguard-values-", ".yaml");
      try {
        java.nio.file.Files.writeString(f, values);
        String yaml =
            new Helm(TestCluster.repoRoot().resolve("helm").resolve("dbguard"))
                .template()
                .withName("dbguard")
                .withNamespace("dbguard-system")
                .withValuesFile(f)
                .call();
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
          if (doc.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"))) {
            out.add((HasMetadata) SERIALIZATION.unmarshal(doc));
          }
        }
        return out;
      } finally {
        java.nio.file.Files.deleteIfExists(f);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code group|resource|verb[|name=n]} per grant. */
  static Set<String> grants(List<PolicyRule> rules) {
    Set<String> out = new TreeSet<>();
    for (PolicyRule r : rules) {
      List<String> names =
          r.getResourceNames() == null || r.getResourceNames().isEmpty()
              ? List.of("")
              : r.getResourceNames().stream().map(n -> "|name=" + n).collect(Collectors.toList());
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          for (String v : r.getVerbs()) {
            for (String n : names) {
              out.add(g + "|" + res + "|" + v + n);
            }
          }
        }
      }
    }
    return out;
  }
}
