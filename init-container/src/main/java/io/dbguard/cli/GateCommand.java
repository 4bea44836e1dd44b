package io.dbguard.cli;

import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
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

  /**
   * The connection prepared while the command line was parsed ({@link Main#gate}), or null: the
   * gate then connects itself.
   */
  final GatePrefetch prefetch;

  /** A gate that connects itself once its options are parsed. */
  GateCommand() {
    this(null);
  }

  /** A gate that takes the client {@code prefetch} prepares (null: connects itself). */
  GateCommand(GatePrefetch prefetch) {
    this.prefetch = prefetch;
  }

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
    PrintWriter out = out();
    // null = wait forever (--timeout 0)
    Instant deadline = timeoutSeconds > 0 ? Instant.now().plusSeconds(timeoutSeconds) : null;
    try {
      GateApi api = null;
      if (prefetch != null) {
        if (terminationLog != null) {
          StepResult.prepareJson(); // while the other thread still connects
        }
        api = prefetch.api();
      }
      if (api == null) {
        api = GateApi.connect();
      }
      String ns = namespace(namespace, api);
      out.println(
          "dbguard gate: waiting for DatabaseMigration "
              + ns
              + "/"
              + migration
              + " to succeed for "
              + image);
      out.flush();
      String lastMessage = null;
      GatePrefetch.Read early = prefetch == null ? null : prefetch.read();
      boolean first =
          early != null && early.namespace().equals(ns) && early.name().equals(migration);
      while (true) {
        GateJson.Observed current = first ? early.observed() : getWithRetry(api, ns, deadline);
        first = false;
        Verdict v = verdictOf(current);
        if (v.state() != Verdict.State.WAIT) {
          return finish(v);
        }
        String rv = current == null ? null : current.resourceVersion();
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Thread watcher = startWatch(api, ns, rv, events);
        try {
          while (true) {
            if (!v.message().equals(lastMessage)) {
              out.println("dbguard gate: " + v.message());
              out.flush();
              lastMessage = v.message();
            }
            long waitMs = remainingMillis(deadline, Instant.now());
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
            if (e instanceof GateJson.Observed r) {
              v = verdictOf(r);
              if (v.state() != Verdict.State.WAIT) {
                return finish(v);
              }
            } else if (e instanceof GateApi.ApiException refused) {
              throw refused;
            } else {
              break; // the watch ended (server timeout, version too old): read again, re-watch
            }
          }
        } finally {
          watcher.interrupt();
        }
      }
    } catch (GateApi.ApiException e) {
      String msg =
          e.code() == 403
              ? "forbidden: the pod's ServiceAccount needs get and watch on"
                  + " databasemigrations.dbguard.io ("
                  + e.getMessage()
                  + ")"
              : "cannot read the DatabaseMigration: HTTP " + e.code() + ": " + e.getMessage();
      return apiError(msg);
    } catch (IOException e) {
      return apiError("cannot read the DatabaseMigration: " + e.getMessage());
    }
  }

  private int apiError(String msg) {
    err().println("dbguard gate: " + msg);
    writeResult(
        new StepResult("gate", ExitCode.CONNECTION_FAILED.code(), "ApiError", msg, null, null));
    return ExitCode.CONNECTION_FAILED.code();
  }

  /**
   * The first read, retried on connection errors (the API server restarting, the pod's network not
   * ready yet) for up to {@link #CONNECT_RETRY_SECONDS} or the gate's deadline; an answer of the
   * API server (403, 500 …) is not retried.
   */
  private GateJson.Observed getWithRetry(GateApi api, String ns, Instant deadline)
      throws IOException, InterruptedException {
    Instant giveUp = Instant.now().plusSeconds(CONNECT_RETRY_SECONDS);
    long pauseMs = 100;
    while (true) {
      try {
        return api.get(ns, migration);
      } catch (GateApi.ApiException e) {
        throw e;
      } catch (IOException e) {
        Instant now = Instant.now();
        if (now.isAfter(giveUp) || remainingMillis(deadline, now) <= pauseMs) {
          throw e;
        }
        Thread.sleep(pauseMs);
        pauseMs = Math.min(2_000, pauseMs * 2);
      }
    }
  }

  /** Seconds the first read is retried on connection errors. */
  static final int CONNECT_RETRY_SECONDS = 20;

  private Thread startWatch(GateApi api, String ns, String rv, LinkedBlockingQueue<Object> events) {
    Thread t =
        new Thread(
            () -> {
              try {
                api.watch(
                    ns,
                    migration,
                    rv,
                    o -> {
                      events.add(o);
                      return true;
                    });
                events.add(Boolean.FALSE);
              } catch (GateApi.ApiException e) {
                events.add(e);
              } catch (IOException | RuntimeException e) {
                events.add(Boolean.FALSE);
              }
            },
            "dbguard-gate-watch");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Milliseconds left until {@code deadline} (at least 0), or {@link Long#MAX_VALUE} when there is
   * no deadline ({@code --timeout 0}: wait forever).
   */
  static long remainingMillis(Instant deadline, Instant now) {
    return deadline == null
        ? Long.MAX_VALUE
        : Math.max(0, Duration.between(now, deadline).toMillis());
  }

  private Verdict verdictOf(GateJson.Observed r) {
    if (r == null) {
      return new Verdict(
          Verdict.State.WAIT, "NotFound", "DatabaseMigration " + migration + " does not exist yet");
    }
    return decide(r.status(), image);
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
    PrintWriter w = code == 0 ? out() : err();
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
      err().println("dbguard gate: cannot write " + terminationLog + ": " + e);
    }
  }

  /** Standard output: picocli's writer, or the process's when the gate runs without picocli. */
  private PrintWriter out() {
    return spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
  }

  /** Standard error: picocli's writer, or the process's when the gate runs without picocli. */
  private PrintWriter err() {
    return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
  }

  /**
   * The gate's namespace: {@code option} ({@code --namespace}) when given, else the pod's
   * ServiceAccount namespace file, else the client configuration's namespace, else {@code default}.
   *
   * @throws IOException when the ServiceAccount namespace file exists but cannot be read
   */
  static String namespace(String option, GateApi api) throws IOException {
    if (option != null) {
      return option;
    }
    if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
    }
    String ns = api.namespace();
    return ns == null ? "default" : ns;
  }
}
