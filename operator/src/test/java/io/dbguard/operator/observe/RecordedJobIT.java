package io.dbguard.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.PlanStatus;
import io.dbguard.operator.model.SnapshotStatus;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordedJob} on the real API server, with an empty Job cache: the Job that {@code
 * status.current.job} names is read by name while the planner may still decide from it (a Job
 * created a moment ago that the cache does not show yet, a seen Job that may be lost), and never
 * once the step's outcome is in status or the attempt has ended: such a Job is deleted by its TTL,
 * and the old code read it on every reconcile, forever.
 */
@WithTestCluster
class RecordedJobIT {
  static TestCluster cluster;
  static KubernetesClient client;

  private static final String REV = "0a1b2c3d";

  @Test
  void theRecordedJobIsReadByNameOnlyWhileTheStepsOutcomeIsNotInStatus(@TestNamespace String ns) {
    DatabaseMigration m = client.resource(migration(ns)).create();
    String migrate = "shop-migrate-" + REV;
    Job created = client.resource(job(ns, migrate, m)).create();
    List<String> gets = new CopyOnWriteArrayList<>();
    KubernetesClient recording = recording(gets);

    // created a moment ago, not in the cache yet: read by name, taken as existing
    m.setStatus(status(Phase.Migrating, "Migrate", migrate));
    List<Job> read = RecordedJob.withRecordedJob(recording, m, List.of());
    assertThat(read)
        .extracting(j -> j.getMetadata().getUid())
        .containsExactly(created.getMetadata().getUid());
    assertThat(gets).hasSize(1);

    // the plan Job has not reported yet: read
    gets.clear();
    m.setStatus(status(Phase.Planning, "Plan", "shop-plan-" + REV));
    assertThat(RecordedJob.withRecordedJob(recording, m, List.of())).isEmpty();
    assertThat(gets).hasSize(1);

    // awaiting approval: status.plan holds the plan Job's outcome; its Job is gone (TTL)
    gets.clear();
    DatabaseMigrationStatus awaiting = status(Phase.AwaitingApproval, "Plan", "shop-plan-" + REV);
    PlanStatus plan = new PlanStatus();
    plan.setRevision(REV);
    plan.setExitCode(0);
    awaiting.setPlan(plan);
    m.setStatus(awaiting);
    assertThat(RecordedJob.withRecordedJob(recording, m, List.of())).isEmpty();
    // a VolumeSnapshot attempt's backup step: current.job is the snapshot, no Job has that name
    DatabaseMigrationStatus snapshot = status(Phase.BackingUp, "Backup", "shop-snapshot-" + REV);
    snapshot.setSnapshot(new SnapshotStatus());
    snapshot.getSnapshot().setName("shop-snapshot-" + REV);
    m.setStatus(snapshot);
    assertThat(RecordedJob.withRecordedJob(recording, m, List.of())).isEmpty();
    // an attempt that has ended: the planner never reads its current step
    m.setStatus(status(Phase.Succeeded, "Verify", "shop-verify-" + REV));
    assertThat(RecordedJob.withRecordedJob(recording, m, List.of())).isEmpty();
    assertThat(gets).as("GETs once the outcome is in status").isEmpty();

    // seen (jobUid recorded), then gone from the cache: only the API server says whether it is lost
    DatabaseMigrationStatus seen = status(Phase.Migrating, "Migrate", migrate);
    seen.getCurrent().setJobUid(created.getMetadata().getUid());
    m.setStatus(seen);
    assertThat(RecordedJob.withRecordedJob(recording, m, List.of())).hasSize(1);
    client.resource(created).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    await().until(() -> client.batch().v1().jobs().inNamespace(ns).withName(migrate).get() == null);
    gets.clear();
    assertThat(RecordedJob.withRecordedJob(recording, m, List.of())).isEmpty();
    assertThat(gets).hasSize(1);
  }

  private static KubernetesClient recording(List<String> gets) {
    return new KubernetesClientBuilder()
        .withConfig(client.getConfiguration())
        .withHttpClientBuilderConsumer(
            b ->
                b.addOrReplaceInterceptor(
                    "record-job-gets",
                    new Interceptor() {
                      @Override
                      public void before(
                          BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        String path = request.uri().getPath();
                        if ("GET".equals(request.method()) && path.contains("/jobs/")) {
                          gets.add(path);
                        }
                      }
                    }))
        .build();
  }

  private static DatabaseMigrationStatus status(Phase phase, String step, String job) {
    DatabaseMigrationStatus st = new DatabaseMigrationStatus();
    st.setPhase(phase);
    st.setRevision(REV);
    st.setImage("shop:v2");
    CurrentStep cur = new CurrentStep();
    cur.setStep(step);
    cur.setJob(job);
    st.setCurrent(cur);
    return st;
  }

  private static DatabaseMigration migration(String ns) {
    DatabaseMigration m =
        Serialization.unmarshal(
            """
            apiVersion: dbguard.io/v1alpha1
            kind: DatabaseMigration
            metadata: {name: shop}
            spec:
              database: {name: shop, engine: SQLite, volume: {claimName: data, path: app.db}}
              migrate: {image: "shop:v2", command: ["true"]}
              backup: {storage: {claimName: backups}}
            """,
            DatabaseMigration.class);
    m.getMetadata().setNamespace(ns);
    return m;
  }

  /** A suspended Job owned by {@code m}: it never starts a pod. */
  private static Job job(String ns, String name, DatabaseMigration m) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(m.getApiVersion())
                .withKind(m.getKind())
                .withName(m.getMetadata().getName())
                .withUid(m.getMetadata().getUid())
                .build())
        .endMetadata()
        .withNewSpec()
        .withSuspend(true)
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("step")
        .withImage("shop:v2")
        .withCommand("true")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
