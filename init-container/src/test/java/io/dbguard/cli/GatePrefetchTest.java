package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's connection prepared while its command line is parsed ({@link GatePrefetch}), against a
 * local HTTP server standing in for the API server (the TLS path is GateTrainingTest's and
 * GateIT's).
 */
class GatePrefetchTest {
  @TempDir Path dir;

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private String previous;

  @BeforeEach
  void start() throws IOException {
    previous = System.getProperty("kubeconfig");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    if (previous == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previous);
    }
  }

  /** Records "path from client-port" and answers like the API server. */
  private void answer(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    requests.add(path + " from " + x.getRemoteAddress().getPort());
    boolean migration = path.endsWith("/databasemigrations/shop");
    String body =
        path.equals("/version")
            ? "{\"major\":\"1\",\"minor\":\"20\"}"
            : migration
                ? "{\"metadata\":{\"name\":\"shop\"},\"status\":{\"phase\":\"Succeeded\","
                    + "\"lastSucceededImage\":\"app:v1\"}}"
                : "{\"kind\":\"Status\",\"message\":\"not found\"}";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(path.equals("/version") || migration ? 200 : 404, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  private void kubeconfig(String server, String user) throws IOException {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(
        kc,
        """
        apiVersion: v1
        kind: Config
        current-context: t
        clusters:
        - name: t
          cluster: {server: "%s"}
        users:
        - name: t
          user: %s
        contexts:
        - name: t
          context: {cluster: t, user: t}
        """
            .formatted(server, user));
    System.setProperty("kubeconfig", kc.toString());
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void theGetGoesOverTheConnectionOpenedWhileTheCommandLineWasParsed() throws Exception {
    kubeconfig(url(), "{token: t0k3n}");

    GateApi api = GatePrefetch.start().api();

    assertThat(api).isNotNull();
    assertThat(api.get("shop", "shop").status()).containsEntry("phase", "Succeeded");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0)).startsWith("/version from ");
    assertThat(requests.get(1))
        .startsWith("/apis/dbguard.io/v1alpha1/namespaces/shop/databasemigrations/shop from ");
    // the same client port: one connection, one handshake
    assertThat(requests.get(1).replaceAll(".* from ", ""))
        .isEqualTo(requests.get(0).replaceAll(".* from ", ""));
  }

  @Test
  void theGatesFirstGetIsMadeWhileTheCommandLineIsParsedAndNotRepeated() throws Exception {
    kubeconfig(url(), "{token: t0k3n}");
    java.io.StringWriter out = new java.io.StringWriter();
    String[] args = {"--migration", "shop", "--image=app:v1", "--namespace", "shop"};

    picocli.CommandLine gate = Main.gateCommandLine(GatePrefetch.start(GateArgs.plain(args)));
    gate.setOut(new java.io.PrintWriter(out));
    int code = gate.execute(args);

    assertThat(code).isZero();
    assertThat(out.toString()).contains("open: migration succeeded for image app:v1");
    assertThat(requests.get(0))
        .startsWith("/apis/dbguard.io/v1alpha1/namespaces/shop/databasemigrations/shop from ");
    assertThat(requests).noneMatch(r -> r.startsWith("/version"));
    assertThat(requests.stream().filter(r -> r.contains("/databasemigrations/shop from ")))
        .hasSize(1);
  }

  @Test
  void plainArgumentsAreReadWithoutPicocliAndDecideFromThePrefetchedRead() throws Exception {
    kubeconfig(url(), "{token: t0k3n}");
    Path log = dir.resolve("termination-log");

    int code =
        Main.gate(
            "--migration",
            "shop",
            "--image",
            "app:v1",
            "--namespace=shop",
            "--termination-log",
            log.toString());

    assertThat(code).isZero();
    assertThat(Files.readString(log)).contains("\"exitCode\":0").contains("MigrationSucceeded");
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0))
        .startsWith("/apis/dbguard.io/v1alpha1/namespaces/shop/databasemigrations/shop from ");
  }

  @Test
  void argumentsThatAreNotPlainStillGetPicocliUsageErrors() throws Exception {
    kubeconfig(url(), "{token: t0k3n}");

    assertThat(Main.gate("--migration", "shop")).isEqualTo(4); // --image missing
    assertThat(Main.gate("--migration", "shop", "--image", "a", "--timeout", "soon")).isEqualTo(4);
  }

  @Test
  void aPrefetchedReadOfAnotherMigrationIsNotUsed() throws Exception {
    kubeconfig(url(), "{token: t0k3n}");
    GatePrefetch prefetch =
        GatePrefetch.start(
            GateArgs.plain(
                new String[] {"--migration", "other", "--image", "app:v1", "--namespace", "shop"}));
    prefetch.api();
    assertThat(prefetch.read()).isEqualTo(new GatePrefetch.Read("shop", "other", null));

    picocli.CommandLine gate = Main.gateCommandLine(prefetch);
    gate.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
    gate.execute(
        "--migration", "shop", "--image", "app:v1", "--namespace", "shop", "--timeout", "1");

    // the gate read "shop" itself: the prefetched 404 of "other" did not stand for it
    assertThat(requests)
        .anyMatch(
            r ->
                r.startsWith(
                    "/apis/dbguard.io/v1alpha1/namespaces/shop/databasemigrations/shop from "));
  }

  @Test
  void aConfigurationOnlyTheLibraryReadsIsLeftToTheGateAfterParsing() throws Exception {
    kubeconfig(url(), "{exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}}");

    assertThat(GatePrefetch.start().api()).isNull();
    assertThat(requests).isEmpty();
  }

  @Test
  void aServerThatCannotBeReachedLeavesTheGetToFailAsBefore() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    kubeconfig("http://127.0.0.1:" + closed, "{token: t0k3n}");

    GateApi api = GatePrefetch.start().api();

    assertThat(api).isNotNull();
    assertThatThrownBy(() -> api.get("shop", "shop"))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(GateApi.ApiException.class);
  }

  @Test
  void aClusterCaThatIsNotACertificateFailsLikeTheGatesOwnConnect() throws Exception {
    Path kc = dir.resolve("kubeconfig");
    kubeconfig("https://127.0.0.1:1", "{token: t0k3n}");
    Files.writeString(
        kc,
        Files.readString(kc)
            .replace(
                "cluster: {server: \"https://127.0.0.1:1\"}",
                "cluster: {server: \"https://127.0.0.1:1\", certificate-authority-data: "
                    + "bm90IGEgY2VydGlmaWNhdGU=}"));

    assertThatThrownBy(() -> GatePrefetch.start().api())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot set up TLS");
    assertThatThrownBy(GateApi::connect)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot set up TLS");
  }
}
