package io.dbguard.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dbguard.core.DbguardVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: JOSDK with leader election, JOSDK metrics on a Prometheus registry without
 * per-resource meters, and an HTTP server on {@code DBGUARD_HTTP_PORT} (default 8080) with {@code
 * /healthz} (all event sources healthy), {@code /readyz} (operator started; not waiting for
 * leadership, so a standby replica is ready during a rolling update) and {@code /metrics}
 * (Prometheus text).
 *
 * <p>Environment (set by the Helm chart, {@code helm/dbguard/templates/deployment.yaml}): {@code
 * DBGUARD_IMAGE} (tool image), {@code DBGUARD_STEP_TIMEOUT_SECONDS}, {@code
 * DBGUARD_MAX_RECONCILE_INTERVAL_SECONDS}, {@code DBGUARD_WATCH_NAMESPACES} (comma-separated; empty
 * = all namespaces), {@code DBGUARD_LEADER_ELECTION_ENABLED} ({@code false} only for a single
 * replica), {@code DBGUARD_LEADER_ELECTION_LEASE_NAME} (default {@code dbguard-leader}; the chart's
 * Role allows {@code get/update/patch} on exactly this Lease: fabric8's leader elector takes it
 * over and renews it with patches; JOSDK checks get/update/create at start-up), {@code
 * DBGUARD_LEADER_ELECTION_NAMESPACE} (the pod's namespace), {@code DBGUARD_HTTP_PORT}, {@code
 * DBGUARD_JOB_RESOURCES} and {@code DBGUARD_JOB_JAVA_OPTIONS} (see {@link JobDefaults}), {@code
 * DBGUARD_LOG_LEVEL} and {@code DBGUARD_LOG_FORMAT} ({@code text} or {@code json}; read by {@code
 * logback.xml}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  /**
   * Runs the operator; {@code --version} prints {@code dbguard-operator <version>} and exits.
   *
   * @throws IOException when the HTTP port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      System.out.println(versionLine());
      return;
    }
    Map<String, String> env = System.getenv();
    String logFormat = env.getOrDefault("DBGUARD_LOG_FORMAT", "text");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      // logback would silently drop every line (no appender of that name): refuse to start.
      System.err.println("DBGUARD_LOG_FORMAT must be text or json, not '" + logFormat + "'");
      System.exit(2);
    }
    OperatorConfig config = OperatorConfig.fromEnv(env);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = create(config, registry, env);
    int port = Integer.parseInt(env.getOrDefault("DBGUARD_HTTP_PORT", "8080"));
    HttpServer http =
        startHttp(
            port,
            () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(),
            () -> operator.getRuntimeInfo().isStarted(),
            registry);
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
    LOG.info("{} started; tool image {}, http port {}", versionLine(), config.toolImage(), port);
  }

  /** {@code dbguard-operator <version>} ({@link DbguardVersion}). */
  static String versionLine() {
    return "dbguard-operator " + DbguardVersion.current();
  }

  /** Default name of the leader-election Lease (the chart passes {@code <release>-leader}). */
  public static final String DEFAULT_LEASE_NAME = "dbguard-leader";

  /**
   * The leader-election Lease.
   *
   * @param name Lease name
   * @param namespace Lease namespace (the operator's own)
   */
  public record Lease(String name, String namespace) {}

  /**
   * Builds (does not start) the operator with the reconciler registered, configured from {@code
   * env}.
   */
  public static Operator create(
      OperatorConfig config, PrometheusMeterRegistry registry, Map<String, String> env) {
    return create(config, registry, env, null);
  }

  /**
   * Builds (does not start) the operator configured from {@code env}, as {@link #create(
   * OperatorConfig, PrometheusMeterRegistry, Map)} does, with {@code client} (null: the default
   * in-cluster / KUBECONFIG client).
   */
  public static Operator create(
      OperatorConfig config,
      PrometheusMeterRegistry registry,
      Map<String, String> env,
      KubernetesClient client) {
    boolean leaderElection =
        !"false".equalsIgnoreCase(env.getOrDefault("DBGUARD_LEADER_ELECTION_ENABLED", "true"));
    Lease lease =
        leaderElection
            ? new Lease(
                env.getOrDefault("DBGUARD_LEADER_ELECTION_LEASE_NAME", DEFAULT_LEASE_NAME),
                env.getOrDefault("DBGUARD_LEADER_ELECTION_NAMESPACE", "default"))
            : null;
    Set<String> namespaces = new TreeSet<>();
    for (String n : env.getOrDefault("DBGUARD_WATCH_NAMESPACES", "").split(",")) {
      if (!n.isBlank()) {
        namespaces.add(n.strip());
      }
    }
    DatabaseMigrationReconciler reconciler = new DatabaseMigrationReconciler(config);
    reconciler.setMetrics(new DbguardMetrics(registry));
    return create(config, registry, lease, namespaces, true, client, reconciler);
  }

  /**
   * Builds (does not start) an operator.
   *
   * @param lease the leader-election Lease, or null for no leader election
   * @param watchNamespaces namespaces to watch; empty = all namespaces (needs the ClusterRole)
   * @param exitOnLostLease exit the JVM when leadership is lost (true in production: a replica that
   *     lost its lease must not keep acting; false in tests that stop and start operators)
   * @param client the client to use, or null for the default (in-cluster / KUBECONFIG)
   * @param reconciler the reconciler to register
   */
  public static Operator create(
      OperatorConfig config,
      PrometheusMeterRegistry registry,
      Lease lease,
      Set<String> watchNamespaces,
      boolean exitOnLostLease,
      KubernetesClient client,
      DatabaseMigrationReconciler reconciler) {
    // Before the SDK registers any meter: one set of tag keys per SDK meter (SdkMeterTags).
    registry.config().meterFilter(new SdkMeterTags());
    Operator operator =
        new Operator(
            o -> {
              o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (client != null) {
                o.withKubernetesClient(client);
              }
              if (lease != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        lease.name(),
                        lease.namespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null,
                        null,
                        exitOnLostLease));
              }
            });
    Duration maxInterval = Duration.ofSeconds(config.maxReconcileIntervalSeconds());
    operator.register(
        reconciler,
        o -> {
          o.withReconciliationMaxInterval(maxInterval);
          if (!watchNamespaces.isEmpty()) {
            o.settingNamespaces(watchNamespaces);
          }
        });
    return operator;
  }

  /**
   * Starts the HTTP server: {@code /healthz} (200 "ok" while {@code healthy}, else 503), {@code
   * /readyz} (200 "ready" once {@code ready}, else 503), {@code /metrics} (Prometheus text format
   * of {@code registry}).
   *
   * @param port TCP port; 0 picks a free one
   * @throws IOException when the port cannot be bound
   */
  public static HttpServer startHttp(
      int port,
      Supplier<Boolean> healthy,
      Supplier<Boolean> ready,
      PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(port), 0);
    http.createContext("/healthz", ex -> respond(ex, healthy, "ok"));
    http.createContext("/readyz", ex -> respond(ex, ready, "ready"));
    http.createContext(
        "/metrics",
        ex -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
          }
        });
    http.start();
    return http;
  }

  private static void respond(HttpExchange ex, Supplier<Boolean> check, String okText)
      throws IOException {
    boolean ok;
    try {
      ok = check.get();
    } catch (RuntimeException e) {
      ok = false;
    }
    byte[] body = (ok ? okText : "unavailable").getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(ok ? 200 : 503, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }
}
