package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.fabric8.volumesnapshot.client.VolumeSnapshotClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The snapshot-controller stand-in: VolumeSnapshot of a local PVC and restore into a new PVC. */
@WithTestCluster
class SnapshotIT {
  static KubernetesClient client;
  static SnapshotController snapshots;

  static PersistentVolumeClaim pvc(String name, String size, String fromSnapshot) {
    PersistentVolumeClaimBuilder b =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity(size))
            .endResources()
            .endSpec();
    if (fromSnapshot != null) {
      b.editSpec()
          .withNewDataSource()
          .withApiGroup("snapshot.storage.k8s.io")
          .withKind("VolumeSnapshot")
          .withName(fromSnapshot)
          .endDataSource()
          .endSpec();
    }
    return b.build();
  }

  static VolumeSnapshot snapshot(String name, String claim) {
    return new VolumeSnapshotBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNewSource()
        .withPersistentVolumeClaimName(claim)
        .endSource()
        .endSpec()
        .build();
  }

  /** Runs {@code sh -c script} with the claim mounted at /data; returns the termination message. */
  static String runWithClaim(String ns, String pod, String claim, String script) {
    client
        .pods()
        .inNamespace(ns)
        .resource(
            Fixtures.shellPod(pod, script)
                .editSpec()
                .editFirstContainer()
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/data")
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName(claim)
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .build())
        .create();
    Pod done = Fixtures.awaitPodDone(client, ns, pod);
    assertThat(done.getStatus().getPhase()).as(pod).isEqualTo("Succeeded");
    return Fixtures.terminated(done).getMessage();
  }

  static VolumeSnapshot awaitSnapshot(String ns, String name, boolean ready) {
    VolumeSnapshot[] out = new VolumeSnapshot[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              VolumeSnapshot vs =
                  client.resources(VolumeSnapshot.class).inNamespace(ns).withName(name).get();
              out[0] = vs;
              return vs.getStatus() != null
                  && (ready
                      ? Boolean.TRUE.equals(vs.getStatus().getReadyToUse())
                      : vs.getStatus().getError() != null);
            });
    return out[0];
  }

  @Test
  void snapshotAndRestoreRoundTrip(@TestNamespace String ns) {
    client.persistentVolumeClaims().inNamespace(ns).resource(pvc("data", "1Gi", null)).create();
    runWithClaim(ns, "write", "data", "echo before > /data/file");
    // The typed fabric8 volumesnapshot client works against these CRDs too.
    client
        .adapt(VolumeSnapshotClient.class)
        .volumeSnapshots()
        .inNamespace(ns)
        .resource(snapshot("snap", "data"))
        .create();

    VolumeSnapshot vs = awaitSnapshot(ns, "snap", true);
    runWithClaim(ns, "write-after", "data", "echo after > /data/file");

    assertThat(vs.getStatus().getRestoreSize()).isEqualTo(new Quantity("1Gi"));
    assertThat(vs.getStatus().getCreationTime()).isNotBlank();
    assertThat(vs.getStatus().getError()).isNull();
    VolumeSnapshotContent content =
        client
            .resources(VolumeSnapshotContent.class)
            .withName(vs.getStatus().getBoundVolumeSnapshotContentName())
            .get();
    assertThat(content.getSpec().getVolumeSnapshotRef().getUid())
        .isEqualTo(vs.getMetadata().getUid());
    assertThat(content.getSpec().getDriver()).isEqualTo(SnapshotController.DRIVER);
    assertThat(content.getStatus().getReadyToUse()).isTrue();
    assertThat(content.getStatus().getRestoreSize()).isEqualTo(1L << 30);

    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .resource(pvc("restored", "1Gi", "snap"))
        .create();

    assertThat(runWithClaim(ns, "read", "restored", "cat /data/file > /dev/termination-log"))
        .isEqualTo("before\n");
    assertThat(runWithClaim(ns, "read-orig", "data", "cat /data/file > /dev/termination-log"))
        .isEqualTo("after\n");

    client.resources(VolumeSnapshot.class).inNamespace(ns).withName("snap").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                        .resources(VolumeSnapshotContent.class)
                        .withName(content.getMetadata().getName())
                        .get()
                    == null);
  }

  @Test
  void restoreIntoASmallerClaimStaysPending(@TestNamespace String ns) throws Exception {
    client.persistentVolumeClaims().inNamespace(ns).resource(pvc("big", "2Gi", null)).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "Bound"
                    .equals(
                        client
                            .persistentVolumeClaims()
                            .inNamespace(ns)
                            .withName("big")
                            .get()
                            .getStatus()
                            .getPhase()));
    client.resources(VolumeSnapshot.class).inNamespace(ns).resource(snapshot("s", "big")).create();
    awaitSnapshot(ns, "s", true);

    client.persistentVolumeClaims().inNamespace(ns).resource(pvc("small", "1Gi", "s")).create();
    Thread.sleep(3000);

    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(ns)
                .withName("small")
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Pending");
  }

  @Test
  void injectedFailureSetsStatusError(@TestNamespace String ns) {
    client.persistentVolumeClaims().inNamespace(ns).resource(pvc("data", "1Gi", null)).create();
    snapshots.failSnapshots(SnapshotController.named(ns, "broken"), "injected: disk full");
    client
        .resources(VolumeSnapshot.class)
        .inNamespace(ns)
        .resource(snapshot("broken", "data"))
        .create();

    VolumeSnapshot vs = awaitSnapshot(ns, "broken", false);

    assertThat(vs.getStatus().getReadyToUse()).isFalse();
    assertThat(vs.getStatus().getError().getMessage()).isEqualTo("injected: disk full");
    assertThat(vs.getStatus().getBoundVolumeSnapshotContentName()).isNull();
  }

  @Test
  void snapshotOfAMissingClaimOrClassReportsAnError(@TestNamespace String ns) {
    client
        .resources(VolumeSnapshot.class)
        .inNamespace(ns)
        .resource(snapshot("orphan", "nope"))
        .create();
    VolumeSnapshot bogusClass = snapshot("bogus", "nope");
    bogusClass.getSpec().setVolumeSnapshotClassName("no-such-class");
    client.resources(VolumeSnapshot.class).inNamespace(ns).resource(bogusClass).create();

    assertThat(awaitSnapshot(ns, "orphan", false).getStatus().getError().getMessage())
        .contains("PersistentVolumeClaim nope not found");
    assertThat(awaitSnapshot(ns, "bogus", false).getStatus().getError().getMessage())
        .contains("no-such-class");
  }
}
