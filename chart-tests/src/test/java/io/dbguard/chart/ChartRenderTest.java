package io.dbguard.chart;

import static io.dbguard.chart.ChartFixture.grants;
import static io.dbguard.chart.ChartFixture.ofKind;
import static io.dbguard.chart.ChartFixture.ofType;
import static io.dbguard.chart.ChartFixture.operatorDeployment;
import static io.dbguard.chart.ChartFixture.renderObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code helm template} with several value sets; assertions on the rendered objects. */
class ChartRenderTest {
  private static final String NS = "dbguard-system";
  private static final String RELEASE = "dbguard";

  /** Value sets every invariant below must hold for. */
  private static final Map<String, String> VALUE_SETS =
      Map.of(
          "defaults", "",
          "watchNamespaces", "watchNamespaces: [team-a, team-b]\n",
          "ha", "replicas: 2\n",
          "gate", "gate:\n  enabled: true\n  namespaces: [shop]\n  serviceAccounts: [shop-web]\n",
          "everything",
              "replicas: 3\nwatchNamespaces: [team-a]\nnetworkPolicy:\n  enabled: true\n"
                  + "metrics:\n  serviceMonitor:\n    enabled: true\n"
                  + "gate:\n  enabled: true\n  namespaces: [shop, blog]\n"
                  + "  serviceAccounts: [web, worker]\n");

  @Test
  void defaultsRenderTheOperatorWithClusterWideRbac() {
    List<HasMetadata> objects = renderObjects(RELEASE, NS, "");
    assertThat(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "ServiceAccount/dbguard",
            "ClusterRole/dbguard-operator",
            "ClusterRoleBinding/dbguard-operator",
            "ClusterRole/dbguard-operator-snapshot-contents",
            "ClusterRoleBinding/dbguard-operator-snapshot-contents",
            "Role/dbguard-leader-election",
            "RoleBinding/dbguard-leader-election",
            "Service/dbguard-metrics",
            "Deployment/dbguard-operator");

    ClusterRole role = named(ofType(objects, ClusterRole.class), "dbguard-operator");
    assertThat(grants(role.getRules())).isEqualTo(OperatorRbac.namespacedGrants(true, true));
    assertThat(
            grants(
                named(ofType(objects, ClusterRole.class), "dbguard-operator-snapshot-contents")
                    .getRules()))
        .isEqualTo(OperatorRbac.clusterGrants(true));
    ClusterRoleBinding binding =
        named(ofType(objects, ClusterRoleBinding.class), "dbguard-operator");
    assertThat(binding.getRoleRef().getName()).isEqualTo("dbguard-operator");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo("dbguard");
              assertThat(s.getNamespace()).isEqualTo(NS);
            });

    Role lease = ofType(objects, Role.class).get(0);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(grants(lease.getRules()))
        .isEqualTo(OperatorRbac.leaderElectionGrants("dbguard-leader"));

    Deployment d = operatorDeployment(objects);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    String version = ChartVersionTest.mavenVersion();
    assertThat(c.getImage()).isEqualTo("ghcr.io/dbguard/operator:" + version);
    assertThat(env(c))
        .containsEntry("DBGUARD_IMAGE", "ghcr.io/dbguard/dbguard:" + version)
        .containsEntry("DBGUARD_STEP_TIMEOUT_SECONDS", "3600")
        .containsEntry("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS", "300")
        .containsEntry("DBGUARD_WATCH_NAMESPACES", "")
        .containsEntry("DBGUARD_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("DBGUARD_LEADER_ELECTION_LEASE_NAME", "dbguard-leader")
        .containsEntry("DBGUARD_HTTP_PORT", "8080");
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("dbguard");

    Service svc = ofType(objects, Service.class).get(0);
    assertThat(svc.getSpec().getSelector())
        .isEqualTo(d.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            d.getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
                .filter(e -> svc.getSpec().getSelector().containsKey(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    assertThat(ofKind(objects, "PodDisruptionBudget")).isEmpty();
  }

  @Test
  void imagesAndOperatorSettingsAreConfigurable() {
    Deployment d =
        operatorDeployment(
            renderObjects(
                RELEASE,
                NS,
                "image: {repository: registry.example/op, tag: '1.2.3'}\n"
                    + "dbguardImage: {repository: registry.example/tool, tag: '1.2.4'}\n"
                    + "operator: {stepTimeoutSeconds: 600, maxReconcileIntervalSeconds: 60}\n"));
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry.example/op:1.2.3");
    assertThat(env(c))
        .containsEntry("DBGUARD_IMAGE", "registry.example/tool:1.2.4")
        .containsEntry("DBGUARD_STEP_TIMEOUT_SECONDS", "600")
        .containsEntry("DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS", "60");
  }

  @ParameterizedTest
  @ValueSource(strings = {"defaults", "watchNamespaces", "ha", "gate", "everything"})
  void operatorPodIsNonRootReadOnlyWithoutCapabilities(String valueSet) {
    Deployment d = operatorDeployment(renderObjects(RELEASE, NS, VALUE_SETS.get(valueSet)));
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    PodSecurityContext psc = pod.getSecurityContext();
    assertThat(psc.getRunAsNonRoot()).isTrue();
    assertThat(psc.getRunAsUser()).isEqualTo(65532L);
    assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    Container c = pod.getContainers().get(0);
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getRunAsUser()).isEqualTo(65532L);
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // /tmp is the only writable path: an emptyDir.
    assertThat(c.getVolumeMounts())
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes())
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"defaults", "watchNamespaces", "ha", "gate", "everything"})
  void probesHitHealthzAndReadyzOnTheHttpPort(String valueSet) {
    Container c =
        operatorDeployment(renderObjects(RELEASE, NS, VALUE_SETS.get(valueSet)))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  @ParameterizedTest
  @ValueSource(strings = {"defaults", "watchNamespaces", "ha", "gate", "everything"})
  void rbacHasNoWildcardsAndNoDangerousGrants(String valueSet) {
    List<HasMetadata> objects = renderObjects(RELEASE, NS, VALUE_SETS.get(valueSet));
    List<PolicyRule> rules =
        Stream.concat(
                ofType(objects, ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                ofType(objects, Role.class).stream().flatMap(r -> r.getRules().stream()))
            .toList();
    assertThat(rules).isNotEmpty();
    for (PolicyRule r : rules) {
      assertThat(r.getVerbs()).doesNotContain("*").isNotEmpty();
      assertThat(r.getResources()).doesNotContain("*").isNotEmpty();
      assertThat(r.getApiGroups()).doesNotContain("*").isNotEmpty();
      assertThat(r.getNonResourceURLs()).isNullOrEmpty();
      assertThat(r.getVerbs())
          .doesNotContain("escalate", "bind", "impersonate", "deletecollection");
    }
    Set<String> all = grants(rules);
    assertThat(all)
        // Secrets: only the metadata-only cache's list and watch (no get, no write)
        .noneMatch(
            g ->
                g.startsWith("|secrets|")
                    && !g.equals("|secrets|list")
                    && !g.equals("|secrets|watch"))
        .noneMatch(g -> g.contains("|namespaces|") || g.contains("|nodes|"))
        .noneMatch(g -> g.startsWith("rbac.authorization.k8s.io|"))
        .noneMatch(g -> g.startsWith("apiextensions.k8s.io|"))
        .noneMatch(g -> g.contains("|pods/exec|") || g.contains("|serviceaccounts/token|"));
    // Bindings only ever name the chart's own roles.
    for (ClusterRoleBinding b : ofType(objects, ClusterRoleBinding.class)) {
      assertThat(b.getRoleRef().getName()).startsWith(RELEASE);
    }
    for (RoleBinding b : ofType(objects, RoleBinding.class)) {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(b.getRoleRef().getName()).startsWith(RELEASE);
    }
  }

  @Test
  void watchNamespacesTurnsRbacIntoRolesInThoseNamespacesOnly() {
    List<HasMetadata> objects = renderObjects(RELEASE, NS, VALUE_SETS.get("watchNamespaces"));
    // only the cluster-scoped grants (VolumeSnapshotContents, which no Role can grant)
    assertThat(ofType(objects, ClusterRole.class))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getMetadata().getName()).isEqualTo("dbguard-operator-snapshot-contents");
              assertThat(grants(r.getRules())).isEqualTo(OperatorRbac.clusterGrants(true));
            });
    assertThat(ofType(objects, ClusterRoleBinding.class))
        .singleElement()
        .satisfies(
            b ->
                assertThat(b.getRoleRef().getName())
                    .isEqualTo("dbguard-operator-snapshot-contents"));
    List<Role> operatorRoles =
        ofType(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals("dbguard-operator"))
            .toList();
    assertThat(operatorRoles.stream().map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("team-a", "team-b");
    for (Role r : operatorRoles) {
      assertThat(grants(r.getRules())).isEqualTo(OperatorRbac.namespacedGrants(true, true));
    }
    List<RoleBinding> bindings =
        ofType(objects, RoleBinding.class).stream()
            .filter(b -> b.getMetadata().getName().equals("dbguard-operator"))
            .toList();
    assertThat(bindings).hasSize(2);
    for (RoleBinding b : bindings) {
      assertThat(b.getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo("dbguard");
                assertThat(s.getNamespace()).isEqualTo(NS);
              });
    }
    assertThat(
            env(
                operatorDeployment(objects)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)))
        .containsEntry("DBGUARD_WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void optionalGrantsCanBeTurnedOff() {
    List<HasMetadata> objects =
        renderObjects(RELEASE, NS, "rbac: {secretsValidation: false, volumeSnapshots: false}\n");
    ClusterRole role = named(ofType(objects, ClusterRole.class), "dbguard-operator");
    assertThat(grants(role.getRules())).isEqualTo(OperatorRbac.namespacedGrants(false, false));
    assertThat(ofType(objects, ClusterRole.class)).hasSize(1);
  }

  @Test
  void replicasAboveOneAddAPodDisruptionBudget() {
    List<HasMetadata> objects = renderObjects(RELEASE, NS, "replicas: 2\n");
    assertThat(operatorDeployment(objects).getSpec().getReplicas()).isEqualTo(2);
    List<HasMetadata> pdbs = ofKind(objects, "PodDisruptionBudget");
    assertThat(pdbs).hasSize(1);
    // Helm's built-in capabilities (no cluster) include policy/v1.
    assertThat(pdbs.get(0).getApiVersion()).isEqualTo("policy/v1");
    List<HasMetadata> old =
        ofKind(
            renderObjects(
                RELEASE, NS, "replicas: 2\npodDisruptionBudget: {apiVersion: policy/v1beta1}\n"),
            "PodDisruptionBudget");
    assertThat(old)
        .singleElement()
        .satisfies(p -> assertThat(p.getApiVersion()).isEqualTo("policy/v1beta1"));
  }

  @Test
  void replicasAboveOneWithoutLeaderElectionIsRefused() {
    assertThatThrownBy(
            () -> renderObjects(RELEASE, NS, "replicas: 2\nleaderElection: {enabled: false}\n"))
        .hasMessageContaining("replicas > 1 needs leaderElection.enabled");
  }

  @Test
  void leaderElectionOffDropsTheLeaseRoleAndNeverOverlapsPods() {
    List<HasMetadata> objects = renderObjects(RELEASE, NS, "leaderElection: {enabled: false}\n");
    assertThat(ofType(objects, Role.class)).isEmpty();
    assertThat(operatorDeployment(objects).getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(operatorDeployment(renderObjects(RELEASE, NS, "")).getSpec().getStrategy().getType())
        .isEqualTo("RollingUpdate");
    assertThat(
            env(
                operatorDeployment(objects)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)))
        .containsEntry("DBGUARD_LEADER_ELECTION_ENABLED", "false");
  }

  @Test
  void gateRbacGrantsReadOnlyAccessToEachAppServiceAccount() {
    List<HasMetadata> objects = renderObjects(RELEASE, NS, VALUE_SETS.get("everything"));
    List<Role> gateRoles =
        ofType(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals("dbguard-gate"))
            .toList();
    assertThat(gateRoles.stream().map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("shop", "blog");
    for (Role r : gateRoles) {
      assertThat(grants(r.getRules())).isEqualTo(OperatorRbac.gateGrants());
    }
    List<RoleBinding> gateBindings =
        ofType(objects, RoleBinding.class).stream()
            .filter(b -> b.getMetadata().getName().equals("dbguard-gate"))
            .toList();
    assertThat(gateBindings).hasSize(2);
    for (RoleBinding b : gateBindings) {
      assertThat(b.getRoleRef().getName()).isEqualTo("dbguard-gate");
      assertThat(b.getSubjects().stream().map(s -> s.getNamespace() + "/" + s.getName()))
          .containsExactlyInAnyOrder(
              b.getMetadata().getNamespace() + "/web", b.getMetadata().getNamespace() + "/worker");
    }
    assertThat(ofKind(objects, "ServiceMonitor")).hasSize(1);
    assertThat(ofKind(objects, "NetworkPolicy")).hasSize(1);
    assertThat(ofKind(objects, "PodDisruptionBudget")).hasSize(1);
  }

  @Test
  void gateWithoutNamespacesOrServiceAccountsIsRefused() {
    assertThatThrownBy(
            () -> renderObjects(RELEASE, NS, "gate: {enabled: true, serviceAccounts: [a]}\n"))
        .hasMessageContaining("gate.namespaces");
    assertThatThrownBy(() -> renderObjects(RELEASE, NS, "gate: {enabled: true, namespaces: [a]}\n"))
        .hasMessageContaining("gate.serviceAccounts");
  }

  @Test
  void existingServiceAccountIsUsedWhenNotCreated() {
    List<HasMetadata> objects =
        renderObjects(RELEASE, NS, "serviceAccount: {create: false, name: platform-ops}\n");
    assertThat(ofType(objects, ServiceAccount.class)).isEmpty();
    assertThat(
            operatorDeployment(objects).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("platform-ops");
    assertThat(ofType(objects, ClusterRoleBinding.class).get(0).getSubjects().get(0).getName())
        .isEqualTo("platform-ops");
  }

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static <T extends HasMetadata> T named(List<T> objects, String name) {
    return objects.stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no object named " + name));
  }
}
