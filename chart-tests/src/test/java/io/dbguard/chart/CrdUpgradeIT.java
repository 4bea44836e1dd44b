package io.dbguard.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRD upgrade that docs/install.md prescribes, on the real kube-apiserver: Helm created the
 * CRDs of an older release from its {@code crds/} (a plain create, as Helm does it; its field
 * manager is the client's, not {@code kubectl}) and never touches them again; {@code kubectl apply
 * --server-side --force-conflicts -f crds/} then replaces them with the new ones. The older CRD is
 * this repository's DatabaseMigration CRD without {@code spec.backup.keepFailedCopies} and with
 * another description of {@code spec.backup.compressionLevel}, as an earlier release had it.
 *
 * <p>To leave the rig's own {@code dbguard.io} CRDs (which other ITs use) alone, both the old and
 * the new CRD are the repository's file under another API group ({@code upgrade.dbguard.test});
 * schema, versions and names are the file's.
 */
@WithTestCluster
class CrdUpgradeIT {
  private static final String GROUP = "upgrade.dbguard.test";
  private static final String NAME = "databasemigrations." + GROUP;
  private static final ResourceDefinitionContext MIGRATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup(GROUP)
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();

  static TestCluster cluster;
  static KubernetesClient admin;

  /** The repository's DatabaseMigration CRD (crds/), moved to {@link #GROUP}. */
  private static CustomResourceDefinition current() throws Exception {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(
                TestCluster.repoRoot().resolve("crds/databasemigrations.dbguard.io-v1.yml")),
            CustomResourceDefinition.class);
    crd.getMetadata().setName(NAME);
    crd.getSpec().setGroup(GROUP);
    crd.getSpec().getNames().setCategories(null);
    crd.getSpec().getNames().setShortNames(null);
    return crd;
  }

  private static Map<String, JSONSchemaProps> backupProperties(CustomResourceDefinition crd) {
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec")
        .getProperties()
        .get("backup")
        .getProperties();
  }

  private static GenericKubernetesResource migration(String name, String backup) {
    return Serialization.unmarshal(
        """
        apiVersion: %s/v1alpha1
        kind: DatabaseMigration
        metadata: {name: %s}
        spec:
          database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
          migrate: {image: shop:v2, command: [bin/migrate]}
          backup: %s
        """
            .formatted(GROUP, name, backup),
        GenericKubernetesResource.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> backupOf(GenericKubernetesResource m) {
    Map<String, Object> spec = (Map<String, Object>) m.getAdditionalProperties().get("spec");
    return (Map<String, Object>) spec.get("backup");
  }

  private static void awaitEstablished() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              CustomResourceDefinition c =
                  admin.apiextensions().v1().customResourceDefinitions().withName(NAME).get();
              return c != null
                  && c.getStatus() != null
                  && c.getStatus().getConditions().stream()
                      .anyMatch(
                          x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
            });
  }

  @Test
  void serverSideApplyWithForceConflictsUpgradesTheCrdUnderExistingObjects(@TestNamespace String ns)
      throws Exception {
    CustomResourceDefinition older = current();
    assertThat(backupProperties(older).remove("keepFailedCopies")).isNotNull();
    backupProperties(older).get("compressionLevel").setDescription("gzip level (older wording).");
    try {
      // helm install: the older release's crds/, created once
      admin.apiextensions().v1().customResourceDefinitions().resource(older).create();
      awaitEstablished();
      var migrations = admin.genericKubernetesResources(MIGRATIONS).inNamespace(ns);
      migrations
          .resource(migration("shop", "{storage: {claimName: backups}, keepFailedCopies: 5}"))
          .create();
      // the older schema does not know the field: the apiserver prunes it
      assertThat(backupOf(migrations.withName("shop").get())).doesNotContainKey("keepFailedCopies");

      // kubectl apply --server-side (without --force-conflicts): the changed description is
      // Helm's field, so the apply conflicts and changes nothing
      assertThatThrownBy(
              () ->
                  admin
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .resource(current())
                      .fieldManager("kubectl")
                      .serverSideApply())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThat(
              backupProperties(
                  admin.apiextensions().v1().customResourceDefinitions().withName(NAME).get()))
          .doesNotContainKey("keepFailedCopies");

      // kubectl apply --server-side --force-conflicts -f crds/
      admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(current())
          .fieldManager("kubectl")
          .forceConflicts()
          .serverSideApply();
      awaitEstablished();
      CustomResourceDefinition served =
          admin.apiextensions().v1().customResourceDefinitions().withName(NAME).get();
      assertThat(backupProperties(served)).containsKey("keepFailedCopies");
      assertThat(backupProperties(served).get("compressionLevel").getDescription())
          .isEqualTo(backupProperties(current()).get("compressionLevel").getDescription());

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                // the existing object is still served, as written, with the new field's default
                GenericKubernetesResource shop = migrations.withName("shop").get();
                assertThat(backupOf(shop))
                    .containsEntry("storage", Map.of("claimName", "backups"))
                    .containsEntry("keepFailedCopies", 3);
              });
      // and the new field is accepted: on the existing object and on a new one
      GenericKubernetesResource shop = migrations.withName("shop").get();
      backupOf(shop).put("keepFailedCopies", 5);
      migrations.resource(shop).update();
      assertThat(backupOf(migrations.withName("shop").get())).containsEntry("keepFailedCopies", 5);
      migrations
          .resource(migration("shop-2", "{storage: {claimName: backups}, keepFailedCopies: 2}"))
          .create();
      assertThat(backupOf(migrations.withName("shop-2").get()))
          .containsEntry("keepFailedCopies", 2);
      // the schema's rules of the new field hold too (minimum 1)
      GenericKubernetesResource bad =
          migration("shop-3", "{storage: {claimName: backups}, keepFailedCopies: 0}");
      assertThatThrownBy(() -> migrations.resource(bad).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    } finally {
      admin.apiextensions().v1().customResourceDefinitions().withName(NAME).delete();
    }
  }
}
