package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binary resolution: missing binaries fail with instructions, never a skip. */
class K8sBinariesTest {

  @Test
  void missingOfflineBinariesFailWithInstructions(@TempDir Path dir) {
    Map<String, String> env =
        Map.of("KUBE_API_TEST_OFFLINE_MODE", "true", "KUBE_API_TEST_DIR", dir.toString());

    assertThatThrownBy(() -> K8sBinaries.resolve(env))
        .isInstanceOf(TestClusterException.class)
        .hasMessageContaining("scripts/k8s-binaries.sh")
        .hasMessageContaining("kube-controller-manager")
        .hasMessageContaining(dir.resolve("k8s/1.20.2-linux-amd64").toString());
  }

  @Test
  void completeLayoutIsUsedOffline(@TempDir Path dir) throws Exception {
    Path v = Files.createDirectories(dir.resolve("k8s/1.20.2-linux-amd64"));
    for (String b : K8sBinaries.NAMES) {
      Path f = Files.writeString(v.resolve(b), "#!/bin/sh\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    K8sBinaries bins =
        K8sBinaries.resolve(
            Map.of("KUBE_API_TEST_OFFLINE_MODE", "true", "KUBE_API_TEST_DIR", dir.toString()));

    assertThat(bins.offline()).isTrue();
    assertThat(bins.version()).isEqualTo("1.20.2");
    assertThat(bins.controllerManager()).isEqualTo(v.resolve("kube-controller-manager"));

    // Without KUBE_API_TEST_OFFLINE_MODE a complete local layout is still preferred.
    assertThat(K8sBinaries.resolve(Map.of("KUBE_API_TEST_DIR", dir.toString())).offline()).isTrue();
  }
}
