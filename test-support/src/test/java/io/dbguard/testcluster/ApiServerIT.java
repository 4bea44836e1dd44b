package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** Server-side apply, RBAC and CRD schema validation are the real apiserver's. */
@WithTestCluster
class ApiServerIT {
  static TestCluster cluster;

  @Test
  void injectsTheSharedCluster(TestCluster param, KubernetesClient client) {
    assertThat(cluster).isSameAs(param);
    assertThat(client).isSameAs(cluster.client());
    assertThat(cluster.namespace()).startsWith("t-apiserverit-");
    assertThat(client.namespaces().withName(cluster.namespace()).get()).isNotNull();
  }

  @Test
  void serverSideApplyTracksFieldManagersAndReportsConflicts(
      KubernetesClient client, @TestNamespace String ns) {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("ssa")
            .withNamespace(ns)
            .endMetadata()
            .addToData("owner", "a")
            .build();
    ConfigMap applied = client.resource(cm).fieldManager("manager-a").serverSideApply();
    assertThat(applied.getMetadata().getManagedFields())
        .anySatisfy(
            f -> {
              assertThat(f.getManager()).isEqualTo("manager-a");
              assertThat(f.getOperation()).isEqualTo("Apply");
            });

    ConfigMap other = new ConfigMapBuilder(cm).withData(java.util.Map.of("owner", "b")).build();
    assertThatThrownBy(() -> client.resource(other).fieldManager("manager-b").serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    ConfigMap forced =
        client.resource(other).fieldManager("manager-b").forceConflicts().serverSideApply();
    assertThat(forced.getData()).containsEntry("owner", "b");
  }

  @Test
  void serviceAccountWithoutRoleGets403AndWithRoleBinding200(
      KubernetesClient client, @TestNamespace String ns) {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build())
        .create();
    try (KubernetesClient sa = cluster.clientAs(ns, "app")) {
      assertThatThrownBy(() -> sa.configMaps().inNamespace(ns).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(403);
                assertThat(e.getMessage()).contains("system:serviceaccount:" + ns + ":app");
              });

      client
          .rbac()
          .roles()
          .inNamespace(ns)
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName("read-configmaps")
                  .endMetadata()
                  .addNewRule()
                  .withApiGroups("")
                  .withResources("configmaps")
                  .withVerbs("get", "list", "watch")
                  .endRule()
                  .build())
          .create();
      client
          .rbac()
          .roleBindings()
          .inNamespace(ns)
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("app-reads")
                  .endMetadata()
                  .withNewRoleRef()
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withKind("Role")
                  .withName("read-configmaps")
                  .endRoleRef()
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName("app")
                  .withNamespace(ns)
                  .endSubject()
                  .build())
          .create();

      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(sa.configMaps().inNamespace(ns).list().getItems()).isNotEmpty());
      // Still only what the Role grants.
      assertThatThrownBy(() -> sa.secrets().inNamespace(ns).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void snapshotCrdsAreServedWithTheirSchema(KubernetesClient client, @TestNamespace String ns) {
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("volumesnapshots.snapshot.storage.k8s.io")
                .get())
        .isNotNull();
    // spec is required by the structural schema.
    assertThatThrownBy(
            () ->
                client
                    .genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshot")
                    .inNamespace(ns)
                    .resource(
                        new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                            .withApiVersion("snapshot.storage.k8s.io/v1")
                            .withKind("VolumeSnapshot")
                            .withNewMetadata()
                            .withName("no-spec")
                            .endMetadata()
                            .build())
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
  }
}
