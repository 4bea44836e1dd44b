package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Registers the {@link LocalNode}'s {@code Node} object with condition {@code Ready=True}. */
final class NodeRegistration {
  private NodeRegistration() {}

  /** Creates the Node when absent and writes its status (capacity, Ready, addresses, info). */
  static void register(KubernetesClient client, TestCluster cluster) {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity("8"),
            "memory", new Quantity("32Gi"),
            "pods", new Quantity("500"),
            "ephemeral-storage", new Quantity("100Gi"));
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(LocalNode.NODE_NAME)
            .addToLabels("kubernetes.io/hostname", LocalNode.NODE_NAME)
            .addToLabels("kubernetes.io/os", "linux")
            .addToLabels("kubernetes.io/arch", "amd64")
            .addToLabels("dbguard.io/local-node", "true")
            .endMetadata()
            .build();
    if (client.nodes().withName(LocalNode.NODE_NAME).get() == null) {
      client.nodes().resource(node).create();
    }
    String now = LocalNode.now();
    client
        .nodes()
        .withName(LocalNode.NODE_NAME)
        .editStatus(
            n -> {
              n.setStatus(
                  new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                      .withCapacity(capacity)
                      .withAllocatable(capacity)
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus("True")
                      .withReason("KubeletReady")
                      .withMessage("dbguard local node (test harness) is ready")
                      .withLastHeartbeatTime(now)
                      .withLastTransitionTime(now)
                      .endCondition()
                      .addNewAddress()
                      .withType("InternalIP")
                      .withAddress("127.0.0.1")
                      .endAddress()
                      .addNewAddress()
                      .withType("Hostname")
                      .withAddress(LocalNode.NODE_NAME)
                      .endAddress()
                      .withNewNodeInfo()
                      .withKubeletVersion("v" + cluster.binaries().version())
                      .withKubeProxyVersion("v" + cluster.binaries().version())
                      .withOperatingSystem("linux")
                      .withArchitecture("amd64")
                      .withContainerRuntimeVersion("dbguard-local://1")
                      .withOsImage(System.getProperty("os.name"))
                      .withKernelVersion(System.getProperty("os.version"))
                      .withMachineID("")
                      .withSystemUUID("")
                      .withBootID("")
                      .endNodeInfo()
                      .build());
              return n;
            });
  }
}
