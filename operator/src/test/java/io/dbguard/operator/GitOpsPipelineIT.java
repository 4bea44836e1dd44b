package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.get;
import static io.dbguard.operator.DatabaseMigrationIT.sqliteCount;
import static io.dbguard.operator.DatabaseMigrationIT.sqliteMigration;
import static io.dbguard.operator.DatabaseMigrationIT.sqliteTables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.AttemptRecord;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitOps pipelines docs/install.md documents, played on the test control plane with the
 * operator as the chart's ServiceAccount: the test is the GitOps controller. A sync applies a
 * commit wave by wave; after a wave it looks at the DatabaseMigration as the API server returns it
 * and goes on only when Argo CD's health (the shipped Lua check) is Healthy and Flux's kstatus is
 * Current; Degraded (Argo CD fails the sync) or Failed (Flux) stops it, and the later wave is not
 * applied. A failed migration followed by a fix committed to Git must reach Healthy/Ready and let
 * the later wave through with no kubectl step: nothing in these tests annotates, retries or edits
 * anything outside a commit.
 */
@WithTestCluster
class GitOpsPipelineIT {
  private static final Logger LOG = LoggerFactory.getLogger(GitOpsPipelineIT.class);
  static TestCluster cluster;
  static KubernetesClient client;

  /** Field manager of the sync: the objects in Git are applied server-side, as Argo CD can. */
  static final String MANAGER = "gitops-controller";

  @BeforeAll
  static void images() {
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.cluster = cluster;
    WriteFenceIT.client = client;
    DatabaseMigrationIT.mapImages(cluster);
  }

  /**
   * docs/install.md: the DatabaseMigration in sync wave -1 (Flux: a Kustomization with {@code wait:
   * true}) with its image in {@code spec.migrate.image}, Deployment web in wave 0 (Flux: a
   * Kustomization that {@code dependsOn} it), writers fenced ({@code rollout.workloads}).
   */
  @Test
  void syncWavesAndDependsOnReachHealthyAfterAFixIsCommitted(@TestNamespace String ns)
      throws Exception {
    DatabaseMigrationIT.setUpSqlite(ns);
    RestoreRequestIT.sleepers(ns, 1); // web, deployed earlier at shop:v1
    WriteFenceIT.awaitPods(ns, 1);
    Operator op = WriteFenceIT.chartOperator(ns);
    try {
      // commit 1: shop:v2, whose migration fails half-way
      Sync one =
          sync(
              ns,
              () ->
                  WriteFenceIT.fenced(
                      sqliteMigration(
                          "shop",
                          "shop:v2",
                          "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE half(x)\"; exit 1")),
              () -> setWebImage(ns, "shop:v2"));
      DatabaseMigration m = get(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
      assertThat(one.outcome()).as(one.looks().toString()).isEqualTo("Degraded");
      assertThat(one.laterWaveApplied()).isFalse();
      assertThat(one.flux()).isEqualTo("Failed");
      // the later wave did not run: web is still v1, back at its replicas, on the restored data
      WriteFenceIT.awaitLifted(ns);
      assertThat(webImage(ns)).isEqualTo("shop:v1");
      assertThat(sqliteTables(ns)).contains("items").doesNotContain("half");

      // commit 2: the fix, shop:v3 with the migration corrected
      Sync two =
          sync(
              ns,
              () ->
                  WriteFenceIT.fenced(
                      sqliteMigration(
                          "shop",
                          "shop:v3",
                          "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE extra(x)\"")),
              () -> setWebImage(ns, "shop:v3"));
      // Right after the apply, before the operator has looked at generation 2, the status is
      // still attempt 1's RolledBack: Argo CD may look then, and must not fail the sync on it.
      assertThat(two.looks().get(0))
          .as("health of the fix as applied, before the operator saw it")
          .startsWith("Progressing/InProgress");
      m = get(ns, "shop");
      assertThat(two.outcome()).as(two.looks() + "\n" + describe(m)).isEqualTo("Healthy");
      assertThat(two.flux()).isEqualTo("Current");
      assertThat(two.laterWaveApplied()).isTrue();
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(m.getStatus().getAttempt()).isEqualTo(2);
      assertThat(m.getStatus().getHistory())
          .extracting(AttemptRecord::getImage, AttemptRecord::getPhase)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("shop:v2", Phase.RolledBack),
              org.assertj.core.groups.Tuple.tuple("shop:v3", Phase.Succeeded));
      assertThat(webImage(ns)).isEqualTo("shop:v3");
      assertThat(sqliteTables(ns)).contains("extra").doesNotContain("half");
      assertThat(sqliteCount(ns, "items")).isEqualTo(3);
    } finally {
      op.stop();
    }
  }

  /**
   * docs/install.md, {@code migrate.fromWorkload}: the image to migrate to is the workload's, so
   * the DatabaseMigration and Deployment web share wave -1 (Flux: one Kustomization); what must
   * wait for the migration (here ConfigMap worker) is in wave 0. The fix is a new image in web
   * only: the DatabaseMigration in Git does not change, the operator sees the Deployment change and
   * starts a new attempt. The Application has {@code syncPolicy.retry}: a sync that looked at the
   * migration before the operator had seen the new image (still Degraded) is retried.
   */
  @Test
  void fromWorkloadAFixedDeploymentImageStartsANewAttemptAndTheLaterWaveFollows(
      @TestNamespace String ns) throws Exception {
    DatabaseMigrationIT.setUpSqlite(ns);
    Operator op = WriteFenceIT.chartOperator(ns);
    try {
      Supplier<DatabaseMigration> inGit =
          () -> {
            DatabaseMigration d =
                sqliteMigration(
                    "shop",
                    "unused",
                    "if [ \"$FIXED\" = 1 ]; then sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE"
                        + " TABLE extra(x)\"; else sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE"
                        + " TABLE half(x)\"; exit 1; fi");
            d.getSpec().getMigrate().setImage(null);
            WorkloadRef w = new WorkloadRef();
            w.setKind(WorkloadKind.Deployment);
            w.setName("web");
            w.setContainer("app");
            d.getSpec().getMigrate().setFromWorkload(w);
            return d;
          };

      Sync one = syncWithRetry(ns, inGit, () -> applyWeb(ns, "shop:v2", "0"), () -> worker(ns));
      DatabaseMigration m = get(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
      assertThat(m.getStatus().getImage()).isEqualTo("shop:v2");
      assertThat(one.outcome()).as(one.looks().toString()).isEqualTo("Degraded");
      assertThat(one.laterWaveApplied()).isFalse();
      assertThat(workerApplied(ns)).isFalse();

      long generation = m.getMetadata().getGeneration();
      Sync two = syncWithRetry(ns, inGit, () -> applyWeb(ns, "shop:v3", "1"), () -> worker(ns));
      // the DatabaseMigration as the sync applied it, before the operator saw the new image,
      // still reads Degraded: why docs/install.md asks for syncPolicy.retry (or migrate.image)
      assertThat(two.looks().get(0)).startsWith("Degraded/Failed");
      m = get(ns, "shop");
      assertThat(two.outcome()).as(two.looks() + "\n" + describe(m)).isEqualTo("Healthy");
      assertThat(two.flux()).isEqualTo("Current");
      assertThat(workerApplied(ns)).isTrue();
      // the DatabaseMigration itself never changed: the Deployment's new image made attempt 2
      assertThat(m.getMetadata().getGeneration()).isEqualTo(generation);
      assertThat(m.getStatus().getAttempt()).isEqualTo(2);
      assertThat(m.getStatus().getImage()).isEqualTo("shop:v3");
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(sqliteTables(ns)).contains("extra").doesNotContain("half");
    } finally {
      op.stop();
    }
  }

  // ------------------------------------------------------------------ the GitOps controller

  /**
   * One sync of a commit: {@code firstWave} applied (the DatabaseMigration from {@code migration},
   * plus {@code withMigration} in the same wave), then the migration watched until Argo CD's health
   * leaves Progressing; {@code laterWave} applied only when it is Healthy.
   *
   * @param looks each distinct {@code <argo health>/<kstatus>: <message>} seen, in order; the first
   *     is the object the apply returned
   * @param outcome the last Argo CD health
   * @param flux the last kstatus
   */
  record Sync(List<String> looks, String outcome, String flux, boolean laterWaveApplied) {}

  static Sync sync(String ns, Supplier<DatabaseMigration> migration, Runnable laterWave) {
    return sync(ns, migration, () -> {}, laterWave);
  }

  static Sync sync(
      String ns,
      Supplier<DatabaseMigration> migration,
      Runnable withMigration,
      Runnable laterWave) {
    DatabaseMigration desired = migration.get();
    desired.getMetadata().setNamespace(ns);
    DatabaseMigration applied =
        client.resource(desired).fieldManager(MANAGER).forceConflicts().serverSideApply();
    withMigration.run();
    List<String> looks = new ArrayList<>();
    look(applied, looks);
    await()
        .atMost(Duration.ofSeconds(300)) // a bound, not a measure: several Jobs on a busy node
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !"Progressing".equals(look(get(ns, "shop"), looks)));
    DatabaseMigration last = get(ns, "shop");
    String argo = GitOpsHealth.argo(last).get("status");
    String flux = GitOpsHealth.kstatus(last);
    boolean healthy = "Healthy".equals(argo);
    LOG.info("sync in {} ended at image {}: {}", ns, last.getStatus().getImage(), looks);
    if (healthy) {
      assertThat(flux).as("Flux agrees with Argo CD").isEqualTo("Current");
      laterWave.run();
    }
    return new Sync(looks, argo, flux, healthy);
  }

  /**
   * {@link #sync} with Argo CD's {@code syncPolicy.retry} (limit 2, backoff 5 s doubling, Argo CD's
   * defaults): a sync that ended Degraded is run again for the same commit (re-applying it changes
   * nothing).
   */
  static Sync syncWithRetry(
      String ns, Supplier<DatabaseMigration> migration, Runnable withMigration, Runnable later)
      throws InterruptedException {
    List<String> looks = new ArrayList<>();
    Sync s = null;
    for (int attempt = 0; attempt <= 2; attempt++) {
      if (attempt > 0) {
        Thread.sleep(5000L << (attempt - 1));
      }
      s = sync(ns, migration, withMigration, later);
      looks.addAll(s.looks());
      looks.add("-- sync ended " + s.outcome());
      if (s.laterWaveApplied()) {
        break;
      }
    }
    return new Sync(looks, s.outcome(), s.flux(), s.laterWaveApplied());
  }

  /** Records the look at {@code live} if it differs from the previous one; its Argo CD health. */
  static String look(DatabaseMigration live, List<String> looks) {
    Map<String, String> h = GitOpsHealth.argo(live);
    String entry = h.get("status") + "/" + GitOpsHealth.kstatus(live) + ": " + h.get("message");
    if (looks.isEmpty() || !looks.get(looks.size() - 1).equals(entry)) {
      looks.add(entry);
    }
    return h.get("status");
  }

  // ------------------------------------------------------------------ fixtures

  /**
   * The later wave of the first pipeline: web's image as Git has it, patched without a
   * resourceVersion as a GitOps apply does (the operator scales web meanwhile).
   */
  static void setWebImage(String ns, String image) {
    patchWeb(
        ns,
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
            + image
            + "\"}]");
  }

  static void patchWeb(String ns, String jsonPatch) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .patch(PatchContext.of(PatchType.JSON), jsonPatch);
  }

  static String webImage(String ns) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** Deployment web (1 sleeping pod) as Git has it: {@code image}, env FIXED={@code fixed}. */
  static void applyWeb(String ns, String image, String fixed) {
    if (client.apps().deployments().inNamespace(ns).withName("web").get() == null) {
      WriteFenceIT.webDeployment(
          ns,
          1,
          new ContainerBuilder()
              .withName("app")
              .withImage(image)
              .withCommand("sh", "-c", "sleep 3600")
              .withEnv(new EnvVar("FIXED", fixed, null))
              .build());
      return;
    }
    patchWeb(
        ns,
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
            + image
            + "\"},{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/env\","
            + "\"value\":[{\"name\":\"FIXED\",\"value\":\""
            + fixed
            + "\"}]}]");
  }

  /** The later wave of the fromWorkload pipeline: ConfigMap worker. */
  static void worker(String ns) {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("worker")
                .withNamespace(ns)
                .endMetadata()
                .withData(Map.of("role", "worker"))
                .build())
        .fieldManager(MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  static boolean workerApplied(String ns) {
    return client.configMaps().inNamespace(ns).withName("worker").get() != null;
  }
}
