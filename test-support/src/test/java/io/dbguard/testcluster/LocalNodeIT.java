package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local node plays kubelet: processes, env, volumes, termination messages, faults. */
@WithTestCluster
class LocalNodeIT {
  static LocalNode node;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    node.mapImage("example.org/echo*", ImageMapping.javaMain(EchoMain.class.getName()));
    node.mapImage("example.org/listen*", ImageMapping.javaMain(ListenMain.class.getName()));
  }

  @Test
  void aRestartedInitContainerShowsTheExitCodeAndMessageOfItsLastRun(@TestNamespace String ns) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("held")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Always")
            .addNewInitContainer()
            .withName("gate")
            .withImage("busybox")
            .withCommand("sh", "-c", "echo 'held: waiting' > /dev/termination-log; exit 50")
            .endInitContainer()
            .addNewContainer()
            .withName("app")
            .withImage("busybox")
            .withCommand("sh", "-c", "sleep 300")
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(pod).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var s = client.pods().inNamespace(ns).withName("held").get().getStatus();
              var init = s.getInitContainerStatuses();
              return init != null
                  && !init.isEmpty()
                  && init.get(0).getRestartCount() >= 2
                  && init.get(0).getLastState() != null
                  && init.get(0).getLastState().getTerminated() != null;
            });
    Pod seen = client.pods().inNamespace(ns).withName("held").get();
    var gate = seen.getStatus().getInitContainerStatuses().get(0);
    assertThat(gate.getLastState().getTerminated().getExitCode()).isEqualTo(50);
    assertThat(gate.getLastState().getTerminated().getMessage()).isEqualTo("held: waiting\n");
    assertThat(gate.getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(seen.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(seen.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNull();
    assertThat(node.logs(ns, "held", "app")).isEmpty();
  }

  @Test
  void podsDeclaringTheSamePortListenOnDistinctHostPorts(@TestNamespace String ns)
      throws Exception {
    for (String name : new String[] {"one", "two"}) {
      client
          .pods()
          .inNamespace(ns)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("server")
                  .withImage("example.org/listen:1")
                  .addNewPort()
                  .withName("http")
                  .withContainerPort(8080)
                  .endPort()
                  .addNewEnv()
                  .withName("PORT")
                  .withValue("8080")
                  .endEnv()
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> answers(ns, "one") && answers(ns, "two"));

    assertThat(node.hostPort(ns, "one", 8080)).isNotEqualTo(node.hostPort(ns, "two", 8080));
    assertThat(read(node.hostPort(ns, "one", 8080))).isEqualTo("one");
    assertThat(read(node.hostPort(ns, "two", 8080))).isEqualTo("two");
    for (String name : new String[] {"one", "two"}) {
      assertThat(client.pods().inNamespace(ns).withName(name).get().getStatus().getPhase())
          .isEqualTo("Running");
    }
  }

  private boolean answers(String ns, String pod) {
    try {
      return pod.equals(read(node.hostPort(ns, pod, 8080)));
    } catch (Exception e) {
      return false;
    }
  }

  private static String read(int port) throws java.io.IOException {
    try (var socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .trim();
    }
  }

  @Test
  void theImagesWorkingDirectoryIsTheDefaultAndWorkingDirOverridesIt(@TestNamespace String ns)
      throws Exception {
    java.nio.file.Path app = java.nio.file.Files.createTempDirectory("app-image-");
    java.nio.file.Files.createDirectories(app.resolve("bin"));
    java.nio.file.Path script = app.resolve("bin/migrate");
    java.nio.file.Files.writeString(script, "#!/bin/sh\necho migrated-in-$(pwd)\n");
    script.toFile().setExecutable(true);
    node.mapImage("example.org/app*", ImageMapping.host().withWorkingDir(app));
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("wd")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("relative")
                .withImage("example.org/app:1")
                .withCommand("bin/migrate")
                .endContainer()
                .addNewContainer()
                .withName("explicit")
                .withImage("example.org/app:1")
                .withWorkingDir("/tmp")
                .withCommand("sh", "-c", "pwd")
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod pod = Fixtures.awaitPodDone(client, ns, "wd");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(node.logs(ns, "wd", "relative")).contains("migrated-in-" + app.toRealPath());
    assertThat(node.logs(ns, "wd", "explicit").strip()).isEqualTo("/tmp");
  }

  @Test
  void terminationMessageRoundTrips(@TestNamespace String ns) {
    client
        .pods()
        .inNamespace(ns)
        .resource(
            Fixtures.shellPod(
                    "tm",
                    "printf '{\"step\":\"backup\",\"ok\":false}' > /dev/termination-log; exit 3")
                .build())
        .create();

    Pod pod = Fixtures.awaitPodDone(client, ns, "tm");

    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated t = Fixtures.terminated(pod);
    assertThat(t.getExitCode()).isEqualTo(3);
    assertThat(t.getReason()).isEqualTo("Error");
    assertThat(t.getMessage()).isEqualTo("{\"step\":\"backup\",\"ok\":false}");
  }

  @Test
  void customTerminationMessagePathAndFallbackToLogs(@TestNamespace String ns) {
    Pod custom =
        Fixtures.shellPod("custom", "echo -n done > /tmp/result.json")
            .editSpec()
            .editFirstContainer()
            .withTerminationMessagePath("/tmp/result.json")
            .endContainer()
            .endSpec()
            .build();
    Pod fallback =
        Fixtures.shellPod("fallback", "echo something broke; exit 2")
            .editSpec()
            .editFirstContainer()
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(custom).create();
    client.pods().inNamespace(ns).resource(fallback).create();

    assertThat(Fixtures.terminated(Fixtures.awaitPodDone(client, ns, "custom")).getMessage())
        .isEqualTo("done");
    assertThat(Fixtures.terminated(Fixtures.awaitPodDone(client, ns, "fallback")).getMessage())
        .isEqualTo("something broke");
  }

  @Test
  void envIsResolvedFromSecretsConfigMapsAndFields(@TestNamespace String ns) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .addToStringData("password", "s3cret")
                .addToStringData("user", "app")
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("mode", "strict")
                .build())
        .create();
    Pod pod =
        Fixtures.shellPod(
                "env",
                "printf '%s|%s|%s|%s|%s' \"$PASSWORD\" \"$DB_user\" \"$MODE\" \"$POD\" \"$URL\""
                    + " > /dev/termination-log")
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "db", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("MODE")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("mode", "settings", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("POD")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("URL")
            .withValue("postgres://$(DB_user):$(PASSWORD)@db/x")
            .endEnv()
            .addNewEnvFrom()
            .withPrefix("DB_")
            .withNewSecretRef("db", false)
            .endEnvFrom()
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(pod).create();

    Pod done = Fixtures.awaitPodDone(client, ns, "env");

    assertThat(Fixtures.terminated(done).getMessage())
        .isEqualTo("s3cret|app|strict|env|postgres://app:s3cret@db/x");
  }

  @Test
  void missingSecretKeepsThePodPendingUntilItExists(@TestNamespace String ns) {
    Pod pod =
        Fixtures.shellPod("late", "printf \"$TOKEN\" > /dev/termination-log")
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef("token", "later", false)
            .endValueFrom()
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(pod).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Pod p = client.pods().inNamespace(ns).withName("late").get();
              ContainerStateWaiting w =
                  p.getStatus() == null || p.getStatus().getContainerStatuses().isEmpty()
                      ? null
                      : p.getStatus().getContainerStatuses().get(0).getState().getWaiting();
              return w != null && "CreateContainerConfigError".equals(w.getReason());
            });

    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("later")
                .endMetadata()
                .addToStringData("token", "t0k")
                .build())
        .create();

    assertThat(Fixtures.terminated(Fixtures.awaitPodDone(client, ns, "late")).getMessage())
        .isEqualTo("t0k");
  }

  @Test
  void javaImageMappingWithVolumePathsRewritten(@TestNamespace String ns) {
    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("backups")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("java")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("main")
            .withImage("example.org/echo:1.0")
            .withArgs("/backups/out.txt", "wrote", "--file=/backups/a.dump", "/backupsX")
            .addNewEnv()
            .withName("GREETING")
            .withValue("hi")
            .endEnv()
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/backups")
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("backups")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(pod).create();

    Pod done = Fixtures.awaitPodDone(client, ns, "java");

    assertThat(done.getStatus().getPhase()).isEqualTo("Succeeded");
    Path volume = node.volumePath(ns, "backups");
    assertThat(volume.resolve("out.txt"))
        .content()
        .isEqualTo("wrote --file=" + volume.resolve("a.dump") + " /backupsX hi");
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(ns)
                .withName("backups")
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Bound");
  }

  @Test
  void podProcessActsAsItsServiceAccount(TestCluster cluster, @TestNamespace String ns) {
    cluster.ensureServiceAccount(ns, "reader");
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("color", "green")
                .build())
        .create();
    client
        .rbac()
        .roles()
        .inNamespace(ns)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("cm")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("configmaps")
                .withVerbs("get")
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
                .withName("cm")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "cm")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("reader")
                .withNamespace(ns)
                .endSubject()
                .build())
        .create();
    String script =
        "kubectl get configmap settings -o jsonpath='{.data.color}' > /dev/termination-log 2>&1";
    Pod allowed =
        Fixtures.shellPod("allowed", script)
            .editSpec()
            .withServiceAccountName("reader")
            .endSpec()
            .build();
    Pod denied = Fixtures.shellPod("denied", script).build();
    client.pods().inNamespace(ns).resource(allowed).create();
    client.pods().inNamespace(ns).resource(denied).create();

    assertThat(Fixtures.terminated(Fixtures.awaitPodDone(client, ns, "allowed")).getMessage())
        .isEqualTo("green");
    ContainerStateTerminated no = Fixtures.terminated(Fixtures.awaitPodDone(client, ns, "denied"));
    assertThat(no.getExitCode()).isEqualTo(1);
    assertThat(no.getMessage())
        .contains("forbidden")
        .contains("system:serviceaccount:" + ns + ":default");
  }

  @Test
  void killedProcessFailsThePodWithExit137(@TestNamespace String ns) {
    client
        .pods()
        .inNamespace(ns)
        .resource(Fixtures.shellPod("victim", "echo up; sleep 300").build())
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.logs(ns, "victim", "main").contains("up"));
    // The process starts before the node publishes Running.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "Running"
                    .equals(
                        client
                            .pods()
                            .inNamespace(ns)
                            .withName("victim")
                            .get()
                            .getStatus()
                            .getPhase()));

    assertThat(node.killPod(ns, "victim")).isTrue();

    Pod pod = Fixtures.awaitPodDone(client, ns, "victim");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(Fixtures.terminated(pod).getExitCode()).isEqualTo(137);
  }

  @Test
  void podThatNeverStartsHitsTheJobDeadline(@TestNamespace String ns) {
    node.neverStart(LocalNode.jobPods("stuck"));
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(Fixtures.job("stuck", 3, "sh", "-c", "exit 0"))
        .create();

    JobCondition c = Fixtures.awaitFinished(client, ns, "stuck");

    assertThat(c.getType()).isEqualTo("Failed");
    assertThat(c.getReason()).isEqualTo("DeadlineExceeded");
    Job job = client.batch().v1().jobs().inNamespace(ns).withName("stuck").get();
    assertThat(job.getStatus().getSucceeded()).isNull();
  }

  @Test
  void delayedStart(@TestNamespace String ns) {
    node.delayStart(LocalNode.podsNamed("sleepy"), Duration.ofSeconds(2));
    Pod created =
        client
            .pods()
            .inNamespace(ns)
            .resource(Fixtures.shellPod("sleepy", "exit 0").build())
            .create();

    Pod pod = Fixtures.awaitPodDone(client, ns, "sleepy");

    Instant createdAt = Instant.parse(created.getMetadata().getCreationTimestamp());
    Instant startedAt = Instant.parse(Fixtures.terminated(pod).getStartedAt());
    assertThat(Duration.between(createdAt, startedAt))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void initContainersRunInOrderBeforeContainers(@TestNamespace String ns) throws Exception {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("init")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewInitContainer()
            .withName("first")
            .withImage("busybox")
            .withCommand("sh", "-c", "echo first >> /shared/order")
            .addNewVolumeMount()
            .withName("shared")
            .withMountPath("/shared")
            .endVolumeMount()
            .endInitContainer()
            .addNewInitContainer()
            .withName("second")
            .withImage("busybox")
            .withCommand("sh", "-c", "echo second >> /shared/order")
            .addNewVolumeMount()
            .withName("shared")
            .withMountPath("/shared")
            .endVolumeMount()
            .endInitContainer()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", "echo main >> order; cat order > /dev/termination-log")
            .withWorkingDir("/shared")
            .addNewVolumeMount()
            .withName("shared")
            .withMountPath("/shared")
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("shared")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(pod).create();

    Pod done = Fixtures.awaitPodDone(client, ns, "init");

    assertThat(Fixtures.terminated(done).getMessage()).isEqualTo("first\nsecond\nmain\n");
    assertThat(done.getStatus().getInitContainerStatuses())
        .allSatisfy(s -> assertThat(s.getState().getTerminated().getExitCode()).isZero());
    assertThat(Files.readString(node.podDir(ns, "init").resolve("volumes/shared/order")))
        .isEqualTo("first\nsecond\nmain\n");
  }

  @Test
  void unmappedImageStaysPendingWithErrImagePull(@TestNamespace String ns) {
    Pod pod =
        Fixtures.shellPod("nomap", "exit 0")
            .editSpec()
            .editFirstContainer()
            .withImage("registry.example/unknown:1")
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(pod).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Pod p = client.pods().inNamespace(ns).withName("nomap").get();
              return p.getStatus() != null
                  && !p.getStatus().getContainerStatuses().isEmpty()
                  && p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
                  && "ErrImagePull"
                      .equals(
                          p.getStatus()
                              .getContainerStatuses()
                              .get(0)
                              .getState()
                              .getWaiting()
                              .getReason());
            });
    assertThat(client.pods().inNamespace(ns).withName("nomap").get().getStatus().getPhase())
        .isEqualTo("Pending");
    assertThat(Map.of()).isEmpty();
  }
}
