package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's requests and how it reads the answers ({@link GateApi}), against a local HTTP server
 * standing in for the API server (TLS: GateApiTlsTest).
 */
class GateApiTest {
  private HttpServer server;
  private GateApi api;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> headers = new ConcurrentHashMap<>();

  /** What the server answers: status code and body per request path (default 404). */
  private final Map<String, Object[]> answers = new ConcurrentHashMap<>();

  /** Lines the watch sends, then it ends. */
  private volatile List<String> watchLines = List.of();

  /** When set, the watch waits for it after its first line, then sends the rest. */
  private volatile CountDownLatch more;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    api =
        GateApi.connect(
            new GateConfig(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/",
                "s3cr3t-t0k3n",
                null,
                null,
                false,
                "shop"));
  }

  @AfterEach
  void stop() {
    if (more != null) {
      more.countDown();
    }
    server.stop(0);
  }

  private void answer(HttpExchange x) throws IOException {
    String query = x.getRequestURI().getRawQuery();
    requests.add(x.getRequestURI().getPath() + (query == null ? "" : "?" + query));
    headers.put("Authorization", String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
    headers.put("Accept", String.valueOf(x.getRequestHeaders().getFirst("Accept")));
    if (query != null
        && query.startsWith("watch=true")
        && !answers.containsKey(x.getRequestURI().getPath())) {
      x.sendResponseHeaders(200, 0); // chunked
      try (OutputStream out = x.getResponseBody()) {
        for (String line : watchLines) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          if (more != null) {
            more.await(30, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    Object[] a = answers.getOrDefault(x.getRequestURI().getPath(), new Object[] {404, ""});
    byte[] b = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    if ((Integer) a[0] == 302) {
      x.getResponseHeaders().set("Location", SHOP + "/shop");
    }
    x.sendResponseHeaders((Integer) a[0], b.length == 0 ? -1 : b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  private static final String SHOP = "/apis/dbguard.io/v1alpha1/namespaces/shop/databasemigrations";

  @Test
  void getsTheMigrationWithTheTokenAndReadsItsVersionAndStatus() throws Exception {
    answers.put(
        SHOP + "/shop",
        new Object[] {
          200,
          "{\"metadata\":{\"resourceVersion\":\"42\"},\"status\":{\"phase\":\"Migrating\","
              + "\"attempt\":2}}"
        });

    GateJson.Observed o = api.get("shop", "shop");

    assertThat(o.resourceVersion()).isEqualTo("42");
    assertThat(o.status()).isEqualTo(Map.of("phase", "Migrating", "attempt", "2"));
    assertThat(requests).containsExactly(SHOP + "/shop");
    assertThat(headers)
        .containsEntry("Authorization", "Bearer s3cr3t-t0k3n")
        .containsEntry("Accept", "application/json");
  }

  @Test
  void aMigrationThatDoesNotExistIsNull() throws Exception {
    answers.put(SHOP + "/gone", new Object[] {404, "{\"kind\":\"Status\",\"code\":404}"});

    assertThat(api.get("shop", "gone")).isNull();
  }

  @Test
  void anyOtherAnswerIsAnApiExceptionWithTheStatusMessageAndNoToken() {
    answers.put(
        SHOP + "/shop",
        new Object[] {
          403,
          "{\"kind\":\"Status\",\"message\":\"databasemigrations.dbguard.io \\\"shop\\\" is"
              + " forbidden\",\"code\":403}"
        });
    answers.put(SHOP + "/broken", new Object[] {500, "Internal Server Error"});
    answers.put(SHOP + "/moved", new Object[] {302, ""});

    assertThatThrownBy(() -> api.get("shop", "shop"))
        .isInstanceOfSatisfying(
            GateApi.ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessage("databasemigrations.dbguard.io \"shop\" is forbidden");
    assertThatThrownBy(() -> api.get("shop", "broken"))
        .isInstanceOfSatisfying(
            GateApi.ApiException.class, e -> assertThat(e.code()).isEqualTo(500))
        .hasMessage("HTTP 500")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> api.get("shop", "moved"))
        .isInstanceOfSatisfying(
            GateApi.ApiException.class, e -> assertThat(e.code()).isEqualTo(302));
  }

  @Test
  void watchesFromTheVersionAndHandsOnAddedAndModifiedObjectsUntilTheStreamEnds() throws Exception {
    watchLines =
        List.of(
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"resourceVersion\":\"5\"}}}",
            "",
            "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"6\"}}}",
            "{\"object\":{\"metadata\":{\"resourceVersion\":\"7\"},\"status\":{\"phase\":\"A\"}},"
                + "\"type\":\"MODIFIED\"}",
            "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"resourceVersion\":\"8\"}}}");
    List<String> seen = new ArrayList<>();

    api.watch("shop", "a b", "4", o -> seen.add(o.resourceVersion() + " " + o.status()));

    assertThat(seen).containsExactly("5 null", "7 {phase=A}");
    String watch = requests.get(0);
    assertThat(watch)
        .startsWith(SHOP + "?watch=true&timeoutSeconds=" + GateApi.WATCH_SECONDS + "&")
        .endsWith("&resourceVersion=4");
    assertThat(URLDecoder.decode(watch, StandardCharsets.UTF_8))
        .contains("&fieldSelector=metadata.name=a b&");
    assertThat(headers).containsEntry("Authorization", "Bearer s3cr3t-t0k3n");
  }

  @Test
  void aWatchEndsAtAnErrorEventOrWhenTheObjectIsNotWanted() throws Exception {
    watchLines =
        List.of(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}",
            "{\"type\":\"MODIFIED\",\"object\":{}}");
    List<GateJson.Observed> seen = new ArrayList<>();

    api.watch("shop", "shop", null, seen::add);

    assertThat(seen).isEmpty();
    assertThat(requests.get(0)).doesNotContain("resourceVersion");

    watchLines =
        List.of(
            "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\"}}}",
            "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"resourceVersion\":\"2\"}}}");
    api.watch(
        "shop",
        "shop",
        null,
        o -> {
          seen.add(o);
          return false;
        });

    assertThat(seen).extracting(GateJson.Observed::resourceVersion).containsExactly("1");
  }

  @Test
  void aRefusedWatchIsAnApiException() {
    // a watch of another namespace: the server answers 404 for paths it does not know
    answers.put(
        "/apis/dbguard.io/v1alpha1/namespaces/other/databasemigrations",
        new Object[] {403, "{\"kind\":\"Status\",\"message\":\"no watch\"}"});

    assertThatThrownBy(() -> api.watch("other", "shop", null, o -> true))
        .isInstanceOfSatisfying(
            GateApi.ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessage("no watch");
  }

  @Test
  void anInterruptedWatchHandsOnNothingMore() throws Exception {
    more = new CountDownLatch(1);
    watchLines =
        List.of(
            "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\"}}}",
            "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"resourceVersion\":\"2\"}}}");
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch first = new CountDownLatch(1);
    CompletableFuture<Object> ended = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                api.watch(
                    "shop",
                    "shop",
                    null,
                    o -> {
                      seen.add(o.resourceVersion());
                      first.countDown();
                      return true;
                    });
                ended.complete("returned");
              } catch (IOException | RuntimeException e) {
                ended.complete(e);
              }
            });
    t.setDaemon(true);
    t.start();
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

    t.interrupt();
    more.countDown();

    assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo("returned");
    assertThat(seen).containsExactly("1");
  }
}
