package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local node's volumes for one pod: PVC → the claim's host directory (waiting until it is
 * bound), hostPath → itself, Secret and ConfigMap → files in the pod directory, emptyDir → a fresh
 * directory; plus the ServiceAccount directory (kubeconfig, token, namespace, ca.crt).
 */
final class PodVolumes {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

  private PodVolumes() {}

  /**
   * Prepares the pod's volumes (waiting for PVCs to be bound) and its ServiceAccount directory.
   * Returns volume name → host dir (plus {@code "__serviceaccount__"}), or null when the pod is
   * terminating.
   */
  static Map<String, Path> prepare(PodRun run) throws InterruptedException {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (Volume v : ContainerPaths.nullToEmpty(run.pod.getSpec().getVolumes())) {
      Path vdir = run.dir.resolve("volumes").resolve(v.getName());
      if (v.getPersistentVolumeClaim() != null) {
        String claim = v.getPersistentVolumeClaim().getClaimName();
        Path claimDir = null;
        while (claimDir == null) {
          PersistentVolumeClaim pvc =
              run.node
                  .client
                  .persistentVolumeClaims()
                  .inNamespace(run.namespace)
                  .withName(claim)
                  .get();
          if (pvc != null
              && pvc.getStatus() != null
              && "Bound".equals(pvc.getStatus().getPhase())) {
            claimDir = run.node.volumes.claimDir(pvc.getMetadata().getUid());
          }
          if (claimDir == null) {
            for (var s : run.statuses.values()) {
              if (s.getState().getWaiting() != null) {
                s.getState().getWaiting().setReason("ContainerCreating");
                s.getState()
                    .getWaiting()
                    .setMessage("waiting for PersistentVolumeClaim " + claim + " to be bound");
              }
            }
            run.publish("Pending", null, null);
            Thread.sleep(500);
            if (run.terminating) {
              return null;
            }
          }
        }
        dirs.put(v.getName(), claimDir);
      } else if (v.getHostPath() != null) {
        dirs.put(v.getName(), Path.of(v.getHostPath().getPath()));
      } else if (v.getSecret() != null) {
        Secret s =
            run.node
                .client
                .secrets()
                .inNamespace(run.namespace)
                .withName(v.getSecret().getSecretName())
                .get();
        ContainerPaths.mkdirs(vdir);
        if (s != null && s.getData() != null) {
          for (var e : s.getData().entrySet()) {
            ContainerPaths.writeFile(
                vdir.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
          }
        }
        if (s != null && s.getStringData() != null) {
          for (var e : s.getStringData().entrySet()) {
            ContainerPaths.writeFile(
                vdir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
          }
        }
        dirs.put(v.getName(), vdir);
      } else if (v.getConfigMap() != null) {
        ConfigMap cm =
            run.node
                .client
                .configMaps()
                .inNamespace(run.namespace)
                .withName(v.getConfigMap().getName())
                .get();
        ContainerPaths.mkdirs(vdir);
        if (cm != null && cm.getData() != null) {
          for (var e : cm.getData().entrySet()) {
            ContainerPaths.writeFile(
                vdir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
          }
        }
        dirs.put(v.getName(), vdir);
      } else {
        // emptyDir and anything else: a fresh directory per pod.
        ContainerPaths.mkdirs(vdir);
        dirs.put(v.getName(), vdir);
      }
    }
    if (!Boolean.FALSE.equals(run.pod.getSpec().getAutomountServiceAccountToken())) {
      String sa =
          run.pod.getSpec().getServiceAccountName() == null
                  || run.pod.getSpec().getServiceAccountName().isEmpty()
              ? "default"
              : run.pod.getSpec().getServiceAccountName();
      Path saDir = run.dir.resolve("serviceaccount");
      ContainerPaths.mkdirs(saDir);
      for (int i = 0; i < 50; i++) {
        try {
          if (run.node.client.serviceAccounts().inNamespace(run.namespace).withName(sa).get()
              != null) {
            String kubeconfig = run.node.cluster.kubeconfigFor(run.namespace, sa);
            ContainerPaths.writeFile(
                saDir.resolve("kubeconfig"), kubeconfig.getBytes(StandardCharsets.UTF_8));
            String token =
                run.node.cluster.serviceAccountToken(run.namespace, sa, Duration.ofHours(1));
            ContainerPaths.writeFile(
                saDir.resolve("token"), token.getBytes(StandardCharsets.UTF_8));
            ContainerPaths.writeFile(
                saDir.resolve("namespace"), run.namespace.getBytes(StandardCharsets.UTF_8));
            Files.copy(
                Path.of(run.node.cluster.adminConfig().getCaCertFile()),
                saDir.resolve("ca.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            dirs.put("__serviceaccount__", saDir);
            break;
          }
        } catch (IOException | KubernetesClientException e) {
          LOG.debug("service account token for {}/{}: {}", run.namespace, sa, e.toString());
        }
        Thread.sleep(100);
        if (run.terminating) {
          return null;
        }
      }
      if (!dirs.containsKey("__serviceaccount__")) {
        LOG.warn(
            "pod {}/{}: ServiceAccount {} does not exist; the process gets no KUBECONFIG",
            run.namespace,
            run.name,
            sa);
      }
    }
    return dirs;
  }
}
