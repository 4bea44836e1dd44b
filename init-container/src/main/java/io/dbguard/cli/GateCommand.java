package io.dbguard.cli;

import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dbguard gate --migration NAME --image IMAGE [--namespace NS] [--timeout SECONDS]}: the
 * rollout gate, run as an init container in the application's pod template (docs/design.md §4).
 *
 * <p>Waits, with a <b>watch</b> (no busy polling), until DatabaseMigration {@code NAME} has
 * succeeded for {@code IMAGE} ({@code status.lastSucceededImage == IMAGE}), then exits 0. Exits
 * {@link ExitCode#GATE_CLOSED} (50) with the reason when the migration's attempt for {@code IMAGE}
 * ended RolledBack, Blocked, Rejected or Failed, and {@link ExitCode#GATE_TIMEOUT} (51) after
 * {@code --timeout} seconds (0 = wait forever). The reason also goes to {@code --termination-log}
 * as a {@link StepResult}, so {@code kubectl describe pod} shows why the pod is held.
 *
 * <p>Needs only {@code get} and {@code watch} on {@code databasemigrations.dbguard.io} in its
 * namespace. Namespace: {@code --namespace}, else the pod's ServiceAccount namespace file, else the
 * client configuration's namespace. Connection: in-cluster ServiceAccount or {@code KUBECONFIG}.
 */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description =
        "Rollout gate: wait until a DatabaseMigration has succeeded for an image; exit 50 when"
            + " it was rolled back, blocked, rejected or failed, 51 on timeout.")
final class GateCommand implements Callable<Integer> {
  static final ResourceDefinitionContext DATABASE_MIGRATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();

  static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** Phases that close the gate for the attempt's image. */
  static final Set<String> CLOSED = Set.of("RolledBack", "Blocked", "Rejected", "Failed");

  @Spec CommandSpec spec;

  @Option(
      names = "--migration",
      required = true,
      paramLabel = "NAME",
      description = "DatabaseMigration name.")
  String migration;

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IMAGE",
      description = "The image this pod runs.")
  String image;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "Namespace of the DatabaseMigration.")
  String namespace;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up after this many seconds with exit 51 (default 0: wait forever).")
  long timeoutSeconds;

  @Option(
      names = "--termination-log",
      paramLabel = "PATH",
      description = "Write the result JSON here.")
  Path terminationLog;

  /** The gate's verdict on one observed DatabaseMigration. */
  record Verdict(State state, String reason, String message) {
    enum State {
      OPEN,
      CLOSED,
      WAIT
    }
  }

  /**
   * Decides from a DatabaseMigration's {@code status} map (null when absent). Pure.
   *
   * @param status {@code .status} as a JSON map, or null
   * @param image the image this pod runs
   */
  static Verdict decide(Map<String, Object> status, String image) {
    if (status == null) {
      return new Verdict(Verdict.State.WAIT, "NoStatus", "the migration has not started");
    }
    Object phase = status.get("phase");
    if (image.equals(status.get("lastSucceededImage"))) {
      return new Verdict(
          Verdict.State.OPEN, "MigrationSucceeded", "migration succeeded for image " + image);
    }
    if (image.equals(status.get("image")) && phase != null && CLOSED.contains(phase.toString())) {
      return new Verdict(
          Verdict.State.CLOSED,
          String.valueOf(status.get("reason")),
          "migration for image "
              + image
              + " is "
              + phase
              + ": "
              + status.getOrDefault("message", ""));
    }
    String at =
        image.equals(status.get("image"))
            ? "phase " + phase
            : "the migration is at image " + status.get("image") + ", phase " + phase;
    return new Verdict(
        Verdict.State.WAIT, "Waiting", "waiting for image " + image + " (" + at + ")");
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Instant deadline = timeoutSeconds > 0 ? Instant.now().plusSeconds(timeoutSeconds) : Instant.MAX;
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      String ns = resolveNamespace(client);
      Resource<GenericKubernetesResource> res =
          client
              .genericKubernetesResources(DATABASE_MIGRATIONS)
              .inNamespace(ns)
              .withName(migration);
      out.println(
          "dbguard gate: waiting for DatabaseMigration "
              + ns
              + "/"
              + migration
              + " to succeed for "
              + image);
      out.flush();
      String lastMessage = null;
      while (true) {
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        GenericKubernetesResource current = res.get();
        Verdict v = verdictOf(current);
        if (v.state() != Verdict.State.WAIT) {
          return finish(v);
        }
        String rv = current == null ? null : current.getMetadata().getResourceVersion();
        try (Watch w = watch(res, rv, events)) {
          while (true) {
            if (!v.message().equals(lastMessage)) {
              out.println("dbguard gate: " + v.message());
              out.flush();
              lastMessage = v.message();
            }
            long waitMs = Duration.between(Instant.now(), deadline).toMillis();
            if (waitMs <= 0) {
              return finish(
                  new Verdict(
                      Verdict.State.CLOSED,
                      "GateTimeout",
                      "timed out after " + timeoutSeconds + " s: " + v.message()));
            }
            Object e =
                events.poll(Math.min(waitMs, TimeUnit.MINUTES.toMillis(5)), TimeUnit.MILLISECONDS);
            if (e == null) {
              continue;
            }
            if (e instanceof GenericKubernetesResource r) {
              v = verdictOf(r);
              if (v.state() != Verdict.State.WAIT) {
                return finish(v);
              }
            } else {
              break; // the watch closed (e.g. resource version too old): read again and re-watch
            }
          }
        }
      }
    } catch (KubernetesClientException e) {
      String msg =
          e.getCode() == 403
              ? "forbidden: the pod's ServiceAccount needs get and watch on"
                  + " databasemigrations.dbguard.io ("
                  + e.getStatus().getMessage()
                  + ")"
              : "cannot read the DatabaseMigration: " + e.getMessage();
      spec.commandLine().getErr().println("dbguard gate: " + msg);
      writeResult(
          new StepResult("gate", ExitCode.CONNECTION_FAILED.code(), "ApiError", msg, null, null));
      return ExitCode.CONNECTION_FAILED.code();
    }
  }

  private Watch watch(
      Resource<GenericKubernetesResource> res, String rv, LinkedBlockingQueue<Object> events) {
    Watcher<GenericKubernetesResource> watcher =
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource r) {
            if (action == Action.ADDED || action == Action.MODIFIED) {
              events.add(r);
            }
          }

          @Override
          public void onClose(WatcherException cause) {
            events.add(Boolean.FALSE);
          }
        };
    return rv == null ? res.watch(watcher) : res.withResourceVersion(rv).watch(watcher);
  }

  @SuppressWarnings("unchecked")
  private Verdict verdictOf(GenericKubernetesResource r) {
    if (r == null) {
      return new Verdict(
          Verdict.State.WAIT, "NotFound", "DatabaseMigration " + migration + " does not exist yet");
    }
    Object status = r.getAdditionalProperties().get("status");
    return decide(status instanceof Map<?, ?> m ? (Map<String, Object>) m : null, image);
  }

  private int finish(Verdict v) {
    int code =
        switch (v.state()) {
          case OPEN -> ExitCode.OK.code();
          case CLOSED ->
              "GateTimeout".equals(v.reason())
                  ? ExitCode.GATE_TIMEOUT.code()
                  : ExitCode.GATE_CLOSED.code();
          case WAIT -> throw new IllegalStateException("not final");
        };
    PrintWriter w = code == 0 ? spec.commandLine().getOut() : spec.commandLine().getErr();
    w.println("dbguard gate: " + (code == 0 ? "open: " : "closed: ") + v.message());
    w.flush();
    writeResult(new StepResult("gate", code, v.reason(), v.message(), null, null));
    return code;
  }

  private void writeResult(StepResult r) {
    if (terminationLog == null) {
      return;
    }
    try {
      Files.writeString(terminationLog, r.toTerminationMessage(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("dbguard gate: cannot write " + terminationLog + ": " + e);
    }
  }

  private String resolveNamespace(KubernetesClient client) throws IOException {
    if (namespace != null) {
      return namespace;
    }
    if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
    }
    String ns = client.getNamespace();
    return ns == null ? "default" : ns;
  }
}
