package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local node's volume provisioner: binds every PVC to a fresh host directory (by uid), or, with
 * {@code dataSource} kind {@code VolumeSnapshot}, to a copy of that snapshot once it is ready
 * ({@link SnapshotController}); {@code status.phase=Bound} with the requested capacity.
 */
final class VolumeProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

  private final KubernetesClient client;
  private final Path root;
  private final ScheduledExecutorService timers;
  private final BooleanSupplier stopped;
  private final Map<String, Path> claimDirs = new ConcurrentHashMap<>();
  private volatile SnapshotController snapshots;

  VolumeProvisioner(
      KubernetesClient client,
      Path root,
      ScheduledExecutorService timers,
      BooleanSupplier stopped) {
    this.client = client;
    this.root = root;
    this.timers = timers;
    this.stopped = stopped;
  }

  void setSnapshotController(SnapshotController snapshots) {
    this.snapshots = snapshots;
  }

  /** The host directory of a bound claim (by uid), or null. */
  Path claimDir(String uid) {
    return claimDirs.get(uid);
  }

  /** Forgets a deleted claim; returns its directory (for deletion) or null. */
  Path forget(String uid) {
    return claimDirs.remove(uid);
  }

  void provisionLater(PersistentVolumeClaim pvc, long delayMs) {
    if (stopped.getAsBoolean()
        || pvc.getMetadata().getDeletionTimestamp() != null
        || (pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase()))) {
      if (pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase())) {
        claimDirs.computeIfAbsent(pvc.getMetadata().getUid(), u -> claimDir(pvc));
      }
      return;
    }
    try {
      timers.schedule(() -> provision(pvc), delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException ignored) {
      // stopping
    }
  }

  private Path claimDir(PersistentVolumeClaim pvc) {
    String uid = pvc.getMetadata().getUid();
    return root.resolve("volumes")
        .resolve(pvc.getMetadata().getNamespace())
        .resolve(pvc.getMetadata().getName() + "-" + uid.substring(0, 8));
  }

  private synchronized void provision(PersistentVolumeClaim stale) {
    String ns = stale.getMetadata().getNamespace();
    String name = stale.getMetadata().getName();
    PersistentVolumeClaim pvc;
    try {
      pvc = client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      provisionLater(stale, 1000);
      return;
    }
    if (pvc == null
        || !pvc.getMetadata().getUid().equals(stale.getMetadata().getUid())
        || pvc.getMetadata().getDeletionTimestamp() != null
        || (pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase()))) {
      return;
    }
    Path dir = claimDir(pvc);
    try {
      var ds = pvc.getSpec().getDataSource();
      if (ds != null && "VolumeSnapshot".equals(ds.getKind())) {
        String problem = snapshots == null ? "no snapshot controller" : snapshots.restore(pvc, dir);
        if (problem != null) {
          LOG.debug("PVC {}/{} waits for its snapshot: {}", ns, name, problem);
          provisionLater(pvc, 1000);
          return;
        }
      } else {
        Files.createDirectories(dir);
      }
      claimDirs.put(pvc.getMetadata().getUid(), dir);
      Quantity size =
          pvc.getSpec().getResources() != null
                  && pvc.getSpec().getResources().getRequests() != null
                  && pvc.getSpec().getResources().getRequests().get("storage") != null
              ? pvc.getSpec().getResources().getRequests().get("storage")
              : new Quantity("1Gi");
      List<String> modes =
          pvc.getSpec().getAccessModes() == null || pvc.getSpec().getAccessModes().isEmpty()
              ? List.of("ReadWriteOnce")
              : pvc.getSpec().getAccessModes();
      client
          .persistentVolumeClaims()
          .inNamespace(ns)
          .withName(name)
          .editStatus(
              p -> {
                p.setStatus(
                    new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
                        .withPhase("Bound")
                        .withAccessModes(modes)
                        .withCapacity(Map.of("storage", size))
                        .build());
                return p;
              });
      LOG.info("PVC {}/{} bound to {}", ns, name, dir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot provision PVC {}/{}: {}", ns, name, e.toString());
      provisionLater(pvc, 1000);
    }
  }
}
