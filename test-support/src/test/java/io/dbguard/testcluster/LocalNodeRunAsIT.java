package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalNode#runAsUsers()}: the chosen pods run as their {@code securityContext}'s user (a
 * shell and a {@link ImageMapping#javaMain} JVM, which needs the readable classpath mirror), the
 * others as this JVM's user.
 */
@WithTestCluster
class LocalNodeRunAsIT {
  static LocalNode node;
  static KubernetesClient client;

  /**
   * Prints uid, gids and writes to HOME, TMPDIR and an emptyDir; fails when one is not writable.
   */
  private static final String SCRIPT =
      "touch \"$HOME/h\" \"$TMPDIR/t\" /scratch/s"
          + " && echo \"$(id -u) $(id -G)\" > /dev/termination-log";

  @Test
  void chosenPodsRunAsTheirRunAsUserAndTheOthersAsThisJvmsUser(@TestNamespace String ns) {
    node.mapImage("example.org/echo*", ImageMapping.javaMain(EchoMain.class.getName()));
    node.runAsUsers().honour(p -> p.getMetadata().getName().startsWith("as-"));
    for (String name : List.of("as-shell", "not-chosen")) {
      client.pods().inNamespace(ns).resource(shell(name)).create();
    }
    Pod java =
        new PodBuilder(Fixtures.shellPod("as-java", "unused").build())
            .editSpec()
            .withSecurityContext(new PodSecurityContextBuilder().withRunAsUser(4242L).build())
            .editFirstContainer()
            .withImage("example.org/echo:1")
            .withCommand()
            .withArgs("/dev/termination-log", "hello")
            .addNewEnv()
            .withName("GREETING")
            .withValue("from 4242")
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(ns).resource(java).create();

    for (String name : List.of("as-shell", "not-chosen", "as-java")) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                String phase =
                    client.pods().inNamespace(ns).withName(name).get().getStatus().getPhase();
                return "Succeeded".equals(phase) || "Failed".equals(phase);
              });
    }
    assertThat(message(ns, "as-shell"))
        .as(node.logs(ns, "as-shell", "main"))
        .isEqualTo("4242 4343 4444\n");
    assertThat(message(ns, "as-java"))
        .as(node.logs(ns, "as-java", "main"))
        .isEqualTo("hello from 4242");
    assertThat(message(ns, "not-chosen")).startsWith("0 0");
    assertThat(node.runAsUsers().ranAs(ns))
        .isEqualTo(Map.of("as-shell/main", 4242L, "as-java/main", 4242L));
  }

  /** A shell pod with runAsUser 4242, runAsGroup 4343, fsGroup 4444 and an emptyDir /scratch. */
  private static Pod shell(String name) {
    return new PodBuilder(Fixtures.shellPod(name, SCRIPT).build())
        .editSpec()
        .withSecurityContext(
            new PodSecurityContextBuilder()
                .withRunAsUser(4242L)
                .withRunAsGroup(4343L)
                .withFsGroup(4444L)
                .build())
        .editFirstContainer()
        .addNewVolumeMount()
        .withName("scratch")
        .withMountPath("/scratch")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("scratch")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  private static String message(String ns, String name) {
    var t =
        client
            .pods()
            .inNamespace(ns)
            .withName(name)
            .get()
            .getStatus()
            .getContainerStatuses()
            .get(0)
            .getState()
            .getTerminated();
    return t.getMessage();
  }
}
