package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClassBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContentBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContentStatusBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotErrorBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotStatusBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the CSI external-snapshotter + a hostpath CSI driver for PVCs of the {@link LocalNode}.
 *
 * <ul>
 *   <li>Creates the VolumeSnapshotClass {@value #DEFAULT_CLASS} (driver {@value #DRIVER},
 *       deletionPolicy Delete, annotated as the default class).
 *   <li>A {@code VolumeSnapshot} with {@code spec.source.persistentVolumeClaimName} becomes a copy
 *       of that PVC's host directory ({@link #snapshotPath}), a cluster-scoped {@code
 *       VolumeSnapshotContent} {@code snapcontent-<snapshot uid>} (spec.volumeSnapshotRef,
 *       deletionPolicy, driver, source.volumeHandle; status.snapshotHandle = the copy's path,
 *       creationTime in ns, restoreSize in bytes, readyToUse) and the snapshot's status {@code
 *       boundVolumeSnapshotContentName}, {@code creationTime} (RFC 3339, UTC), {@code restoreSize}
 *       (the source PVC's capacity), {@code readyToUse: true}.
 *   <li>Problems are reported like the real controller, in {@code status.error{time,message}} with
 *       {@code readyToUse: false}, and retried every second: unknown class, PVC missing or not
 *       bound. {@link #failSnapshots} makes matching snapshots fail with a given message (not
 *       retried while the fault is set).
 *   <li>A PVC with {@code dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot}} is
 *       provisioned by the local node from the snapshot's copy once it is ready to use, and only
 *       when its storage request is at least the snapshot's {@code restoreSize}.
 *   <li>Deleting a VolumeSnapshot deletes its content (deletionPolicy Delete) and the copy. No
 *       finalizers are used.
 * </ul>
 */
public final class SnapshotController {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotController.class);

  /** CSI driver name of the local snapshots. */
  public static final String DRIVER = "local.dbguard.io";

  /** Name of the default VolumeSnapshotClass. */
  public static final String DEFAULT_CLASS = "dbguard-local";

  private final KubernetesClient client;
  private final LocalNode node;
  private final Path root;
  private final List<Map.Entry<Predicate<VolumeSnapshot>, String>> faults =
      new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "snapshot-controller");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<VolumeSnapshot> informer;

  SnapshotController(KubernetesClient client, LocalNode node, Path root) {
    this.client = client;
    this.node = node;
    this.root = root;
    node.setSnapshotController(this);
  }

  /** Creates the default class and starts the informer (the future completes when synced). */
  CompletableFuture<Void> start() {
    VolumeSnapshotClass cls =
        new VolumeSnapshotClassBuilder()
            .withNewMetadata()
            .withName(DEFAULT_CLASS)
            .addToAnnotations("snapshot.storage.kubernetes.io/is-default-class", "true")
            .endMetadata()
            .withDriver(DRIVER)
            .withDeletionPolicy("Delete")
            .build();
    client.resources(VolumeSnapshotClass.class).resource(cls).createOr(r -> r.update());
    informer =
        client
            .resources(VolumeSnapshot.class)
            .inAnyNamespace()
            .runnableInformer(0)
            .addEventHandler(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(VolumeSnapshot vs) {
                    later(vs, 0);
                  }

                  @Override
                  public void onUpdate(VolumeSnapshot o, VolumeSnapshot vs) {
                    if (o.getMetadata().getGeneration() == null
                        || !o.getMetadata()
                            .getGeneration()
                            .equals(vs.getMetadata().getGeneration())) {
                      later(vs, 0);
                    }
                  }

                  @Override
                  public void onDelete(VolumeSnapshot vs, boolean unknown) {
                    worker.execute(() -> deleted(vs));
                  }
                });
    return informer.start().toCompletableFuture();
  }

  void stop() {
    if (informer != null) {
      informer.stop();
    }
    worker.shutdownNow();
  }

  /**
   * Makes snapshots matching {@code which} fail: {@code status.error.message = message}, {@code
   * readyToUse: false}. Cleared by {@link #resetFaults()} (after each test).
   */
  public void failSnapshots(Predicate<VolumeSnapshot> which, String message) {
    faults.add(Map.entry(which, message));
  }

  /** Matches the snapshot {@code namespace/name}. */
  public static Predicate<VolumeSnapshot> named(String namespace, String name) {
    return vs ->
        namespace.equals(vs.getMetadata().getNamespace())
            && name.equals(vs.getMetadata().getName());
  }

  /** Removes injected faults. */
  public void resetFaults() {
    faults.clear();
  }

  /**
   * Host directory holding the copy a ready snapshot was taken into.
   *
   * @throws IllegalStateException when the snapshot is unknown or not ready
   */
  public Path snapshotPath(String namespace, String name) {
    VolumeSnapshot vs =
        client.resources(VolumeSnapshot.class).inNamespace(namespace).withName(name).get();
    String handle = vs == null ? null : handleOf(vs);
    if (handle == null) {
      throw new IllegalStateException("snapshot " + namespace + "/" + name + " is not ready");
    }
    return Path.of(handle);
  }

  private void later(VolumeSnapshot vs, long delayMs) {
    try {
      worker.schedule(() -> reconcile(vs), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException ignored) {
      // stopping
    }
  }

  private void reconcile(VolumeSnapshot stale) {
    String ns = stale.getMetadata().getNamespace();
    String name = stale.getMetadata().getName();
    VolumeSnapshot vs;
    try {
      vs = client.resources(VolumeSnapshot.class).inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      later(stale, 1000);
      return;
    }
    if (vs == null
        || !vs.getMetadata().getUid().equals(stale.getMetadata().getUid())
        || vs.getMetadata().getDeletionTimestamp() != null
        || (vs.getStatus() != null && Boolean.TRUE.equals(vs.getStatus().getReadyToUse()))) {
      return;
    }
    for (var f : faults) {
      if (f.getKey().test(vs)) {
        LOG.info("fault: snapshot {}/{} fails: {}", ns, name, f.getValue());
        setError(vs, f.getValue());
        return;
      }
    }
    String className =
        vs.getSpec().getVolumeSnapshotClassName() == null
            ? DEFAULT_CLASS
            : vs.getSpec().getVolumeSnapshotClassName();
    VolumeSnapshotClass cls = client.resources(VolumeSnapshotClass.class).withName(className).get();
    if (cls == null) {
      setError(
          vs,
          "Failed to get snapshot class with error volumesnapshotclass "
              + className
              + " not found");
      later(vs, 1000);
      return;
    }
    String claim =
        vs.getSpec().getSource() == null
            ? null
            : vs.getSpec().getSource().getPersistentVolumeClaimName();
    if (claim == null) {
      setError(vs, "only snapshots of a PersistentVolumeClaim are supported by the test harness");
      return;
    }
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
    Path source;
    try {
      source = pvc == null ? null : node.volumePath(ns, claim);
    } catch (IllegalStateException e) {
      source = null;
    }
    if (source == null) {
      setError(
          vs,
          "failed to take snapshot: PersistentVolumeClaim "
              + claim
              + (pvc == null ? " not found" : " is not bound"));
      later(vs, 1000);
      return;
    }
    String uid = vs.getMetadata().getUid();
    Path copy = root.resolve(ns).resolve(name + "-" + uid.substring(0, 8));
    Instant taken = Instant.now();
    try {
      ProcessSupervisor.deleteTree(copy);
      copyTree(source, copy);
    } catch (IOException e) {
      setError(vs, "failed to copy the volume: " + e);
      later(vs, 1000);
      return;
    }
    Quantity restoreSize = capacity(pvc);
    long restoreBytes = Quantity.getAmountInBytes(restoreSize).longValue();
    String contentName = "snapcontent-" + uid;
    VolumeSnapshotContent content =
        new VolumeSnapshotContentBuilder()
            .withNewMetadata()
            .withName(contentName)
            .endMetadata()
            .withNewSpec()
            .withNewVolumeSnapshotRef()
            .withApiVersion("snapshot.storage.k8s.io/v1")
            .withKind("VolumeSnapshot")
            .withNamespace(ns)
            .withName(name)
            .withUid(uid)
            .endVolumeSnapshotRef()
            .withDeletionPolicy(cls.getDeletionPolicy())
            .withDriver(cls.getDriver())
            .withVolumeSnapshotClassName(className)
            .withNewSource()
            .withVolumeHandle(source.toString())
            .endSource()
            .endSpec()
            .build();
    try {
      var res = client.resources(VolumeSnapshotContent.class).withName(contentName);
      if (res.get() == null) {
        client.resources(VolumeSnapshotContent.class).resource(content).create();
      }
      res.editStatus(
          c -> {
            c.setStatus(
                new VolumeSnapshotContentStatusBuilder()
                    .withSnapshotHandle(copy.toString())
                    .withCreationTime(taken.getEpochSecond() * 1_000_000_000L + taken.getNano())
                    .withRestoreSize(restoreBytes)
                    .withReadyToUse(true)
                    .build());
            return c;
          });
      client
          .resources(VolumeSnapshot.class)
          .inNamespace(ns)
          .withName(name)
          .editStatus(
              s -> {
                s.setStatus(
                    new VolumeSnapshotStatusBuilder()
                        .withBoundVolumeSnapshotContentName(contentName)
                        .withCreationTime(taken.truncatedTo(ChronoUnit.SECONDS).toString())
                        .withReadyToUse(true)
                        .withRestoreSize(restoreSize)
                        .build());
                return s;
              });
      LOG.info("snapshot {}/{} of PVC {} ready: {}", ns, name, claim, copy);
    } catch (KubernetesClientException e) {
      LOG.warn("snapshot {}/{}: {}", ns, name, e.getMessage());
      later(vs, 1000);
    }
  }

  private static Quantity capacity(PersistentVolumeClaim pvc) {
    if (pvc.getStatus() != null
        && pvc.getStatus().getCapacity() != null
        && pvc.getStatus().getCapacity().get("storage") != null) {
      return pvc.getStatus().getCapacity().get("storage");
    }
    if (pvc.getSpec().getResources() != null
        && pvc.getSpec().getResources().getRequests() != null
        && pvc.getSpec().getResources().getRequests().get("storage") != null) {
      return pvc.getSpec().getResources().getRequests().get("storage");
    }
    return new Quantity("1Gi");
  }

  private void setError(VolumeSnapshot vs, String message) {
    try {
      client
          .resources(VolumeSnapshot.class)
          .inNamespace(vs.getMetadata().getNamespace())
          .withName(vs.getMetadata().getName())
          .editStatus(
              s -> {
                var b =
                    s.getStatus() == null
                        ? new VolumeSnapshotStatusBuilder()
                        : new VolumeSnapshotStatusBuilder(s.getStatus());
                s.setStatus(
                    b.withReadyToUse(false)
                        .withError(
                            new VolumeSnapshotErrorBuilder()
                                .withMessage(message)
                                .withTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                                .build())
                        .build());
                return s;
              });
    } catch (KubernetesClientException e) {
      LOG.debug("snapshot error status not written: {}", e.getMessage());
    }
  }

  private void deleted(VolumeSnapshot vs) {
    String contentName =
        vs.getStatus() == null ? null : vs.getStatus().getBoundVolumeSnapshotContentName();
    if (contentName == null) {
      return;
    }
    try {
      VolumeSnapshotContent c =
          client.resources(VolumeSnapshotContent.class).withName(contentName).get();
      if (c != null && "Delete".equals(c.getSpec().getDeletionPolicy())) {
        client.resources(VolumeSnapshotContent.class).withName(contentName).delete();
        if (c.getStatus() != null && c.getStatus().getSnapshotHandle() != null) {
          ProcessSupervisor.deleteTree(Path.of(c.getStatus().getSnapshotHandle()));
        }
      }
    } catch (KubernetesClientException e) {
      LOG.debug("cleanup of snapshot content {}: {}", contentName, e.getMessage());
    }
  }

  private String handleOf(VolumeSnapshot vs) {
    if (vs.getStatus() == null
        || !Boolean.TRUE.equals(vs.getStatus().getReadyToUse())
        || vs.getStatus().getBoundVolumeSnapshotContentName() == null) {
      return null;
    }
    VolumeSnapshotContent c =
        client
            .resources(VolumeSnapshotContent.class)
            .withName(vs.getStatus().getBoundVolumeSnapshotContentName())
            .get();
    if (c == null
        || c.getStatus() == null
        || c.getSpec().getVolumeSnapshotRef() == null
        || !vs.getMetadata().getUid().equals(c.getSpec().getVolumeSnapshotRef().getUid())) {
      return null; // binding must hold both ways
    }
    return c.getStatus().getSnapshotHandle();
  }

  /**
   * Fills {@code target} for a PVC whose dataSource is a VolumeSnapshot.
   *
   * @return null when done, else why not yet (the caller retries)
   */
  String restore(PersistentVolumeClaim pvc, Path target) {
    String ns = pvc.getMetadata().getNamespace();
    String snap = pvc.getSpec().getDataSource().getName();
    VolumeSnapshot vs = client.resources(VolumeSnapshot.class).inNamespace(ns).withName(snap).get();
    if (vs == null) {
      return "VolumeSnapshot " + ns + "/" + snap + " not found";
    }
    String handle = handleOf(vs);
    if (handle == null) {
      return "VolumeSnapshot " + ns + "/" + snap + " is not ready to use";
    }
    Quantity requested =
        pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null
            ? null
            : pvc.getSpec().getResources().getRequests().get("storage");
    Quantity restoreSize = vs.getStatus().getRestoreSize();
    if (requested != null
        && restoreSize != null
        && Quantity.getAmountInBytes(requested)
                .compareTo(Quantity.getAmountInBytes(restoreSize).max(BigDecimal.ZERO))
            < 0) {
      return "requested storage "
          + requested
          + " is less than the snapshot's restoreSize "
          + restoreSize;
    }
    try {
      ProcessSupervisor.deleteTree(target);
      copyTree(Path.of(handle), target);
    } catch (IOException e) {
      return "copy failed: " + e;
    }
    LOG.info("PVC {}/{} restored from snapshot {}", ns, pvc.getMetadata().getName(), snap);
    return null;
  }

  /**
   * A copy as a storage snapshot holds it: regular files with their modes, owners and times,
   * directories with their modes and owners (set after their content), symbolic links as links.
   */
  static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    java.util.List<Path[]> dirs = new java.util.ArrayList<>();
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.deleteIfExists(dest);
          Files.createSymbolicLink(dest, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
          dirs.add(new Path[] {p, dest});
        } else {
          Files.copy(
              p,
              dest,
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.COPY_ATTRIBUTES,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path[] d : dirs) {
      Files.setPosixFilePermissions(d[1], Files.getPosixFilePermissions(d[0]));
      try {
        Files.setAttribute(d[1], "unix:uid", Files.getAttribute(d[0], "unix:uid"));
        Files.setAttribute(d[1], "unix:gid", Files.getAttribute(d[0], "unix:gid"));
      } catch (IOException | UnsupportedOperationException notRoot) {
        // only root can give a directory away; the copy stays the test's
      }
    }
  }
}
