package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MainHttpTest {

  @Test
  void healthReadinessAndMetricsEndpoints() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("dbguard_test_total").increment();
    AtomicBoolean healthy = new AtomicBoolean(true);
    AtomicBoolean ready = new AtomicBoolean(false);
    HttpServer http = Main.startHttp(0, healthy::get, ready::get, registry);
    try {
      String base = "http://127.0.0.1:" + http.getAddress().getPort();
      HttpClient c = HttpClient.newHttpClient();
      assertThat(get(c, base + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(c, base + "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      healthy.set(false);
      assertThat(get(c, base + "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(c, base + "/healthz").statusCode()).isEqualTo(503);
      HttpResponse<String> m = get(c, base + "/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body()).contains("dbguard_test_total");
    } finally {
      http.stop(0);
    }
  }

  static HttpResponse<String> get(HttpClient c, String url) throws Exception {
    return c.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
