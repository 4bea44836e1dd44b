package io.dbguard.testcluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Child-JVM side of {@link NoOrphansIT}: starts a private test cluster with a running pod, prints
 * {@code READY <apiserver port> <run dir> <pid,pid,…>} and waits to be killed.
 */
public final class OrphanProbe {
  private OrphanProbe() {}

  public static void main(String[] args) throws Exception {
    TestCluster cluster = TestCluster.start();
    String ns = cluster.createNamespace("orphan-probe");
    cluster
        .client()
        .pods()
        .inNamespace(ns)
        .resource(Fixtures.shellPod("sleeper", "echo up; sleep 300").build())
        .create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cluster.node().logs(ns, "sleeper", "main").contains("up"));
    int port = java.net.URI.create(cluster.apiServerUrl()).getPort();
    String pids =
        cluster.processIds().stream().map(String::valueOf).collect(Collectors.joining(","));
    System.out.println("READY " + port + " " + cluster.runDir() + " " + pids);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
