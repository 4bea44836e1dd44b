package io.dbguard.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.SnapshotStatus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pruning, label selectors and the reference mapping of {@link InformedCaches}. */
class InformedCachesTest {

  private static Pod stepPod(boolean ours) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("shop-backup-abc")
        .withNamespace("ns")
        .withResourceVersion("7")
        .withLabels(
            ours
                ? Map.of(
                    "app.kubernetes.io/managed-by", "dbguard",
                    "app.kubernetes.io/part-of", "shop",
                    "job-name", "shop-backup-1")
                : Map.of("app", "shop"))
        .withAnnotations(Map.of("big", "x".repeat(1000)))
        .addNewManagedField()
        .withManager("kubelet")
        .endManagedField()
        .addNewOwnerReference()
        .withKind("Job")
        .withName("shop-backup-1")
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .addNewContainer()
        .withName("dbguard")
        .withImage("ghcr.io/dbguard/dbguard:1")
        .withArgs("backup")
        .endContainer()
        .addNewVolume()
        .withName("data")
        .withNewPersistentVolumeClaim()
        .withClaimName("data")
        .endPersistentVolumeClaim()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .withNewStatus()
        .withPhase("Succeeded")
        .addNewContainerStatus()
        .withName("dbguard")
        .withImage("ghcr.io/dbguard/dbguard:1")
        .withNewState()
        .withNewTerminated()
        .withExitCode(3)
        .withReason("Error")
        .withMessage("{\"exitCode\":3}")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .addNewInitContainerStatus()
        .withName("copy")
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .endTerminated()
        .endState()
        .endInitContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void aStepPodKeepsWhatTheObserverReadsAndNothingElse() {
    Pod pruned = Pruning.pod(stepPod(true));
    assertThat(pruned.getMetadata().getName()).isEqualTo("shop-backup-abc");
    assertThat(pruned.getMetadata().getLabels()).containsEntry("job-name", "shop-backup-1");
    assertThat(pruned.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(pruned.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(pruned.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(pruned.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(pruned.getSpec().getContainers()).isNullOrEmpty();
    assertThat(pruned.getSpec().getVolumes())
        .singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data"));
    var cs = pruned.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getName()).isEqualTo("dbguard");
    assertThat(cs.getImage()).isNull();
    assertThat(cs.getState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(cs.getState().getTerminated().getMessage()).isEqualTo("{\"exitCode\":3}");
    assertThat(pruned.getStatus().getInitContainerStatuses().get(0).getName()).isEqualTo("copy");
    assertThat(pruned.getStatus().getPhase()).isEqualTo("Succeeded");
    // pruning twice changes nothing (the cache compares pruned copies)
    assertThat(Pruning.pod(pruned)).isEqualTo(pruned);
  }

  @Test
  void anApplicationPodKeepsNoContainerStatuses() {
    Pod pruned = Pruning.pod(stepPod(false));
    assertThat(pruned.getStatus().getContainerStatuses()).isNullOrEmpty();
    assertThat(pruned.getStatus().getInitContainerStatuses()).isNullOrEmpty();
    assertThat(pruned.getStatus().getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void secretsAndConfigMapsKeepMetadataOnly() {
    var secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("shop-db")
            .withNamespace("ns")
            .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{url}"))
            .endMetadata()
            .withData(Map.of("url", "c2VjcmV0"))
            .withStringData(Map.of("url", "secret"))
            .build();
    var pruned = Pruning.metadataOnly(secret, io.fabric8.kubernetes.api.model.Secret::new);
    assertThat(pruned.getMetadata().getName()).isEqualTo("shop-db");
    assertThat(pruned.getData()).isNullOrEmpty();
    assertThat(pruned.getStringData()).isNullOrEmpty();
    assertThat(pruned.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(Serialization.asJson(pruned)).doesNotContain("secret").doesNotContain("c2VjcmV0");
    var cm =
        Pruning.metadataOnly(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("sql")
                .endMetadata()
                .withData(Map.of("V1.sql", "x"))
                .build(),
            io.fabric8.kubernetes.api.model.ConfigMap::new);
    assertThat(cm.getData()).isNullOrEmpty();
  }

  @Test
  void aDeploymentKeepsItsSpecButNotItsStatus() {
    var d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("app")
            .withNamespace("ns")
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withNewSelector()
            .withMatchLabels(Map.of("app", "shop"))
            .endSelector()
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("shop:v2")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withReplicas(3)
            .endStatus()
            .build();
    var pruned = Pruning.deployment(d);
    assertThat(pruned.getStatus()).isNull();
    assertThat(pruned.getSpec().getReplicas()).isEqualTo(3);
    assertThat(pruned.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("shop:v2");
  }

  @Test
  void aChangeOnlyInAFieldTheCacheDropsIsNoChange() {
    Pod a = stepPod(true);
    Pod b = stepPod(true);
    b.getMetadata().setResourceVersion("8");
    b.getMetadata().setAnnotations(Map.of("other", "y"));
    assertThat(PrunedInformer.sameContent(Pruning.pod(a), b, Pruning::pod)).isTrue();
    b.getStatus().getContainerStatuses().get(0).getState().getTerminated().setExitCode(0);
    assertThat(PrunedInformer.sameContent(Pruning.pod(a), b, Pruning::pod)).isFalse();
  }

  @Test
  void podIndexesAndTheStepPodsMigration() {
    Pod ours = stepPod(true);
    assertThat(InformedCaches.jobOf(ours)).containsExactly("ns/shop-backup-1");
    assertThat(InformedCaches.claimsOf(ours)).containsExactly("ns/data");
    assertThat(InformedCaches.stepPodOwner(ours)).containsExactly(new ResourceID("shop", "ns"));
    assertThat(InformedCaches.stepPodOwner(stepPod(false))).isEmpty();
    assertThat(InformedCaches.jobOf(stepPod(false))).isEmpty();
  }

  @Test
  void selectorsMatchLabelsAndExpressions() {
    Pod p = stepPod(false); // app=shop
    assertThat(Selectors.matches(new LabelSelectorBuilder().build(), p)).isTrue();
    assertThat(Selectors.matches(null, p)).isFalse();
    assertThat(
            Selectors.matches(
                new LabelSelectorBuilder().withMatchLabels(Map.of("app", "shop")).build(), p))
        .isTrue();
    assertThat(
            Selectors.matches(
                new LabelSelectorBuilder().withMatchLabels(Map.of("app", "other")).build(), p))
        .isFalse();
    assertThat(
            Selectors.matches(
                new LabelSelectorBuilder()
                    .addNewMatchExpression()
                    .withKey("app")
                    .withOperator("In")
                    .withValues("shop", "web")
                    .endMatchExpression()
                    .addNewMatchExpression()
                    .withKey("tier")
                    .withOperator("DoesNotExist")
                    .endMatchExpression()
                    .build(),
                p))
        .isTrue();
    assertThat(
            Selectors.matches(
                new LabelSelectorBuilder()
                    .addNewMatchExpression()
                    .withKey("app")
                    .withOperator("NotIn")
                    .withValues("shop")
                    .endMatchExpression()
                    .build(),
                p))
        .isFalse();
    assertThat(
            Selectors.matches(
                new LabelSelectorBuilder()
                    .addNewMatchExpression()
                    .withKey("tier")
                    .withOperator("Exists")
                    .endMatchExpression()
                    .build(),
                p))
        .isFalse();
  }

  @Test
  void aMigrationIsIndexedByEveryObjectItReferences() {
    DatabaseMigration m =
        Serialization.unmarshal(
            """
            apiVersion: dbguard.io/v1alpha1
            kind: DatabaseMigration
            metadata: {name: shop, namespace: ns}
            spec:
              database: {name: shop, engine: SQLite, volume: {claimName: data, path: app.db},
                         urlSecretRef: {name: shop-db}}
              migrate:
                fromWorkload: {kind: Deployment, name: app}
                sql: {configMapName: sql}
              backup: {storage: {claimName: backups}}
              rollout:
                workloads: [{kind: StatefulSet, name: web}, {kind: Deployment, name: app}]
            """,
            DatabaseMigration.class);
    assertThat(InformedCaches.references(m))
        .containsExactly(
            "ns/Secret/shop-db",
            "ns/PersistentVolumeClaim/data",
            "ns/PersistentVolumeClaim/backups",
            "ns/ConfigMap/sql",
            "ns/Deployment/app",
            "ns/StatefulSet/web");
    // the claim provisioned from a VolumeSnapshot: its creation and deletion wake the migration
    DatabaseMigrationStatus st = new DatabaseMigrationStatus();
    st.setSnapshot(new SnapshotStatus());
    st.getSnapshot().setName("shop-snapshot-0a1b2c3d");
    m.setStatus(st);
    assertThat(InformedCaches.references(m)).doesNotContain("ns/PersistentVolumeClaim/copy");
    st.getSnapshot().setCopyClaim("shop-snapcopy-0a1b2c3d");
    assertThat(InformedCaches.references(m))
        .endsWith("ns/PersistentVolumeClaim/shop-snapcopy-0a1b2c3d");
    DatabaseMigration empty =
        Serialization.unmarshal(
            "apiVersion: dbguard.io/v1alpha1\nkind: DatabaseMigration\n"
                + "metadata: {name: e, namespace: ns}\nspec: {}\n",
            DatabaseMigration.class);
    assertThat(InformedCaches.references(empty)).isEmpty();
  }
}
