package io.dbguard.chart;

import static io.dbguard.chart.ChartFixture.ofKind;
import static io.dbguard.chart.ChartFixture.renderObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rendered chart applied (server-side apply, as Helm 3.x/Argo CD/Flux would) to a real
 * kube-apiserver, and the RBAC it creates checked by acting as the operator's and the gate's
 * ServiceAccounts with real tokens: the apiserver's RBAC authorizer decides, not this test.
 */
@WithTestCluster
class ChartInstallIT {
  private static final ResourceDefinitionContext MIGRATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext BACKUPS =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseBackup")
          .withPlural("databasebackups")
          .withNamespaced(true)
          .build();

  static TestCluster cluster;
  static KubernetesClient admin;

  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    Collections.reverse(cleanup);
    for (Runnable r : cleanup) {
      try {
        r.run();
      } catch (RuntimeException e) {
        System.err.println("cleanup: " + e);
      }
    }
  }

  @Test
  void defaultInstallIsAcceptedAndTheOperatorPodIsCreated(@TestNamespace String ns) {
    String release = release();
    List<HasMetadata> applied = install(release, ns, "");
    assertThat(applied.stream().map(HasMetadata::getKind))
        .contains("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service");
    for (HasMetadata o : applied) {
      assertThat(admin.resource(o).get()).as("%s stored", name(o)).isNotNull();
    }
    // The apiserver kept the security settings (an unknown or misplaced field would have been
    // rejected by server-side apply, a dropped one would show here).
    Deployment stored =
        admin.apps().deployments().inNamespace(ns).withName(release + "-operator").get();
    SecurityContext sc =
        stored.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // The Deployment and ReplicaSet controllers accept the pod template: a pod exists, running
    // as the chart's ServiceAccount (its image is not run here).
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  admin
                      .pods()
                      .inNamespace(ns)
                      .withLabel("app.kubernetes.io/instance", release)
                      .list()
                      .getItems();
              assertThat(pods).hasSize(1);
              assertThat(pods.get(0).getSpec().getServiceAccountName()).isEqualTo(release);
              assertThat(pods.get(0).getSpec().getSecurityContext().getRunAsUser())
                  .isEqualTo(65532L);
            });
  }

  @Test
  void helmInstallAgainstTheClusterDetectsItsApiVersionsAndPrintsNotes(@TestNamespace String ns)
      throws Exception {
    String release = release();
    Path values = Files.createTempFile("dbguard-values-", ".yaml");
    Files.writeString(values, "replicas: 2\n");
    try {
      // A real `helm install` (Helm's own kube client, discovery and release storage); the CRDs in
      // the chart's crds/ already exist (the rig installed crds/), which Helm accepts.
      Release installed =
          new Helm(ChartFixture.chartDir())
              .install()
              .withName(release)
              .withNamespace(ns)
              .withKubeConfig(cluster.kubeconfigFile())
              .withValuesFile(values)
              .call();
      cleanup.add(
          () ->
              Helm.uninstall(release)
                  .withNamespace(ns)
                  .withKubeConfig(cluster.kubeconfigFile())
                  .call());
      assertThat(installed.getStatus()).isEqualTo("deployed");
      assertThat(installed.getOutput()).contains("kubectl get dbmig", "Helm does not upgrade CRDs");
      // Discovery says this 1.20 apiserver has no policy/v1: the chart chose policy/v1beta1.
      assertThat(
              admin
                  .policy()
                  .v1beta1()
                  .podDisruptionBudget()
                  .inNamespace(ns)
                  .withName(release + "-operator")
                  .get())
          .isNotNull();
      assertThat(admin.rbac().clusterRoles().withName(release + "-operator").get()).isNotNull();
    } finally {
      Files.deleteIfExists(values);
    }
  }

  @Test
  void haInstallWithPdbAndNetworkPolicyIsAccepted(@TestNamespace String ns) {
    String release = release();
    // Kubernetes 1.20 serves PodDisruptionBudget only as policy/v1beta1; a live `helm install`
    // detects that by itself, `helm template` (no cluster) needs the value.
    List<HasMetadata> applied =
        install(
            release,
            ns,
            "replicas: 2\npodDisruptionBudget: {apiVersion: policy/v1beta1}\n"
                + "networkPolicy: {enabled: true}\n");
    assertThat(ofKind(applied, "PodDisruptionBudget")).hasSize(1);
    assertThat(ofKind(applied, "NetworkPolicy")).hasSize(1);
    for (HasMetadata o : applied) {
      assertThat(admin.resource(o).get()).as("%s stored", name(o)).isNotNull();
    }
  }

  @Test
  void operatorServiceAccountHasWhatItNeedsAndNoMore(@TestNamespace String ns) {
    String release = release();
    install(release, ns, "");
    String app = namespace("chart-app");
    admin
        .genericKubernetesResources(MIGRATIONS)
        .inNamespace(app)
        .resource(migration("shop"))
        .create();

    try (KubernetesClient op = cluster.clientAs(ns, release)) {
      // Allowed: the operator's own resources, everywhere.
      assertThat(op.genericKubernetesResources(MIGRATIONS).inAnyNamespace().list().getItems())
          .extracting(m -> m.getMetadata().getName())
          .contains("shop");
      // The operator lists and watches (its informer); it never GETs one by name.
      GenericKubernetesResource mig =
          op.genericKubernetesResources(MIGRATIONS).inNamespace(app).list().getItems().get(0);
      assertForbidden(
          () -> op.genericKubernetesResources(MIGRATIONS).inNamespace(app).withName("shop").get());
      assertThat(mig).isNotNull();
      mig.setAdditionalProperty("status", Map.of("phase", "Pending"));
      assertThatCode(
              () ->
                  op.genericKubernetesResources(MIGRATIONS)
                      .inNamespace(app)
                      .resource(mig)
                      .updateStatus())
          .doesNotThrowAnyException();
      GenericKubernetesResource backup =
          new GenericKubernetesResourceBuilder()
              .withApiVersion("dbguard.io/v1alpha1")
              .withKind("DatabaseBackup")
              .withNewMetadata()
              .withName("shop-backup-1")
              .endMetadata()
              .addToAdditionalProperties("spec", Map.of("database", "shop"))
              .build();
      op.genericKubernetesResources(BACKUPS).inNamespace(app).resource(backup).create();
      // retention deletes the records of pruned backups beyond the newest ten
      assertThatCode(
              () ->
                  op.genericKubernetesResources(BACKUPS)
                      .inNamespace(app)
                      .withName("shop-backup-1")
                      .delete())
          .doesNotThrowAnyException();

      // Allowed: Jobs (create, get), events (create), pods, PVCs, ConfigMaps and workloads (list:
      // the informer caches); a PVC by name (VolumeSnapshot backups). Workloads and ConfigMaps are
      // never read by name.
      Job job =
          op.batch().v1().jobs().inNamespace(app).resource(job("shop-backup-abcd1234")).create();
      assertThat(job.getMetadata().getUid()).isNotBlank();
      assertThatCode(() -> op.pods().inAnyNamespace().list()).doesNotThrowAnyException();
      assertThat(op.batch().v1().jobs().inNamespace(app).withName("shop-backup-abcd1234").get())
          .isNotNull();
      assertThatCode(() -> op.apps().deployments().inAnyNamespace().list())
          .doesNotThrowAnyException();
      assertThatCode(() -> op.apps().statefulSets().inAnyNamespace().list())
          .doesNotThrowAnyException();
      assertThatCode(() -> op.persistentVolumeClaims().inAnyNamespace().list())
          .doesNotThrowAnyException();
      assertThat(op.persistentVolumeClaims().inNamespace(app).withName("shop-data").get()).isNull();
      assertForbidden(() -> op.apps().deployments().inNamespace(app).withName("shop").get());
      assertForbidden(() -> op.apps().statefulSets().inNamespace(app).withName("shop").get());
      assertThatCode(() -> op.v1().events().inNamespace(app).resource(event(app)).create())
          .doesNotThrowAnyException();
      assertForbidden(
          () -> op.batch().v1().jobs().inNamespace(app).withName("shop-backup-abcd1234").delete());
      // Allowed: get one VolumeSnapshot by name (snapshot backups; retention deletes by name);
      // forbidden: listing them, and listing VolumeSnapshotContents (cluster-scoped: the operator
      // only reads one by name for its deletionPolicy).
      assertThat(
              op.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshot")
                  .inNamespace(app)
                  .withName("shop-snapshot-abcd1234")
                  .get())
          .isNull();
      assertForbidden(
          () ->
              op.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshot")
                  .inNamespace(app)
                  .list());
      assertForbidden(
          () ->
              op.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent")
                  .list());

      // Allowed: list Secrets and ConfigMaps (the metadata-only caches).
      assertThatCode(() -> op.secrets().inNamespace(app).list()).doesNotThrowAnyException();
      assertThatCode(() -> op.configMaps().inNamespace(app).list()).doesNotThrowAnyException();

      // Forbidden: reading one Secret by name, writing Secrets or ConfigMaps.
      assertForbidden(() -> op.secrets().inNamespace(app).withName("shop-db").get());
      assertForbidden(() -> op.configMaps().inNamespace(app).withName("x").get());
      assertForbidden(() -> op.secrets().inNamespace(app).withName("x").delete());
      assertForbidden(() -> op.namespaces().withName(app).delete());
      assertForbidden(() -> op.namespaces().list());
      assertForbidden(() -> op.pods().inNamespace(app).withName("anything").delete());
      assertForbidden(() -> op.rbac().clusterRoles().list());
      // The write fence may read and set replica counts through the scale subresource only (a 404
      // here: no such Deployment, not 403); the workloads themselves stay read-only.
      assertThat(
              catchThrowableOfType(
                      KubernetesClientException.class,
                      () -> op.apps().deployments().inNamespace(app).withName("web").scale())
                  .getCode())
          .isEqualTo(404);
      assertThat(
              catchThrowableOfType(
                      KubernetesClientException.class,
                      () -> op.apps().statefulSets().inNamespace(app).withName("db").scale())
                  .getCode())
          .isEqualTo(404);
      assertForbidden(() -> op.apps().deployments().inNamespace(app).withName("web").delete());
      assertForbidden(
          () ->
              op.apps()
                  .deployments()
                  .inNamespace(app)
                  .resource(
                      new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                          .withNewMetadata()
                          .withName("web")
                          .endMetadata()
                          .build())
                  .create());
      assertForbidden(
          () ->
              op.genericKubernetesResources(MIGRATIONS).inNamespace(app).withName("shop").delete());

      // Leader election: its own Lease in the release namespace only.
      Lease lease =
          op.leases()
              .inNamespace(ns)
              .resource(
                  new LeaseBuilder()
                      .withNewMetadata()
                      .withName(release + "-leader")
                      .endMetadata()
                      .withNewSpec()
                      .withHolderIdentity("pod-a")
                      .withLeaseDurationSeconds(15)
                      .endSpec()
                      .build())
              .create();
      // Taking over and renewing are JSON merge patches (what fabric8's LeaderElector sends).
      lease.getSpec().setHolderIdentity("pod-b");
      lease.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
      assertThatCode(
              () ->
                  op.leases()
                      .inNamespace(ns)
                      .resource(lease)
                      .patch(
                          io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                              io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE)))
          .doesNotThrowAnyException();
      assertThat(
              op.leases()
                  .inNamespace(ns)
                  .withName(release + "-leader")
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("pod-b");
      assertForbidden(() -> op.leases().inNamespace(ns).withName("kube-scheduler").get());
      assertForbidden(() -> op.leases().inNamespace(app).resource(lease("elsewhere")).create());
    }
  }

  @Test
  void watchNamespacesConfinesTheOperator(@TestNamespace String ns) {
    String release = release();
    String watched = namespace("chart-watched");
    String other = namespace("chart-unwatched");
    List<HasMetadata> applied = install(release, ns, "watchNamespaces: [" + watched + "]\n");
    // only the cluster-scoped grant no Role can hold (VolumeSnapshotContents, get)
    assertThat(ofKind(applied, "ClusterRole"))
        .singleElement()
        .satisfies(
            r -> assertThat(r.getMetadata().getName()).endsWith("-operator-snapshot-contents"));

    try (KubernetesClient op = cluster.clientAs(ns, release)) {
      assertThatCode(() -> op.genericKubernetesResources(MIGRATIONS).inNamespace(watched).list())
          .doesNotThrowAnyException();
      assertThatCode(() -> op.batch().v1().jobs().inNamespace(watched).resource(job("j1")).create())
          .doesNotThrowAnyException();
      assertForbidden(() -> op.genericKubernetesResources(MIGRATIONS).inNamespace(other).list());
      assertForbidden(() -> op.genericKubernetesResources(MIGRATIONS).inAnyNamespace().list());
      assertForbidden(() -> op.batch().v1().jobs().inNamespace(other).resource(job("j2")).create());
      assertForbidden(() -> op.secrets().inNamespace(other).list());
    }
  }

  @Test
  void gateServiceAccountMayOnlyReadMigrationsInItsNamespace(@TestNamespace String ns)
      throws Exception {
    String release = release();
    String app = namespace("chart-app");
    cluster.ensureServiceAccount(app, "shop-web");
    install(
        release,
        ns,
        "gate: {enabled: true, namespaces: [" + app + "], serviceAccounts: [shop-web]}\n");
    admin
        .genericKubernetesResources(MIGRATIONS)
        .inNamespace(app)
        .resource(migration("shop"))
        .create();

    try (KubernetesClient gate = cluster.clientAs(app, "shop-web")) {
      assertThat(
              gate.genericKubernetesResources(MIGRATIONS).inNamespace(app).withName("shop").get())
          .isNotNull();
      assertThat(gate.genericKubernetesResources(MIGRATIONS).inNamespace(app).list().getItems())
          .hasSize(1);
      List<String> events = new CopyOnWriteArrayList<>();
      try (Watch w =
          gate.genericKubernetesResources(MIGRATIONS)
              .inNamespace(app)
              .withName("shop")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource r) {
                      events.add(action + " " + r.getMetadata().getLabels());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        admin
            .genericKubernetesResources(MIGRATIONS)
            .inNamespace(app)
            .withName("shop")
            .edit(
                m -> {
                  m.getMetadata().setLabels(Map.of("touched", "yes"));
                  return m;
                });
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    events.stream()
                        .anyMatch(e -> e.startsWith("MODIFIED") && e.contains("touched")));
      }
      assertForbidden(
          () ->
              gate.genericKubernetesResources(MIGRATIONS)
                  .inNamespace(app)
                  .resource(migration("evil"))
                  .create());
      assertForbidden(
          () ->
              gate.genericKubernetesResources(MIGRATIONS)
                  .inNamespace(app)
                  .withName("shop")
                  .delete());
      assertForbidden(() -> gate.genericKubernetesResources(MIGRATIONS).inNamespace(ns).list());
      assertForbidden(() -> gate.genericKubernetesResources(MIGRATIONS).inAnyNamespace().list());
      assertForbidden(() -> gate.secrets().inNamespace(app).withName("shop-db").get());
    }
    // A ServiceAccount that was not listed gets nothing.
    try (KubernetesClient other = cluster.clientAs(app, "shop-api")) {
      assertForbidden(
          () ->
              other.genericKubernetesResources(MIGRATIONS).inNamespace(app).withName("shop").get());
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Renders the chart and server-side applies every object, as field manager "helm". */
  @Test
  void grafanaDashboardConfigMapIsStoredInTheNamespaceAskedFor(@TestNamespace String ns)
      throws Exception {
    String grafana = namespace("grafana");
    String release = release();
    install(
        release,
        ns,
        "metrics:\n  grafanaDashboard:\n    enabled: true\n    namespace: " + grafana + "\n");
    io.fabric8.kubernetes.api.model.ConfigMap cm =
        admin.configMaps().inNamespace(grafana).withName(release + "-dashboard").get();
    assertThat(cm).isNotNull();
    assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cm.getData().get("dbguard.json"))
                .get("uid")
                .asText())
        .isEqualTo("dbguard-operator");
    // as a sidecar finds it: by label, across namespaces
    assertThat(
            admin
                .configMaps()
                .inAnyNamespace()
                .withLabel("grafana_dashboard", "1")
                .list()
                .getItems())
        .extracting(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName())
        .contains(grafana + "/" + release + "-dashboard");
  }

  private List<HasMetadata> install(String release, String ns, String values) {
    List<HasMetadata> objects = renderObjects(release, ns, values);
    for (HasMetadata o : objects) {
      HasMetadata result =
          admin.resource(o).fieldManager("helm").forceConflicts().serverSideApply();
      assertThat(result.getMetadata().getUid()).as("%s applied", name(o)).isNotBlank();
      if (o instanceof ClusterRole || o instanceof ClusterRoleBinding) {
        cleanup.add(() -> admin.resource(o).delete());
      }
    }
    return objects;
  }

  private String namespace(String hint) {
    String name = cluster.createNamespace(hint);
    cleanup.add(() -> cluster.deleteNamespace(name));
    return name;
  }

  /** A unique release name containing "dbguard", so the full name equals the release name. */
  private static String release() {
    return String.format("dbguard-%05x", ThreadLocalRandom.current().nextInt(0x100000));
  }

  private static String name(HasMetadata o) {
    return o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static void assertForbidden(ThrowingCallable call) {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, call);
    assertThat(e).as("expected 403 Forbidden, the call succeeded").isNotNull();
    assertThat(e.getCode()).as("HTTP status of %s", e.getMessage()).isEqualTo(403);
  }

  private static GenericKubernetesResource migration(String name) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("dbguard.io/v1alpha1")
        .withKind("DatabaseMigration")
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToAdditionalProperties(
            "spec",
            Map.of(
                "database",
                Map.of(
                    "name",
                    "shop",
                    "engine",
                    "SQLite",
                    "volume",
                    Map.of("claimName", "shop-data", "path", "shop.sqlite3")),
                "migrate",
                Map.of("image", "shop:v2", "command", List.of("bin/rails", "db:migrate"))))
        .build();
  }

  private static Job job(String name) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app.kubernetes.io/managed-by", "dbguard")
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("step")
        .withImage("ghcr.io/dbguard/dbguard:0.1.0")
        .withArgs("version")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Lease lease(String name) {
    return new LeaseBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static io.fabric8.kubernetes.api.model.Event event(String ns) {
    return new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata()
        .withGenerateName("shop.")
        .withNamespace(ns)
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("dbguard.io/v1alpha1")
        .withKind("DatabaseMigration")
        .withName("shop")
        .withNamespace(ns)
        .endInvolvedObject()
        .withReason("BackingUp")
        .withMessage("taking a backup")
        .withType("Normal")
        .build();
  }
}
