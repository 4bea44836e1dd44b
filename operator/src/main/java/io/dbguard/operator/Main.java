package io.dbguard.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: JOSDK with leader election (Lease {@code dbguard-operator} in the
 * operator's namespace), JOSDK metrics on a Prometheus registry without per-resource meters, and an
 * HTTP server on {@code DBGUARD_HTTP_PORT} (default 8080) with {@code /healthz} (all event sources
 * healthy), {@code /readyz} (operator started) and {@code /metrics} (Prometheus text).
 *
 * <p>Environment: {@code DBGUARD_IMAGE} (tool image), {@code POD_NAMESPACE} (lease namespace),
 * {@code DBGUARD_LEADER_ELECTION=false} to disable leader election (development only).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
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
    LOG.info("dbguard operator started; tool image {}, http port {}", config.toolImage(), port);
  }

  /** Builds (does not start) the operator with the reconciler registered. */
  public static Operator create(
      OperatorConfig config, PrometheusMeterRegistry registry, Map<String, String> env) {
    boolean leaderElection =
        !"false".equalsIgnoreCase(env.getOrDefault("DBGUARD_LEADER_ELECTION", "true"));
    return create(
        config,
        registry,
        leaderElection ? env.getOrDefault("POD_NAMESPACE", "default") : null,
        true,
        null,
        new DatabaseMigrationReconciler(config));
  }

  /**
   * Builds (does not start) an operator.
   *
   * @param leaseNamespace namespace of the leader-election Lease, or null for no leader election
   * @param exitOnLostLease exit the JVM when leadership is lost (true in production: a replica that
   *     lost its lease must not keep acting; false in tests that stop and start operators)
   * @param client the client to use, or null for the default (in-cluster / KUBECONFIG)
   * @param reconciler the reconciler to register
   */
  public static Operator create(
      OperatorConfig config,
      PrometheusMeterRegistry registry,
      String leaseNamespace,
      boolean exitOnLostLease,
      KubernetesClient client,
      DatabaseMigrationReconciler reconciler) {
    Operator operator =
        new Operator(
            o -> {
              o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (client != null) {
                o.withKubernetesClient(client);
              }
              if (leaseNamespace != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        "dbguard-operator",
                        leaseNamespace,
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null,
                        null,
                        exitOnLostLease));
              }
            });
    operator.register(reconciler);
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
