package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate over TLS ({@link GateApi}): only the configured cluster CA is trusted and the host name
 * is checked, unless {@code insecure-skip-tls-verify}; the GET reuses the warm-up's connection.
 * Against a local HTTPS server with a self-signed certificate for IP 127.0.0.1 (made with keytool,
 * as dbguard-cds.sh makes its training certificate).
 */
class GateApiTlsTest {
  @TempDir static Path dir;

  private static HttpsServer server;
  private static String caData;
  private static final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    TestKeyStores.make(dir.resolve("tls.p12"), "tls");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("tls.p12"))) {
      ks.load(in, "training".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "training".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext("/", GateApiTlsTest::answer);
    server.start();
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(ks.getCertificate("tls").getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    caData = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void clear() {
    requests.clear();
  }

  /** Records "path from client-port"; the migration "shop" has succeeded. */
  private static void answer(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    requests.add(path + " from " + x.getRemoteAddress().getPort());
    boolean shop = path.endsWith("/databasemigrations/shop");
    String body =
        path.equals("/version")
            ? "{\"major\":\"1\",\"minor\":\"30\"}"
            : shop
                ? "{\"metadata\":{\"resourceVersion\":\"3\"},\"status\":{\"phase\":\"Succeeded\"}}"
                : "{\"kind\":\"Status\",\"message\":\"not found\"}";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(path.equals("/version") || shop ? 200 : 404, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  private static GateApi api(String host, String ca, boolean insecure) throws IOException {
    return GateApi.connect(
        new GateConfig(
            "https://" + host + ":" + server.getAddress().getPort(),
            "t0k3n",
            ca,
            null,
            insecure,
            "shop"));
  }

  @Test
  void theGetGoesOverTheWarmUpsTlsConnection() throws Exception {
    GateApi api = api("127.0.0.1", caData, false);

    api.openConnection();
    GateJson.Observed o = api.get("shop", "shop");
    assertThat(api.get("shop", "other")).isNull();

    assertThat(o.status()).containsEntry("phase", "Succeeded");
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0)).startsWith("/version from ");
    // the same client port: one connection, one handshake
    String port = requests.get(0).replaceAll(".* from ", "");
    assertThat(requests).allSatisfy(r -> assertThat(r).endsWith(" from " + port));
  }

  @Test
  void theHostNameMustMatchTheCertificate() throws Exception {
    // the certificate names IP 127.0.0.1 only
    GateApi api = api("localhost", caData, false);

    assertThatThrownBy(() -> api.get("shop", "shop"))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(GateApi.ApiException.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void withoutTheClusterCaTheCertificateIsNotTrusted() throws Exception {
    GateApi api = api("127.0.0.1", null, false);

    assertThatThrownBy(() -> api.get("shop", "shop"))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(GateApi.ApiException.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void insecureSkipTlsVerifyAcceptsAnyCertificateAndHostName() throws Exception {
    GateApi api = api("localhost", null, true);

    assertThat(api.get("shop", "shop").status()).containsEntry("phase", "Succeeded");
  }
}
