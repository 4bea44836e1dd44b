package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A test JVM killed with SIGKILL (no shutdown hook runs) leaves no etcd, kube-apiserver,
 * kube-controller-manager or pod process behind, and no listening port.
 */
class NoOrphansIT {

  @Test
  void killedJvmLeavesNoProcessesOrPorts() throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                javaBin.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OrphanProbe.class.getName())
            .redirectErrorStream(true)
            .start();
    String ready = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      String line;
      while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
        if (line.startsWith("READY ")) {
          ready = line;
          break;
        }
      }
      assertThat(ready).as("child cluster came up").isNotNull();
      String[] parts = ready.split(" ");
      int port = Integer.parseInt(parts[1]);
      Path runDir = Path.of(parts[2]);
      List<Long> pids = Arrays.stream(parts[3].split(",")).map(Long::parseLong).toList();
      assertThat(pids.size())
          .as("watchdogs + etcd + apiserver + kcm + pod")
          .isGreaterThanOrEqualTo(8);
      assertThat(listening(port)).isTrue();
      List<String> commands =
          pids.stream()
              .map(p -> ProcessHandle.of(p).flatMap(h -> h.info().command()).orElse(""))
              .toList();
      assertThat(commands)
          .anyMatch(c -> c.endsWith("kube-apiserver"))
          .anyMatch(c -> c.endsWith("etcd"))
          .anyMatch(c -> c.endsWith("kube-controller-manager"))
          .anyMatch(c -> c.endsWith("sleep"));

      List<String> etcdArgs =
          pids.stream()
              .map(ProcessHandle::of)
              .flatMap(Optional::stream)
              .filter(h -> h.info().command().orElse("").endsWith("etcd"))
              .findFirst()
              .flatMap(h -> h.info().arguments())
              .map(Arrays::asList)
              .orElseThrow();
      Path etcdData = Path.of(etcdArgs.get(etcdArgs.indexOf("-data-dir") + 1));
      assertThat(etcdData).isDirectory();

      child.destroyForcibly(); // SIGKILL: no shutdown hook
      child.waitFor(10, TimeUnit.SECONDS);

      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(pids)
                      .allSatisfy(
                          p ->
                              assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive))
                                  .as("pid " + p)
                                  .isNotEqualTo(Optional.of(true))));
      assertThat(listening(port)).as("apiserver port released").isFalse();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(etcdData).as("etcd data directory").doesNotExist());

      // The next start deletes the dead JVM's run directory.
      assertThat(runDir).exists();
      ProcessSupervisor.reapStaleRunDirs(runDir.getParent());
      assertThat(Files.exists(runDir)).isFalse();
    } finally {
      child.destroyForcibly();
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
