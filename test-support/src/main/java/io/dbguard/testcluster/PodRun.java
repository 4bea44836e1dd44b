package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plays the kubelet for one pod of the {@link LocalNode} on its own thread. */
final class PodRun {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

  final LocalNode node;
  private final KubernetesClient client;
  private final ContainerEnv envResolver;
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

  PodRun(LocalNode node, Pod pod) {
    this.node = node;
    this.client = node.client;
    this.envResolver = new ContainerEnv(client, pod);
    this.pod = pod;
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.uid = pod.getMetadata().getUid();
    this.dir = node.podDir(namespace, name);
    for (Container c : ContainerPaths.nullToEmpty(pod.getSpec().getInitContainers())) {
      initStatuses.put(c.getName(), PodStatusWriter.waiting(c, "PodInitializing", null, 0));
    }
    for (Container c : allContainers(pod)) {
      for (var port : ContainerPaths.nullToEmpty(c.getPorts())) {
        if (port.getContainerPort() != null) {
          hostPorts.computeIfAbsent(port.getContainerPort(), p -> freePort());
        }
      }
    }
    for (Container c : ContainerPaths.nullToEmpty(pod.getSpec().getContainers())) {
      statuses.put(
          c.getName(),
          PodStatusWriter.waiting(
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
    startTime = LocalNode.now();
    ContainerPaths.mkdirs(dir.resolve("logs"));
    LocalNode.Fault fault = node.faultFor(pod);
    publish("Pending", null, null);
    if (fault != null && fault.delay() == null) {
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
      node.timers.schedule(
          () -> {
            if (!terminating && node.runs.containsKey(uid)) {
              deadlineExceeded = true;
              killProcesses();
            }
          },
          deadline,
          TimeUnit.SECONDS);
    }
    if (fault != null) {
      LOG.info("fault: pod {}/{} starts after {}", namespace, name, fault.delay());
      Thread.sleep(fault.delay().toMillis());
    }
    Map<String, Path> volumeDirs = PodVolumes.prepare(this);
    if (volumeDirs == null) {
      return;
    }
    String restartPolicy =
        pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    for (Container c : ContainerPaths.nullToEmpty(pod.getSpec().getInitContainers())) {
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
    for (Container c : ContainerPaths.nullToEmpty(pod.getSpec().getContainers())) {
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
   * waiting} (reason {@code CrashLoopBackOff}), {@code lastState.terminated} with the exit code and
   * termination message of the run that just ended, and the new {@code restartCount}. The running
   * status of the next run keeps that {@code lastState}.
   */
  private void backOff(Container c, boolean init, int restarts) {
    var table = init ? initStatuses : statuses;
    var ended = table.get(c.getName());
    var status =
        new io.fabric8.kubernetes.api.model.ContainerStatusBuilder(
                PodStatusWriter.waiting(
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
    ImageMapping mapping = node.imageMapping(c.getImage());
    if (mapping == null) {
      String msg =
          "no image mapping for "
              + c.getImage()
              + " on the dbguard local node: call LocalNode.mapImage(pattern, mapping)";
      LOG.warn("pod {}/{}: {}", namespace, name, msg);
      table.put(c.getName(), PodStatusWriter.waiting(c, "ErrImagePull", msg, restarts));
      publish("Pending", null, null);
      while (!terminating && !deadlineExceeded) {
        Thread.sleep(200);
      }
      return 1;
    }
    Path cdir = dir.resolve("containers").resolve(c.getName());
    ContainerPaths.mkdirs(cdir);
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
    ContainerPaths.mkdirs(home);
    ContainerPaths.mkdirs(tmp);
    env.put("HOME", home.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("HOSTNAME", name);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    java.net.URI api = java.net.URI.create(node.cluster.apiServerUrl());
    env.put("KUBERNETES_SERVICE_HOST", api.getHost());
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.getPort()));
    env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(api.getPort()));
    Path saDir = volumeDirs.get("__serviceaccount__");
    if (saDir != null) {
      env.put("KUBECONFIG", saDir.resolve("kubeconfig").toString());
      rewrites.put(LocalNode.SERVICE_ACCOUNT_DIR, saDir.toString());
    }
    String tmPath =
        c.getTerminationMessagePath() == null
            ? "/dev/termination-log"
            : c.getTerminationMessagePath();
    rewrites.put(tmPath, termFile.toString());
    env.put("DBGUARD_TERMINATION_MESSAGE_PATH", termFile.toString());
    for (var m : ContainerPaths.nullToEmpty(c.getVolumeMounts())) {
      Path vdir = volumeDirs.get(m.getName());
      if (vdir == null) {
        throw new IllegalStateException("volumeMount " + m.getName() + " has no volume");
      }
      env.put("DBGUARD_VOLUME_" + ContainerPaths.envName(m.getName()), vdir.toString());
      Path target = vdir;
      if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
        target = vdir.resolve(m.getSubPath());
        ContainerPaths.mkdirs(target);
      }
      if (!"/".equals(m.getMountPath())) {
        rewrites.put(ContainerPaths.stripSlash(m.getMountPath()), target.toString());
      }
    }
    env.putAll(node.baseEnv);
    Map<String, String> containerEnv;
    while (true) {
      try {
        containerEnv = envResolver.resolve(c, env);
        break;
      } catch (ContainerEnv.MissingReference e) {
        table.put(
            c.getName(),
            PodStatusWriter.waiting(c, "CreateContainerConfigError", e.getMessage(), restarts));
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
      env.put(e.getKey(), hostPortFor(ContainerPaths.rewrite(e.getValue(), ordered)));
    }
    List<String> argv = new ArrayList<>();
    List<String> command = ContainerPaths.nullToEmpty(c.getCommand());
    List<String> args = ContainerPaths.nullToEmpty(c.getArgs());
    if (!command.isEmpty()) {
      argv.addAll(command);
      argv.addAll(args);
    } else {
      argv.addAll(mapping.entrypoint());
      argv.addAll(args.isEmpty() ? mapping.defaultArgs() : args);
    }
    // container paths first, then $(VAR): expanded values are host paths already
    argv.replaceAll(a -> ContainerPaths.rewrite(a, ordered));
    argv.replaceAll(a -> ContainerPaths.expand(a, env));
    if (argv.isEmpty()) {
      table.put(
          c.getName(),
          PodStatusWriter.waiting(
              c, "CreateContainerError", "no command: image has no entrypoint", restarts));
      publish("Pending", null, null);
      return 1;
    }
    List<String> alias = node.executables.get(argv.get(0));
    if (alias != null) {
      argv.remove(0);
      argv.addAll(0, alias);
    }
    Path workDir = mapping.workingDir() == null ? cdir : mapping.workingDir();
    if (c.getWorkingDir() != null && !c.getWorkingDir().isEmpty()) {
      String wd = ContainerPaths.rewrite(c.getWorkingDir(), ordered);
      workDir = Path.of(wd);
      if (!Files.isDirectory(workDir)) {
        workDir =
            dir.resolve("rootfs").resolve(ContainerPaths.stripSlash(wd).replaceFirst("^/+", ""));
        ContainerPaths.mkdirs(workDir);
      }
    }
    RunAsUsers.Identity who = node.runAsUsers.identity(pod, c);
    if (who != null) {
      node.runAsUsers.prepare(who, this, c.getName(), cdir, termFile, volumeDirs);
      argv = node.runAsUsers.wrap(who, argv);
    }
    Path log = dir.resolve("logs").resolve(c.getName() + ".log");
    String startedAt = LocalNode.now();
    Process p;
    synchronized (this) {
      if (terminating || deadlineExceeded) {
        return 1;
      }
      p = node.supervisor.start(argv, env, workDir, log);
      processes.put(c.getName(), p);
    }
    LOG.info(
        "pod {}/{} container {} started: {}",
        namespace,
        name,
        c.getName(),
        ContainerPaths.summary(argv));
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
            .withFinishedAt(LocalNode.now())
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
    LOG.info("pod {}/{} deleted: processes node.stopped", namespace, name);
  }

  /** Writes the whole pod status with the current container statuses. */
  synchronized void publish(String phase, String reason, String message) {
    if (node.stopped) {
      return;
    }
    PodStatusWriter.write(
        client,
        pod,
        startTime,
        new ArrayList<>(initStatuses.values()),
        new ArrayList<>(statuses.values()),
        phase,
        reason,
        message);
  }

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Container> allContainers(Pod pod) {
    List<Container> all =
        new ArrayList<>(ContainerPaths.nullToEmpty(pod.getSpec().getInitContainers()));
    all.addAll(ContainerPaths.nullToEmpty(pod.getSpec().getContainers()));
    return all;
  }
}
