package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
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
 *       enforced (phase {@code Failed}, reason {@code DeadlineExceeded}). {@link #maxRunningPods}
 *       caps how many pods run at once; the others wait in {@code Pending}.
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

  final KubernetesClient client;
  private final Path root;
  final ProcessSupervisor supervisor;
  final TestCluster cluster;
  private final List<Map.Entry<Pattern, ImageMapping>> images = new CopyOnWriteArrayList<>();
  final Map<String, List<String>> executables = new ConcurrentHashMap<>();
  final Map<String, String> baseEnv = new ConcurrentHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  final Map<String, PodRun> runs = new ConcurrentHashMap<>();
  private final PodAdmission admission = new PodAdmission();
  final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "local-node-timer");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<Pod> podInformer;
  private SharedIndexInformer<PersistentVolumeClaim> pvcInformer;
  final VolumeProvisioner volumes;
  final RunAsUsers runAsUsers;
  volatile boolean stopped;

  LocalNode(KubernetesClient client, Path root, ProcessSupervisor supervisor, TestCluster cluster) {
    this.client = client;
    this.root = root;
    this.supervisor = supervisor;
    this.cluster = cluster;
    this.volumes = new VolumeProvisioner(client, root, timers, () -> stopped);
    this.runAsUsers = new RunAsUsers(root);
    for (String img : List.of("busybox*", "alpine*", "debian*", "ubuntu*", "bash*")) {
      mapImage(img, ImageMapping.host());
    }
  }

  void setSnapshotController(SnapshotController snapshots) {
    volumes.setSnapshotController(snapshots);
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
                    volumes.provisionLater(pvc, 0);
                  }

                  @Override
                  public void onUpdate(PersistentVolumeClaim o, PersistentVolumeClaim pvc) {
                    volumes.provisionLater(pvc, 0);
                  }

                  @Override
                  public void onDelete(PersistentVolumeClaim pvc, boolean unknown) {
                    Path dir = volumes.forget(pvc.getMetadata().getUid());
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
    NodeRegistration.register(client, cluster);
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

  /**
   * Removes all injected faults, the cap of {@link #maxRunningPods} and the pods chosen for {@link
   * #runAsUsers()} (done after each test by {@link WithTestCluster}).
   */
  public void resetFaults() {
    faults.clear();
    admission.setLimit(0);
    runAsUsers.reset();
  }

  /**
   * Opt-in running of chosen pods' containers as their {@code securityContext}'s {@code
   * runAsUser}/{@code runAsGroup} ({@code setpriv}); off unless a test chooses pods with {@link
   * RunAsUsers#honour}, and reset after each test.
   */
  public RunAsUsers runAsUsers() {
    return runAsUsers;
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
    Path dir = volumes.claimDir(pvc.getMetadata().getUid());
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

  /** Number of pods whose processes this node currently manages. */
  public int activePods() {
    return runs.size();
  }

  /**
   * Caps the pods running at once: a pod over the cap is bound but waits, phase {@code Pending}
   * with no container started, until a running pod ends or is deleted (so that a load test of the
   * operator measures the operator, not hundreds of concurrent JVMs). 0 removes the cap (the
   * default); reset after each test by {@link WithTestCluster}.
   *
   * @throws IllegalArgumentException for a negative cap
   */
  public void maxRunningPods(int cap) {
    admission.setLimit(cap);
  }

  /** Pods whose containers run now (admitted under {@link #maxRunningPods}, not yet ended). */
  public int runningPods() {
    return admission.running();
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
          PodRun run = new PodRun(this, pod);
          Thread t =
              new Thread(
                  () -> admission.run(run::run, () -> run.terminating || stopped),
                  "pod-" + pod.getMetadata().getName());
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

  Fault faultFor(Pod pod) {
    for (Fault f : faults) {
      if (f.which.test(pod)) {
        return f;
      }
    }
    return null;
  }

  record Fault(Predicate<Pod> which, Duration delay) {}

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
