package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test cluster's only node: plays the scheduler, the kubelet and a local volume provisioner.
 *
 * <ul>
 *   <li><b>Node.</b> Registers {@code Node} {@value #NODE_NAME} with condition {@code Ready=True}.
 *   <li><b>Scheduler.</b> Binds every pod without {@code spec.nodeName} (default scheduler) to the
 *       node through the {@code binding} subresource. Node selectors and affinity are ignored.
 *   <li><b>Kubelet.</b> Runs the init containers in order, then all containers, each as a local
 *       process (see {@link ImageMapping} and {@link #mapImage(String, ImageMapping)}), and writes
 *       real pod status: {@code Pending} → {@code Running} → {@code Succeeded}/{@code Failed} with
 *       {@code containerStatuses[].state.terminated.{exitCode,reason,message}} ({@code reason} is
 *       {@code Completed} for exit 0, else {@code Error}). {@code restartPolicy} Never, OnFailure
 *       and Always are honoured ({@code restartCount}, 1 s back-off); during the back-off a
 *       restarted container, init containers included, shows {@code waiting} ({@code
 *       CrashLoopBackOff}) with the ended run's exit code and termination message in {@code
 *       lastState.terminated}, which the next run keeps. A pod that gets a deletion timestamp (Job
 *       deadline, namespace deletion, {@code kubectl delete}) has its processes stopped (SIGTERM to
 *       the process group, SIGKILL after the grace period capped at 5 s) and is then removed with
 *       grace period 0, as the kubelet does. {@code spec.activeDeadlineSeconds} of the pod is
 *       enforced (phase {@code Failed}, reason {@code DeadlineExceeded}).
 *   <li><b>Provisioner.</b> Binds every PVC: a fresh host directory per PVC (by uid), or, with
 *       {@code dataSource} kind {@code VolumeSnapshot}, a copy of that snapshot once it is ready
 *       (see {@link SnapshotController}); then {@code status.phase=Bound} with the requested
 *       capacity. Deleting the PVC deletes the directory.
 * </ul>
 *
 * <h2>Process environment and paths</h2>
 *
 * Each container process gets a fresh environment: host {@code PATH}, {@code LANG=C.UTF-8}, {@code
 * HOME} and {@code TMPDIR} in the pod directory, {@code HOSTNAME=<pod name>}, {@code
 * KUBERNETES_SERVICE_HOST/PORT}, {@code KUBECONFIG} (a kubeconfig with a real token of the pod's
 * ServiceAccount unless {@code automountServiceAccountToken: false} or the ServiceAccount does not
 * exist), {@code DBGUARD_TERMINATION_MESSAGE_PATH} (the host file playing {@code
 * terminationMessagePath}), {@code DBGUARD_VOLUME_<VOLUME>} per mounted volume (host directory;
 * name upper-cased, non-alphanumerics → {@code _}), the values of {@link #setBaseEnv}, then the
 * container's {@code envFrom} and {@code env} (values, {@code $(VAR)} references, {@code
 * secretKeyRef}, {@code configMapKeyRef}, {@code fieldRef}).
 *
 * <p><b>Path rewriting.</b> Container paths become host paths in every argument, env value and
 * {@code workingDir} (without one, the process starts in the image's {@link
 * ImageMapping#workingDir()}, else in its own container directory): an occurrence of a {@code
 * mountPath} (or of {@code terminationMessagePath}, or of the ServiceAccount directory {@code
 * /var/run/secrets/kubernetes.io/serviceaccount}) that starts at the beginning or after one of
 * {@code space = : ' " ( , [ //} and ends at the end, at {@code /} or before one of {@code space '
 * " ) , ; : ] }} is replaced by the host path. So {@code --file=/backups/a.dump} and {@code sh -c
 * "echo x > /backups/a"} both work. Volumes: PVC → the claim's directory ({@link #volumePath}),
 * emptyDir → {@code <pod dir>/volumes/<name>}, Secret and ConfigMap → files written there, hostPath
 * → itself; {@code subPath} is honoured.
 *
 * <h2>Ports</h2>
 *
 * <p>Pods are local processes on the host's network, so two pods declaring the same {@code
 * containerPort} would collide. The node gives every declared {@code containerPort} of a pod a
 * distinct free host port and passes it to the containers in place of the declared number: an env
 * value that is exactly the declared number (e.g. {@code DBGUARD_HTTP_PORT: "8080"} beside {@code
 * containerPort: 8080}) becomes the host port. Tests reach the pod through {@link #hostPort}. A
 * program that listens on a port it does not take from its environment listens on that port as
 * written.
 */
public final class LocalNode {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

  /** Name of the registered Node. */
  public static final String NODE_NAME = "dbguard-local-node";

  /** Container directory of the ServiceAccount token (rewritten to a host directory). */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** Grace period cap for deleted pods, seconds. */
  static final long MAX_GRACE_SECONDS = 5;

  private final KubernetesClient client;
  private final Path root;
  private final ProcessSupervisor supervisor;
  private final TestCluster cluster;
  private final List<Map.Entry<Pattern, ImageMapping>> images = new CopyOnWriteArrayList<>();
  private final Map<String, List<String>> executables = new ConcurrentHashMap<>();
  private final Map<String, String> baseEnv = new ConcurrentHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
  private final Map<String, Path> claimDirs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "local-node-timer");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<Pod> podInformer;
  private SharedIndexInformer<PersistentVolumeClaim> pvcInformer;
  private SnapshotController snapshots;
  private volatile boolean stopped;

  LocalNode(KubernetesClient client, Path root, ProcessSupervisor supervisor, TestCluster cluster) {
    this.client = client;
    this.root = root;
    this.supervisor = supervisor;
    this.cluster = cluster;
    for (String img : List.of("busybox*", "alpine*", "debian*", "ubuntu*", "bash*")) {
      mapImage(img, ImageMapping.host());
    }
  }

  void setSnapshotController(SnapshotController snapshots) {
    this.snapshots = snapshots;
  }

  /** Starts the informers (returned future completes when they have synced) and the Node. */
  CompletableFuture<Void> start() {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pvcInformer =
        client
            .persistentVolumeClaims()
            .inAnyNamespace()
            .runnableInformer(0)
            .addEventHandler(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(PersistentVolumeClaim pvc) {
                    provisionLater(pvc, 0);
                  }

                  @Override
                  public void onUpdate(PersistentVolumeClaim o, PersistentVolumeClaim pvc) {
                    provisionLater(pvc, 0);
                  }

                  @Override
                  public void onDelete(PersistentVolumeClaim pvc, boolean unknown) {
                    Path dir = claimDirs.remove(pvc.getMetadata().getUid());
                    if (dir != null) {
                      ProcessSupervisor.deleteTree(dir);
                    }
                  }
                });
    podInformer =
        client
            .pods()
            .inAnyNamespace()
            .runnableInformer(0)
            .addEventHandler(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onUpdate(Pod oldPod, Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    PodRun run = runs.remove(pod.getMetadata().getUid());
                    if (run != null) {
                      run.terminate(0, false);
                    }
                  }
                });
    CompletableFuture<Void> pvcs = pvcInformer.start().toCompletableFuture();
    CompletableFuture<Void> pods = podInformer.start().toCompletableFuture();
    registerNode();
    return CompletableFuture.allOf(pvcs, pods);
  }

  void stop() {
    stopped = true;
    if (podInformer != null) {
      podInformer.stop();
    }
    if (pvcInformer != null) {
      pvcInformer.stop();
    }
    runs.values().forEach(r -> r.terminate(0, false));
    runs.clear();
    timers.shutdownNow();
  }

  // ---------------------------------------------------------------- configuration (public API)

  /**
   * Maps images to a host command. {@code pattern} is matched against the whole image reference,
   * also with a leading {@code docker.io/} or {@code docker.io/library/} removed; {@code *} matches
   * any characters, {@code ?} one. A pattern without {@code *}, {@code ?}, {@code :} or {@code @}
   * also matches the image with any tag or digest ({@code postgres} matches {@code postgres:16}).
   * The mapping registered last wins. Preset: {@code busybox*}, {@code alpine*}, {@code debian*},
   * {@code ubuntu*}, {@code bash*} → {@link ImageMapping#host()}. Images without a mapping leave
   * their pod {@code Pending} with container state {@code waiting.reason=ErrImagePull}.
   *
   * @param pattern e.g. {@code dbguard/dbguard*} or {@code ghcr.io/acme/app:1.2}
   * @param mapping e.g. {@code ImageMapping.javaMain("io.dbguard.cli.Main")}
   */
  public void mapImage(String pattern, ImageMapping mapping) {
    Objects.requireNonNull(mapping, "mapping");
    images.add(0, Map.entry(globToRegex(pattern), mapping));
  }

  /**
   * Replaces {@code argv[0] == name} of any container command by {@code hostCommand} (followed by
   * the rest of argv), e.g. {@code mapExecutable("dbguard", ImageMapping.javaCommand(
   * "io.dbguard.cli.Main"))} so that {@code command: ["dbguard", "gate", …]} works too.
   */
  public void mapExecutable(String name, List<String> hostCommand) {
    executables.put(name, List.copyOf(hostCommand));
  }

  /** Sets an environment variable every container process gets (before the container's env). */
  public void setBaseEnv(String name, String value) {
    if (value == null) {
      baseEnv.remove(name);
    } else {
      baseEnv.put(name, value);
    }
  }

  /** The mapping for {@code image}, or null. */
  public ImageMapping imageMapping(String image) {
    String plain = image;
    if (plain.startsWith("docker.io/library/")) {
      plain = plain.substring("docker.io/library/".length());
    } else if (plain.startsWith("docker.io/")) {
      plain = plain.substring("docker.io/".length());
    }
    for (Map.Entry<Pattern, ImageMapping> e : images) {
      if (e.getKey().matcher(image).matches() || e.getKey().matcher(plain).matches()) {
        return e.getValue();
      }
    }
    return null;
  }

  static Pattern globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    boolean bare = glob.chars().noneMatch(c -> c == '*' || c == '?' || c == ':' || c == '@');
    if (bare) {
      re.append("([:@].*)?");
    }
    return Pattern.compile(re.toString());
  }

  // ---------------------------------------------------------------- fault injection

  /** Pods matching {@code which} are bound but never start (container waiting, phase Pending). */
  public void neverStart(Predicate<Pod> which) {
    faults.add(new Fault(which, null));
  }

  /** Pods matching {@code which} start their first container only after {@code delay}. */
  public void delayStart(Predicate<Pod> which, Duration delay) {
    faults.add(new Fault(which, delay));
  }

  /** Removes all injected faults (done after each test by {@link WithTestCluster}). */
  public void resetFaults() {
    faults.clear();
  }

  /**
   * Kills the running container processes of a pod with SIGKILL (the container terminates with exit
   * code 137, reason {@code Error}; the restart policy applies).
   *
   * @return whether a running process was found
   */
  public boolean killPod(String namespace, String podName) {
    boolean killed = false;
    for (PodRun run : runs.values()) {
      if (run.namespace.equals(namespace) && run.name.equals(podName)) {
        killed |= run.killProcesses();
      }
    }
    return killed;
  }

  /** Matches pods created by the Job {@code jobName} (label {@code job-name}). */
  public static Predicate<Pod> jobPods(String jobName) {
    return p ->
        p.getMetadata().getLabels() != null
            && jobName.equals(p.getMetadata().getLabels().get("job-name"));
  }

  /** Matches pods whose name matches the glob ({@code *}, {@code ?}). */
  public static Predicate<Pod> podsNamed(String glob) {
    Pattern re = globToRegex(glob.contains("*") || glob.contains("?") ? glob : glob + "*");
    return p -> re.matcher(p.getMetadata().getName()).matches();
  }

  // ---------------------------------------------------------------- inspection

  /**
   * Host directory of a bound PVC.
   *
   * @throws IllegalStateException when the claim does not exist or is not bound yet
   */
  public Path volumePath(String namespace, String claimName) {
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    if (pvc == null) {
      throw new IllegalStateException("no PVC " + namespace + "/" + claimName);
    }
    Path dir = claimDirs.get(pvc.getMetadata().getUid());
    if (dir == null) {
      throw new IllegalStateException("PVC " + namespace + "/" + claimName + " is not bound yet");
    }
    return dir;
  }

  /** {@code <run dir>/node/pods/<namespace>/<pod name>}: volumes, logs, termination messages. */
  public Path podDir(String namespace, String podName) {
    return root.resolve("pods").resolve(namespace).resolve(podName);
  }

  /** Everything a container wrote to stdout/stderr (all restarts), or "" when none. */
  public String logs(String namespace, String podName, String container) {
    Path log = podDir(namespace, podName).resolve("logs").resolve(container + ".log");
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Number of pods whose processes this node currently manages. */
  /**
   * The host port a running pod listens on for one of its declared {@code containerPort}s. Pods are
   * local processes sharing the host's network, so the node gives each declared port of each pod a
   * distinct free host port and passes it to the container in place of the declared number (see the
   * class comment, "Ports").
   *
   * @throws IllegalArgumentException when the pod is not running on the node or does not declare
   *     {@code containerPort}
   */
  public int hostPort(String namespace, String podName, int containerPort) {
    for (PodRun run : runs.values()) {
      if (run.namespace.equals(namespace) && run.name.equals(podName)) {
        Integer port = run.hostPorts.get(containerPort);
        if (port == null) {
          throw new IllegalArgumentException(
              "pod " + namespace + "/" + podName + " declares no containerPort " + containerPort);
        }
        return port;
      }
    }
    throw new IllegalArgumentException("pod " + namespace + "/" + podName + " is not running");
  }

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Container> allContainers(Pod pod) {
    List<Container> all = new ArrayList<>(nullToEmpty(pod.getSpec().getInitContainers()));
    all.addAll(nullToEmpty(pod.getSpec().getContainers()));
    return all;
  }

  public int activePods() {
    return runs.size();
  }

  // ---------------------------------------------------------------- node

  private void registerNode() {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity("8"),
            "memory", new Quantity("32Gi"),
            "pods", new Quantity("500"),
            "ephemeral-storage", new Quantity("100Gi"));
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(NODE_NAME)
            .addToLabels("kubernetes.io/hostname", NODE_NAME)
            .addToLabels("kubernetes.io/os", "linux")
            .addToLabels("kubernetes.io/arch", "amd64")
            .addToLabels("dbguard.io/local-node", "true")
            .endMetadata()
            .build();
    if (client.nodes().withName(NODE_NAME).get() == null) {
      client.nodes().resource(node).create();
    }
    String now = now();
    client
        .nodes()
        .withName(NODE_NAME)
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
                      .withAddress(NODE_NAME)
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

  // ---------------------------------------------------------------- PVC provisioner

  private void provisionLater(PersistentVolumeClaim pvc, long delayMs) {
    if (stopped
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

  // ---------------------------------------------------------------- pods

  private void handle(Pod pod) {
    if (stopped) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    String nodeName = pod.getSpec().getNodeName();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (nodeName != null && NODE_NAME.equals(nodeName)) {
        PodRun run = runs.remove(uid);
        long grace =
            pod.getMetadata().getDeletionGracePeriodSeconds() == null
                ? 30
                : pod.getMetadata().getDeletionGracePeriodSeconds();
        timers.execute(() -> finishDeletion(pod, run, grace));
      }
      return;
    }
    if (nodeName == null || nodeName.isEmpty()) {
      String scheduler = pod.getSpec().getSchedulerName();
      if (scheduler == null || scheduler.equals("default-scheduler")) {
        timers.execute(() -> bind(pod));
      }
      return;
    }
    if (!NODE_NAME.equals(nodeName)) {
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return;
    }
    runs.computeIfAbsent(
        uid,
        u -> {
          PodRun run = new PodRun(pod);
          Thread t = new Thread(run::run, "pod-" + pod.getMetadata().getName());
          t.setDaemon(true);
          run.thread = t;
          t.start();
          return run;
        });
  }

  private void bind(Pod pod) {
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName(pod.getMetadata().getName())
            .withNamespace(pod.getMetadata().getNamespace())
            .withUid(pod.getMetadata().getUid())
            .endMetadata()
            .withNewTarget()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(NODE_NAME)
            .endTarget()
            .build();
    try {
      client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(binding).create();
      LOG.debug(
          "bound pod {}/{} to {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          NODE_NAME);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        LOG.warn(
            "cannot bind pod {}/{}: {}",
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  private void finishDeletion(Pod pod, PodRun run, long graceSeconds) {
    if (run != null) {
      run.terminate(Math.min(graceSeconds, MAX_GRACE_SECONDS), true);
    }
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      LOG.debug("final delete of pod {}: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  private Fault faultFor(Pod pod) {
    for (Fault f : faults) {
      if (f.which.test(pod)) {
        return f;
      }
    }
    return null;
  }

  private record Fault(Predicate<Pod> which, Duration delay) {}

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  // ---------------------------------------------------------------- one pod

  /** Plays the kubelet for one pod on its own thread. */
  private final class PodRun {
    final String namespace;
    final String name;
    final String uid;
    final Pod pod;
    final Path dir;
    volatile Thread thread;
    volatile boolean terminating;
    final Map<String, Process> processes = new ConcurrentHashMap<>();
    final Map<String, io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses =
        new LinkedHashMap<>();
    final Map<String, io.fabric8.kubernetes.api.model.ContainerStatus> statuses =
        new LinkedHashMap<>();
    String startTime;
    volatile boolean deadlineExceeded;

    /** Declared {@code containerPort} → the free host port this pod listens on instead. */
    final Map<Integer, Integer> hostPorts = new LinkedHashMap<>();

    PodRun(Pod pod) {
      this.pod = pod;
      this.namespace = pod.getMetadata().getNamespace();
      this.name = pod.getMetadata().getName();
      this.uid = pod.getMetadata().getUid();
      this.dir = podDir(namespace, name);
      for (Container c : nullToEmpty(pod.getSpec().getInitContainers())) {
        initStatuses.put(c.getName(), waiting(c, "PodInitializing", null, 0));
      }
      for (Container c : allContainers(pod)) {
        for (var port : nullToEmpty(c.getPorts())) {
          if (port.getContainerPort() != null) {
            hostPorts.computeIfAbsent(port.getContainerPort(), p -> freePort());
          }
        }
      }
      for (Container c : nullToEmpty(pod.getSpec().getContainers())) {
        statuses.put(
            c.getName(),
            waiting(
                c,
                pod.getSpec().getInitContainers() == null
                        || pod.getSpec().getInitContainers().isEmpty()
                    ? "ContainerCreating"
                    : "PodInitializing",
                null,
                0));
      }
    }

    void run() {
      try {
        runPod();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        if (!terminating) {
          LOG.warn("local node: pod {}/{} failed in the harness", namespace, name, e);
          publish("Failed", "HarnessError", e.toString());
        }
      } finally {
        processes.values().forEach(p -> ProcessSupervisor.killTree(p.toHandle(), Duration.ZERO));
      }
    }

    void runPod() throws InterruptedException {
      startTime = now();
      mkdirs(dir.resolve("logs"));
      Fault fault = faultFor(pod);
      publish("Pending", null, null);
      if (fault != null && fault.delay == null) {
        LOG.info("fault: pod {}/{} never starts", namespace, name);
        for (var s : statuses.values()) {
          s.getState().getWaiting().setReason("ContainerCreating");
          s.getState().getWaiting().setMessage("fault injected by the test: never starts");
        }
        publish("Pending", null, null);
        while (!terminating) {
          Thread.sleep(200);
        }
        return;
      }
      Long deadline = pod.getSpec().getActiveDeadlineSeconds();
      if (deadline != null) {
        timers.schedule(
            () -> {
              if (!terminating && runs.containsKey(uid)) {
                deadlineExceeded = true;
                killProcesses();
              }
            },
            deadline,
            TimeUnit.SECONDS);
      }
      if (fault != null) {
        LOG.info("fault: pod {}/{} starts after {}", namespace, name, fault.delay);
        Thread.sleep(fault.delay.toMillis());
      }
      Map<String, Path> volumeDirs = prepareVolumes();
      if (volumeDirs == null) {
        return;
      }
      String restartPolicy =
          pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
      for (Container c : nullToEmpty(pod.getSpec().getInitContainers())) {
        int restarts = 0;
        while (true) {
          int exit = runContainer(c, true, volumeDirs, restarts);
          if (terminating) {
            return;
          }
          if (deadlineExceeded) {
            finishDeadline();
            return;
          }
          if (exit == 0) {
            break;
          }
          if ("Never".equals(restartPolicy)) {
            publish("Failed", null, null);
            return;
          }
          restarts++;
          backOff(c, true, restarts);
          Thread.sleep(1000);
        }
      }
      // Regular containers in parallel.
      List<Thread> threads = new ArrayList<>();
      Map<String, Integer> exits = new ConcurrentHashMap<>();
      for (Container c : nullToEmpty(pod.getSpec().getContainers())) {
        Thread t =
            new Thread(
                () -> {
                  int restarts = 0;
                  try {
                    while (true) {
                      int exit = runContainer(c, false, volumeDirs, restarts);
                      exits.put(c.getName(), exit);
                      if (terminating || deadlineExceeded) {
                        return;
                      }
                      boolean again =
                          "Always".equals(restartPolicy)
                              || ("OnFailure".equals(restartPolicy) && exit != 0);
                      if (!again) {
                        return;
                      }
                      restarts++;
                      backOff(c, false, restarts);
                      Thread.sleep(1000);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "pod-" + name + "-" + c.getName());
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      if (terminating) {
        return;
      }
      if (deadlineExceeded) {
        finishDeadline();
        return;
      }
      boolean allOk = exits.values().stream().allMatch(e -> e == 0);
      publish(allOk ? "Succeeded" : "Failed", null, null);
      LOG.info(
          "pod {}/{} {} (exit codes {})", namespace, name, allOk ? "Succeeded" : "Failed", exits);
    }

    /**
     * Publishes what the kubelet shows between a container's exit and its restart: state {@code
     * waiting} (reason {@code CrashLoopBackOff}), {@code lastState.terminated} with the exit code
     * and termination message of the run that just ended, and the new {@code restartCount}. The
     * running status of the next run keeps that {@code lastState}.
     */
    private void backOff(Container c, boolean init, int restarts) {
      var table = init ? initStatuses : statuses;
      var ended = table.get(c.getName());
      var status =
          new io.fabric8.kubernetes.api.model.ContainerStatusBuilder(
                  waiting(
                      c,
                      "CrashLoopBackOff",
                      "back-off 1s restarting failed container="
                          + c.getName()
                          + " pod="
                          + name
                          + "_"
                          + namespace,
                      restarts))
              .withLastState(ended.getState().getTerminated() != null ? ended.getState() : null)
              .withContainerID(ended.getContainerID())
              .build();
      table.put(c.getName(), status);
      publish(init ? "Pending" : "Running", null, null);
    }

    private void finishDeadline() {
      publish(
          "Failed",
          "DeadlineExceeded",
          "Pod was active on the node longer than the specified deadline");
    }

    /** Runs one container to completion; returns its exit code. */
    private int runContainer(Container c, boolean init, Map<String, Path> volumeDirs, int restarts)
        throws InterruptedException {
      Map<String, io.fabric8.kubernetes.api.model.ContainerStatus> table =
          init ? initStatuses : statuses;
      ImageMapping mapping = imageMapping(c.getImage());
      if (mapping == null) {
        String msg =
            "no image mapping for "
                + c.getImage()
                + " on the dbguard local node: call LocalNode.mapImage(pattern, mapping)";
        LOG.warn("pod {}/{}: {}", namespace, name, msg);
        table.put(c.getName(), waiting(c, "ErrImagePull", msg, restarts));
        publish("Pending", null, null);
        while (!terminating && !deadlineExceeded) {
          Thread.sleep(200);
        }
        return 1;
      }
      Path cdir = dir.resolve("containers").resolve(c.getName());
      mkdirs(cdir);
      Path termFile = cdir.resolve("termination-log");
      try {
        Files.deleteIfExists(termFile);
        Files.createFile(termFile);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Path rewrites: longest container path first.
      Map<String, String> rewrites = new LinkedHashMap<>();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
      env.put("LANG", "C.UTF-8");
      Path home = dir.resolve("home");
      Path tmp = dir.resolve("tmp");
      mkdirs(home);
      mkdirs(tmp);
      env.put("HOME", home.toString());
      env.put("TMPDIR", tmp.toString());
      env.put("HOSTNAME", name);
      env.put("JAVA_HOME", System.getProperty("java.home"));
      java.net.URI api = java.net.URI.create(cluster.apiServerUrl());
      env.put("KUBERNETES_SERVICE_HOST", api.getHost());
      env.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.getPort()));
      env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(api.getPort()));
      Path saDir = volumeDirs.get("__serviceaccount__");
      if (saDir != null) {
        env.put("KUBECONFIG", saDir.resolve("kubeconfig").toString());
        rewrites.put(SERVICE_ACCOUNT_DIR, saDir.toString());
      }
      String tmPath =
          c.getTerminationMessagePath() == null
              ? "/dev/termination-log"
              : c.getTerminationMessagePath();
      rewrites.put(tmPath, termFile.toString());
      env.put("DBGUARD_TERMINATION_MESSAGE_PATH", termFile.toString());
      for (var m : nullToEmpty(c.getVolumeMounts())) {
        Path vdir = volumeDirs.get(m.getName());
        if (vdir == null) {
          throw new IllegalStateException("volumeMount " + m.getName() + " has no volume");
        }
        env.put("DBGUARD_VOLUME_" + envName(m.getName()), vdir.toString());
        Path target = vdir;
        if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
          target = vdir.resolve(m.getSubPath());
          mkdirs(target);
        }
        if (!"/".equals(m.getMountPath())) {
          rewrites.put(stripSlash(m.getMountPath()), target.toString());
        }
      }
      env.putAll(baseEnv);
      Map<String, String> containerEnv;
      while (true) {
        try {
          containerEnv = resolveEnv(c, env);
          break;
        } catch (MissingReference e) {
          table.put(
              c.getName(), waiting(c, "CreateContainerConfigError", e.getMessage(), restarts));
          publish("Pending", null, null);
          Thread.sleep(1000);
          if (terminating || deadlineExceeded) {
            return 1;
          }
        }
      }
      List<Map.Entry<String, String>> ordered = new ArrayList<>(rewrites.entrySet());
      ordered.sort((a, b) -> b.getKey().length() - a.getKey().length());
      for (var e : containerEnv.entrySet()) {
        env.put(e.getKey(), hostPortFor(rewrite(e.getValue(), ordered)));
      }
      List<String> argv = new ArrayList<>();
      List<String> command = nullToEmpty(c.getCommand());
      List<String> args = nullToEmpty(c.getArgs());
      if (!command.isEmpty()) {
        argv.addAll(command);
        argv.addAll(args);
      } else {
        argv.addAll(mapping.entrypoint());
        argv.addAll(args.isEmpty() ? mapping.defaultArgs() : args);
      }
      // container paths first, then $(VAR): expanded values are host paths already
      argv.replaceAll(a -> rewrite(a, ordered));
      argv.replaceAll(a -> expand(a, env));
      if (argv.isEmpty()) {
        table.put(
            c.getName(),
            waiting(c, "CreateContainerError", "no command: image has no entrypoint", restarts));
        publish("Pending", null, null);
        return 1;
      }
      List<String> alias = executables.get(argv.get(0));
      if (alias != null) {
        argv.remove(0);
        argv.addAll(0, alias);
      }
      Path workDir = mapping.workingDir() == null ? cdir : mapping.workingDir();
      if (c.getWorkingDir() != null && !c.getWorkingDir().isEmpty()) {
        String wd = rewrite(c.getWorkingDir(), ordered);
        workDir = Path.of(wd);
        if (!Files.isDirectory(workDir)) {
          workDir = dir.resolve("rootfs").resolve(stripSlash(wd).replaceFirst("^/+", ""));
          mkdirs(workDir);
        }
      }
      Path log = dir.resolve("logs").resolve(c.getName() + ".log");
      String startedAt = now();
      Process p;
      synchronized (this) {
        if (terminating || deadlineExceeded) {
          return 1;
        }
        p = supervisor.start(argv, env, workDir, log);
        processes.put(c.getName(), p);
      }
      LOG.info("pod {}/{} container {} started: {}", namespace, name, c.getName(), summary(argv));
      var running =
          new io.fabric8.kubernetes.api.model.ContainerStatusBuilder(table.get(c.getName()))
              .withRestartCount(restarts)
              .withStarted(true)
              .withReady(!init)
              .withContainerID("local://" + p.pid())
              .withNewState()
              .withNewRunning()
              .withStartedAt(startedAt)
              .endRunning()
              .endState()
              .build();
      table.put(c.getName(), running);
      publish(init ? "Pending" : "Running", null, null);
      int exit = p.waitFor();
      processes.remove(c.getName());
      String message = readTerminationMessage(termFile, c, exit, log);
      var terminated =
          new io.fabric8.kubernetes.api.model.ContainerStatusBuilder(running)
              .withReady(false)
              .withStarted(false)
              .withNewState()
              .withNewTerminated()
              .withExitCode(exit)
              .withReason(exit == 0 ? "Completed" : "Error")
              .withMessage(message)
              .withStartedAt(startedAt)
              .withFinishedAt(now())
              .withContainerID("local://" + p.pid())
              .endTerminated()
              .endState()
              .build();
      table.put(c.getName(), terminated);
      LOG.info("pod {}/{} container {} exited with {}", namespace, name, c.getName(), exit);
      return exit;
    }

    /** An env value that is exactly one of the pod's declared container ports → its host port. */
    private String hostPortFor(String value) {
      for (var e : hostPorts.entrySet()) {
        if (value.equals(Integer.toString(e.getKey()))) {
          return Integer.toString(e.getValue());
        }
      }
      return value;
    }

    private String readTerminationMessage(Path termFile, Container c, int exit, Path log) {
      try {
        byte[] bytes = Files.exists(termFile) ? Files.readAllBytes(termFile) : new byte[0];
        if (bytes.length > 4096) {
          bytes = java.util.Arrays.copyOf(bytes, 4096);
        }
        String msg = new String(bytes, StandardCharsets.UTF_8);
        if (msg.isEmpty()
            && exit != 0
            && "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy())
            && Files.exists(log)) {
          List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
          String tail =
              String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
          msg = tail.length() > 2048 ? tail.substring(tail.length() - 2048) : tail;
        }
        return msg.isEmpty() ? null : msg;
      } catch (IOException e) {
        return null;
      }
    }

    /** Returns volume name → host dir (plus "__serviceaccount__"), or null when terminating. */
    private Map<String, Path> prepareVolumes() throws InterruptedException {
      Map<String, Path> dirs = new LinkedHashMap<>();
      for (Volume v : nullToEmpty(pod.getSpec().getVolumes())) {
        Path vdir = dir.resolve("volumes").resolve(v.getName());
        if (v.getPersistentVolumeClaim() != null) {
          String claim = v.getPersistentVolumeClaim().getClaimName();
          Path claimDir = null;
          while (claimDir == null) {
            PersistentVolumeClaim pvc =
                client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
            if (pvc != null
                && pvc.getStatus() != null
                && "Bound".equals(pvc.getStatus().getPhase())) {
              claimDir = claimDirs.get(pvc.getMetadata().getUid());
            }
            if (claimDir == null) {
              for (var s : statuses.values()) {
                if (s.getState().getWaiting() != null) {
                  s.getState().getWaiting().setReason("ContainerCreating");
                  s.getState()
                      .getWaiting()
                      .setMessage("waiting for PersistentVolumeClaim " + claim + " to be bound");
                }
              }
              publish("Pending", null, null);
              Thread.sleep(500);
              if (terminating) {
                return null;
              }
            }
          }
          dirs.put(v.getName(), claimDir);
        } else if (v.getHostPath() != null) {
          dirs.put(v.getName(), Path.of(v.getHostPath().getPath()));
        } else if (v.getSecret() != null) {
          Secret s =
              client.secrets().inNamespace(namespace).withName(v.getSecret().getSecretName()).get();
          mkdirs(vdir);
          if (s != null && s.getData() != null) {
            for (var e : s.getData().entrySet()) {
              writeFile(vdir.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
            }
          }
          if (s != null && s.getStringData() != null) {
            for (var e : s.getStringData().entrySet()) {
              writeFile(vdir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
          }
          dirs.put(v.getName(), vdir);
        } else if (v.getConfigMap() != null) {
          ConfigMap cm =
              client.configMaps().inNamespace(namespace).withName(v.getConfigMap().getName()).get();
          mkdirs(vdir);
          if (cm != null && cm.getData() != null) {
            for (var e : cm.getData().entrySet()) {
              writeFile(vdir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
          }
          dirs.put(v.getName(), vdir);
        } else {
          // emptyDir and anything else: a fresh directory per pod.
          mkdirs(vdir);
          dirs.put(v.getName(), vdir);
        }
      }
      if (!Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken())) {
        String sa =
            pod.getSpec().getServiceAccountName() == null
                    || pod.getSpec().getServiceAccountName().isEmpty()
                ? "default"
                : pod.getSpec().getServiceAccountName();
        Path saDir = dir.resolve("serviceaccount");
        mkdirs(saDir);
        for (int i = 0; i < 50; i++) {
          try {
            if (client.serviceAccounts().inNamespace(namespace).withName(sa).get() != null) {
              String kubeconfig = cluster.kubeconfigFor(namespace, sa);
              writeFile(saDir.resolve("kubeconfig"), kubeconfig.getBytes(StandardCharsets.UTF_8));
              String token = cluster.serviceAccountToken(namespace, sa, Duration.ofHours(1));
              writeFile(saDir.resolve("token"), token.getBytes(StandardCharsets.UTF_8));
              writeFile(saDir.resolve("namespace"), namespace.getBytes(StandardCharsets.UTF_8));
              Files.copy(
                  Path.of(cluster.adminConfig().getCaCertFile()),
                  saDir.resolve("ca.crt"),
                  java.nio.file.StandardCopyOption.REPLACE_EXISTING);
              dirs.put("__serviceaccount__", saDir);
              break;
            }
          } catch (IOException | KubernetesClientException e) {
            LOG.debug("service account token for {}/{}: {}", namespace, sa, e.toString());
          }
          Thread.sleep(100);
          if (terminating) {
            return null;
          }
        }
        if (!dirs.containsKey("__serviceaccount__")) {
          LOG.warn(
              "pod {}/{}: ServiceAccount {} does not exist; the process gets no KUBECONFIG",
              namespace,
              name,
              sa);
        }
      }
      return dirs;
    }

    private Map<String, String> resolveEnv(Container c, Map<String, String> base) {
      Map<String, String> out = new LinkedHashMap<>();
      for (EnvFromSource from : nullToEmpty(c.getEnvFrom())) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        if (from.getSecretRef() != null) {
          Secret s =
              client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
          if (s == null) {
            if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
              continue;
            }
            throw new MissingReference(
                "secret \"" + from.getSecretRef().getName() + "\" not found");
          }
          secretData(s).forEach((k, v) -> out.put(prefix + k, v));
        }
        if (from.getConfigMapRef() != null) {
          ConfigMap cm =
              client
                  .configMaps()
                  .inNamespace(namespace)
                  .withName(from.getConfigMapRef().getName())
                  .get();
          if (cm == null) {
            if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
              continue;
            }
            throw new MissingReference(
                "configmap \"" + from.getConfigMapRef().getName() + "\" not found");
          }
          if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> out.put(prefix + k, v));
          }
        }
      }
      for (EnvVar e : nullToEmpty(c.getEnv())) {
        Map<String, String> scope = new LinkedHashMap<>(base);
        scope.putAll(out);
        String value;
        if (e.getValueFrom() != null) {
          value = valueFrom(e.getValueFrom(), c);
          if (value == null) {
            continue;
          }
        } else {
          value = expand(e.getValue() == null ? "" : e.getValue(), scope);
        }
        out.put(e.getName(), value);
      }
      return out;
    }

    private String valueFrom(EnvVarSource src, Container c) {
      if (src.getSecretKeyRef() != null) {
        var ref = src.getSecretKeyRef();
        Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        String v = s == null ? null : secretData(s).get(ref.getKey());
        if (v == null && !Boolean.TRUE.equals(ref.getOptional())) {
          throw new MissingReference(
              s == null
                  ? "secret \"" + ref.getName() + "\" not found"
                  : "couldn't find key "
                      + ref.getKey()
                      + " in Secret "
                      + namespace
                      + "/"
                      + ref.getName());
        }
        return v;
      }
      if (src.getConfigMapKeyRef() != null) {
        var ref = src.getConfigMapKeyRef();
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
        String v = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
        if (v == null && !Boolean.TRUE.equals(ref.getOptional())) {
          throw new MissingReference(
              cm == null
                  ? "configmap \"" + ref.getName() + "\" not found"
                  : "couldn't find key "
                      + ref.getKey()
                      + " in ConfigMap "
                      + namespace
                      + "/"
                      + ref.getName());
        }
        return v;
      }
      if (src.getFieldRef() != null) {
        return fieldRef(src.getFieldRef().getFieldPath());
      }
      if (src.getResourceFieldRef() != null) {
        var r = c.getResources();
        String res = src.getResourceFieldRef().getResource();
        Quantity q = null;
        if (r != null && res.startsWith("limits.") && r.getLimits() != null) {
          q = r.getLimits().get(res.substring(7));
        } else if (r != null && res.startsWith("requests.") && r.getRequests() != null) {
          q = r.getRequests().get(res.substring(9));
        }
        return q == null ? "0" : Quantity.getAmountInBytes(q).toBigInteger().toString();
      }
      return null;
    }

    private String fieldRef(String path) {
      var meta = pod.getMetadata();
      Matcher m = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]").matcher(path);
      if (m.matches()) {
        Map<String, String> map =
            "labels".equals(m.group(1)) ? meta.getLabels() : meta.getAnnotations();
        return map == null ? "" : map.getOrDefault(m.group(2), "");
      }
      return switch (path) {
        case "metadata.name" -> meta.getName();
        case "metadata.namespace" -> meta.getNamespace();
        case "metadata.uid" -> meta.getUid();
        case "spec.nodeName" -> NODE_NAME;
        case "spec.serviceAccountName" ->
            pod.getSpec().getServiceAccountName() == null
                ? "default"
                : pod.getSpec().getServiceAccountName();
        case "status.hostIP", "status.podIP" -> "127.0.0.1";
        default -> throw new MissingReference("unsupported fieldRef " + path);
      };
    }

    boolean killProcesses() {
      boolean any = false;
      for (Process p : processes.values()) {
        any = true;
        ProcessSupervisor.killTree(p.toHandle(), Duration.ofSeconds(2));
      }
      return any;
    }

    /** Stops the pod: SIGTERM to each container's group, SIGKILL after {@code graceSeconds}. */
    void terminate(long graceSeconds, boolean writeStatus) {
      synchronized (this) {
        terminating = true;
      }
      for (Process p : processes.values()) {
        p.destroy();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
      for (Process p : processes.values()) {
        try {
          long left = deadline - System.nanoTime();
          if (left > 0) {
            p.waitFor(left, TimeUnit.NANOSECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ProcessSupervisor.killTree(p.toHandle(), Duration.ofSeconds(2));
      }
      Thread t = thread;
      if (t != null) {
        try {
          t.join(3000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      LOG.info("pod {}/{} deleted: processes stopped", namespace, name);
    }

    /** Writes the whole pod status. Errors (pod gone) are logged at debug level. */
    synchronized void publish(String phase, String reason, String message) {
      if (stopped) {
        return;
      }
      List<io.fabric8.kubernetes.api.model.ContainerStatus> init =
          new ArrayList<>(initStatuses.values());
      List<io.fabric8.kubernetes.api.model.ContainerStatus> main =
          new ArrayList<>(statuses.values());
      boolean initialized =
          init.stream()
              .allMatch(
                  s ->
                      s.getState().getTerminated() != null
                          && s.getState().getTerminated().getExitCode() == 0);
      boolean ready =
          "Running".equals(phase) && main.stream().allMatch(s -> s.getState().getRunning() != null);
      String now = now();
      for (int attempt = 1; ; attempt++) {
        try {
          client
              .pods()
              .inNamespace(namespace)
              .withName(name)
              .editStatus(
                  p -> {
                    if (!uid.equals(p.getMetadata().getUid())) {
                      return p;
                    }
                    p.setStatus(
                        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                            .withPhase(phase)
                            .withReason(reason)
                            .withMessage(message)
                            .withHostIP("127.0.0.1")
                            .withPodIP("127.0.0.1")
                            .addNewPodIP("127.0.0.1")
                            .withStartTime(startTime)
                            .withQosClass("BestEffort")
                            .addNewCondition()
                            .withType("PodScheduled")
                            .withStatus("True")
                            .withLastTransitionTime(startTime)
                            .endCondition()
                            .addNewCondition()
                            .withType("Initialized")
                            .withStatus(initialized ? "True" : "False")
                            .withLastTransitionTime(now)
                            .endCondition()
                            .addNewCondition()
                            .withType("ContainersReady")
                            .withStatus(ready ? "True" : "False")
                            .withLastTransitionTime(now)
                            .endCondition()
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus(ready ? "True" : "False")
                            .withLastTransitionTime(now)
                            .endCondition()
                            .withInitContainerStatuses(init)
                            .withContainerStatuses(main)
                            .build());
                    return p;
                  });
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404 || attempt == 5) {
            if (e.getCode() != 404) {
              LOG.warn("status of pod {}/{} not written: {}", namespace, name, e.getMessage());
            }
            return;
          }
          try {
            Thread.sleep(200L * attempt);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  private static io.fabric8.kubernetes.api.model.ContainerStatus waiting(
      Container c, String reason, String message, int restarts) {
    return new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withReady(false)
        .withStarted(false)
        .withRestartCount(restarts)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  private static Map<String, String> secretData(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  /** Kubernetes {@code $(VAR)} expansion: defined names are replaced, {@code $$} escapes. */
  static String expand(String value, Map<String, String> scope) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char ch = value.charAt(i);
      if (ch == '$' && i + 1 < value.length()) {
        char next = value.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (next == '(') {
          int close = value.indexOf(')', i + 2);
          if (close > 0) {
            String var = value.substring(i + 2, close);
            if (scope.containsKey(var)) {
              out.append(scope.get(var));
              i = close + 1;
              continue;
            }
          }
        }
      }
      out.append(ch);
      i++;
    }
    return out.toString();
  }

  // "//" also counts as a start, for URLs such as file:///backups/x or sqlite:///data/app.db.
  private static final String BEFORE = "(?<=^|[\\s=:'\"(,\\[]|//)";
  private static final String AFTER = "(?=$|/|[\\s'\"),;:\\]}])";

  /**
   * Replaces container paths by host paths (see the class doc) in one pass: at each position the
   * longest matching container path wins, and a host path that was just written is never rewritten
   * again (a host directory under {@code /tmp} must survive a container mount at {@code /tmp}).
   */
  static String rewrite(String value, List<Map.Entry<String, String>> orderedRewrites) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    Map<String, String> targets = new HashMap<>();
    StringBuilder alternatives = new StringBuilder();
    List<Map.Entry<String, String>> longestFirst = new ArrayList<>(orderedRewrites);
    longestFirst.sort((a, b) -> b.getKey().length() - a.getKey().length());
    for (var e : longestFirst) {
      if (value.contains(e.getKey()) && targets.putIfAbsent(e.getKey(), e.getValue()) == null) {
        alternatives
            .append(alternatives.length() == 0 ? "" : "|")
            .append(Pattern.quote(e.getKey()));
      }
    }
    if (targets.isEmpty()) {
      return value;
    }
    Matcher m = Pattern.compile(BEFORE + "(" + alternatives + ")" + AFTER).matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(targets.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String envName(String volumeName) {
    return volumeName.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static String stripSlash(String p) {
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static String summary(List<String> argv) {
    String s = String.join(" ", argv);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  private static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static void writeFile(Path p, byte[] bytes) {
    try {
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void mkdirs(Path p) {
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reference (Secret, ConfigMap, key) the container needs does not exist (yet). */
  private static final class MissingReference extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingReference(String message) {
      super(message);
    }
  }
}
