package io.dbguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The rollout gate's whole use of the Kubernetes API: one GET of a DatabaseMigration and a watch on
 * it, over the JDK's HTTP client. The gate runs at every pod start of a protected workload, so it
 * does not build a full Kubernetes client (its model registry, serializers and default trust store
 * cost over a second of start-up on 2 CPUs); configuration still comes from the Kubernetes client
 * library ({@link Config#autoConfigure}: in-cluster ServiceAccount, {@code KUBECONFIG} or the
 * {@code kubeconfig} system property, with tokens, exec credential plugins and client
 * certificates).
 *
 * <p>Requests (Kubernetes API conventions, "API Concepts: Efficient detection of changes"): when
 * the connection is prepared ahead ({@link #openConnection()}), {@code GET /version}; then {@code
 * GET /apis/dbguard.io/v1alpha1/namespaces/NS/databasemigrations/NAME}, then {@code GET
 * …/databasemigrations?watch=true&fieldSelector=metadata.name=NAME&resourceVersion=RV}, a stream of
 * one JSON event per line ({@code {"type":"MODIFIED","object":{…}}}).
 */
final class GateApi {
  /**
   * The JSON reader, made at first use (after the TLS handshake, when the gate's main thread has
   * already loaded Jackson for the termination message), not when the connection is being prepared.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** The server ends each watch after this many seconds; the gate then reads again. */
  static final int WATCH_SECONDS = 300;

  private static final String PATH = "/apis/dbguard.io/v1alpha1/namespaces/%s/databasemigrations";

  /** An answer of the API server other than 2xx (or 404 on the GET). */
  static final class ApiException extends IOException {
    private final int code;

    ApiException(int code, String message) {
      super(message);
      this.code = code;
    }

    /** HTTP status code, e.g. 403. */
    int code() {
      return code;
    }
  }

  private final GateConfig config;
  private final HttpClient http;

  private GateApi(GateConfig config, HttpClient http) {
    this.config = config;
    this.http = http;
  }

  /**
   * Reads the client configuration and prepares (lazily connecting) an HTTP client. The common
   * configurations are read directly ({@link GateConfig#simple()}: a pod's ServiceAccount, or a
   * kubeconfig whose user has a token); anything else (exec credential plugins, auth providers,
   * client certificates) through the Kubernetes client library's {@link Config#autoConfigure},
   * which costs about a second more.
   *
   * @throws IOException when a configured certificate or key cannot be read
   */
  static GateApi connect() throws IOException {
    GateConfig simple = GateConfig.simple();
    if (simple != null) {
      return connect(simple);
    }
    Config library = Config.autoConfigure(null);
    return build(GateConfig.of(library), library);
  }

  /**
   * Prepares (lazily connecting) an HTTP client for a configuration read by {@link
   * GateConfig#simple()}.
   *
   * @throws IOException when the configured CA certificate cannot be read
   */
  static GateApi connect(GateConfig simple) throws IOException {
    return build(simple, null);
  }

  private static GateApi build(GateConfig config, Config library) throws IOException {
    // HTTP/1.1: one GET and one long-lived watch need no multiplexing.
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
    if (config.masterUrl().startsWith("https")) {
      b.sslContext(sslContext(config, library));
    }
    return new GateApi(config, b.build());
  }

  /** Seconds the connection warm-up ({@link #openConnection()}) may take before it is given up. */
  static final int WARM_UP_SECONDS = 5;

  /**
   * Opens the connection to the API server ahead of the gate's GET, while the command line is still
   * being parsed: {@code GET /version} (readable by every client, authenticated or not, under the
   * API server's default RBAC), whose answer is read and dropped. The connection then stays in the
   * client's pool, and the GET of the DatabaseMigration reuses it without a second TLS handshake.
   * Never fails: a refused, failed or slow (over {@link #WARM_UP_SECONDS}) warm-up only means the
   * GET opens its own connection, as it would without one.
   */
  void openConnection() {
    try {
      String master = config.masterUrl();
      String url = (master.endsWith("/") ? master : master + "/") + "version";
      HttpRequest req = requestBuilder(url).timeout(Duration.ofSeconds(WARM_UP_SECONDS)).build();
      HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = r.body()) {
        // read to the end, so that the connection is kept; parsing it loads the JSON reader early
        Json.MAPPER.readTree(body.readAllBytes());
      }
    } catch (IOException | RuntimeException e) {
      // the GET connects on its own
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The namespace of the configuration (in a pod: its ServiceAccount's), or null. */
  String namespace() {
    return config.namespace();
  }

  /**
   * GETs the DatabaseMigration.
   *
   * @return the object as a JSON tree, or null when it does not exist (404)
   * @throws ApiException on any other non-2xx answer (403 when the ServiceAccount lacks get)
   */
  JsonNode get(String namespace, String name) throws IOException, InterruptedException {
    HttpResponse<InputStream> r =
        http.send(
            request(url(namespace) + "/" + enc(name)), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() == 404) {
        return null;
      }
      if (r.statusCode() / 100 != 2) {
        throw new ApiException(r.statusCode(), message(r.statusCode(), body));
      }
      JsonNode n = Json.MAPPER.readTree(body);
      return n;
    }
  }

  /**
   * Watches the DatabaseMigration from {@code resourceVersion} (null: from now) and hands each
   * ADDED or MODIFIED object to {@code onObject}, until the server ends the stream, sends an ERROR
   * event (e.g. 410 Gone: the version is too old), or {@code onObject} returns false.
   *
   * @throws ApiException when the watch is refused (403 without the watch verb)
   */
  void watch(
      String namespace,
      String name,
      String resourceVersion,
      java.util.function.Predicate<JsonNode> onObject)
      throws IOException, InterruptedException {
    String url =
        url(namespace)
            + "?watch=true&timeoutSeconds="
            + WATCH_SECONDS
            + "&fieldSelector="
            + enc("metadata.name=" + name)
            + (resourceVersion == null ? "" : "&resourceVersion=" + enc(resourceVersion));
    HttpResponse<InputStream> r =
        http.send(request(url), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() / 100 != 2) {
        throw new ApiException(r.statusCode(), message(r.statusCode(), body));
      }
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = Json.MAPPER.readTree(line);
        String type = event.path("type").asText();
        if ("ERROR".equals(type)) {
          return;
        }
        if (("ADDED".equals(type) || "MODIFIED".equals(type))
            && !onObject.test(event.get("object"))) {
          return;
        }
      }
    }
  }

  /**
   * The scalar fields of a DatabaseMigration's {@code status} (phase, image, lastSucceededImage,
   * reason, message …) as strings, or null when it has no status.
   */
  static Map<String, Object> status(JsonNode migration) {
    JsonNode s = migration == null ? null : migration.get("status");
    if (s == null || !s.isObject()) {
      return null;
    }
    Map<String, Object> m = new HashMap<>();
    s.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                m.put(e.getKey(), e.getValue().asText());
              }
            });
    return m;
  }

  private String url(String namespace) {
    String master = config.masterUrl();
    if (master.endsWith("/")) {
      master = master.substring(0, master.length() - 1);
    }
    return master + PATH.formatted(enc(namespace));
  }

  private HttpRequest request(String url) {
    return requestBuilder(url).build();
  }

  private HttpRequest.Builder requestBuilder(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    b.header("Accept", "application/json");
    if (config.token() != null) {
      b.header("Authorization", "Bearer " + config.token());
    }
    return b;
  }

  private static String message(int code, InputStream body) {
    try {
      JsonNode status = Json.MAPPER.readTree(body);
      String m = status == null ? null : status.path("message").asText(null);
      return m != null ? m : "HTTP " + code;
    } catch (IOException e) {
      return "HTTP " + code;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * TLS for the API server: trust exactly the configured cluster CA when there is one (without
   * loading the JDK's default trust store, whose integrity check is the slowest part of a generic
   * client's start-up), else the JDK defaults; a client certificate when configured.
   */
  private static SSLContext sslContext(GateConfig config, Config library) throws IOException {
    try {
      TrustManager[] trust = null;
      if (config.trustCerts()) {
        // insecure-skip-tls-verify, as the Kubernetes client library implements it
        trust = SSLUtils.trustManagers(library != null ? library : insecure());
      } else {
        byte[] ca = caCertificates(config);
        if (ca != null) {
          KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
          ks.load(null, null);
          int i = 0;
          for (Certificate c :
              CertificateFactory.getInstance("X.509")
                  .generateCertificates(new ByteArrayInputStream(ca))) {
            ks.setCertificateEntry("ca-" + i++, c);
          }
          TrustManagerFactory tmf =
              TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          tmf.init(ks);
          trust = tmf.getTrustManagers();
        }
      }
      KeyManager[] keys = null;
      if (library != null
          && (library.getClientCertData() != null || library.getClientCertFile() != null)) {
        keys = SSLUtils.keyManagers(library);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, trust, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for the API server: " + e.getMessage(), e);
    }
  }

  private static Config insecure() {
    return new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
        .withTrustCerts(true)
        .build();
  }

  private static byte[] caCertificates(GateConfig config) throws IOException {
    if (config.caCertData() != null && !config.caCertData().isBlank()) {
      return Base64.getDecoder().decode(config.caCertData().trim());
    }
    if (config.caCertFile() != null && Files.isReadable(Path.of(config.caCertFile()))) {
      return Files.readAllBytes(Path.of(config.caCertFile()));
    }
    return null;
  }
}
