package io.dbguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The rollout gate's whole use of the Kubernetes API: one GET of a DatabaseMigration and a watch on
 * it, over the JDK's {@link HttpURLConnection} (HTTP/1.1 with its keep-alive cache), read with
 * {@link GateJson}. The gate runs at every pod start, so it does not build a full Kubernetes client
 * (its model registry, serializers and default trust store cost over a second of start-up on 2
 * CPUs), nor the JDK's {@code java.net.http.HttpClient} or Jackson's {@code ObjectMapper} (with
 * them, and its termination message written by an ObjectMapper, a gate took 1.7 to 1.8 times as
 * long: docs/benchmarks.md, "Rollout gate"); configuration still comes from the Kubernetes client
 * library ({@link Config#autoConfigure}: in-cluster ServiceAccount, {@code KUBECONFIG} or the
 * {@code kubeconfig} system property, with tokens, exec credential plugins and client
 * certificates).
 *
 * <p>Requests (Kubernetes API conventions, "API Concepts: Efficient detection of changes"): when
 * the connection is prepared ahead without a migration to read ({@link #openConnection()}), {@code
 * GET /version}; {@code GET /apis/dbguard.io/v1alpha1/namespaces/NS/databasemigrations/NAME} (made
 * ahead too when the arguments name it: {@link GatePrefetch}), then {@code GET
 * …/databasemigrations?watch=true&timeoutSeconds=300&fieldSelector=metadata.name=NAME&resourceVersion=RV},
 * a stream of one JSON event per line ({@code {"type":"MODIFIED","object":{…}}}). No proxy, no
 * redirects, {@code Authorization: Bearer} when the configuration has a token. Every request over
 * HTTPS uses the same TLS socket factory, so the JDK reuses one kept-alive connection (the one the
 * warm-up opened) for the requests that follow.
 */
final class GateApi {
  /** The server ends each watch after this many seconds; the gate then reads again. */
  static final int WATCH_SECONDS = 300;

  /** Milliseconds a connection to the API server may take to open. */
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  /** Milliseconds the watch may stay silent: longer than the server keeps it open. */
  static final int WATCH_READ_TIMEOUT_MILLIS = (WATCH_SECONDS + 60) * 1_000;

  /** Seconds the connection warm-up ({@link #openConnection()}) may take to connect or read. */
  static final int WARM_UP_SECONDS = 5;

  private static final String PATH = "/apis/dbguard.io/v1alpha1/namespaces/%s/databasemigrations";

  /** insecure-skip-tls-verify: any certificate (the trust managers) and any host name (this). */
  private static final HostnameVerifier ANY_HOST = (host, session) -> true;

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

  /** For https: the one factory of every request (the keep-alive cache keys on it), else null. */
  private final SSLSocketFactory tls;

  /** {@link #ANY_HOST} when TLS is not verified, else null (the JDK's host name check). */
  private final HostnameVerifier hosts;

  private GateApi(GateConfig config, SSLSocketFactory tls, HostnameVerifier hosts) {
    this.config = config;
    this.tls = tls;
    this.hosts = hosts;
  }

  /**
   * Reads the client configuration and prepares the TLS context (connecting lazily). The common
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
   * Prepares the TLS context (connecting lazily) for a configuration read by {@link
   * GateConfig#simple()}.
   *
   * @throws IOException when the configured CA certificate cannot be read
   */
  static GateApi connect(GateConfig simple) throws IOException {
    return build(simple, null);
  }

  private static GateApi build(GateConfig config, Config library) throws IOException {
    if (!config.masterUrl().startsWith("https")) {
      return new GateApi(config, null, null);
    }
    return new GateApi(
        config,
        sslContext(config, library).getSocketFactory(),
        config.trustCerts() ? ANY_HOST : null);
  }

  /**
   * Opens the connection to the API server ahead of the gate's GET, while the command line is still
   * being parsed: {@code GET /version} (readable by every client, authenticated or not, under the
   * API server's default RBAC), whose answer is read to its end and dropped. The connection then
   * stays in the JDK's keep-alive cache, and the GET of the DatabaseMigration reuses it without a
   * second TLS handshake. Never fails: a refused, failed or slow (over {@link #WARM_UP_SECONDS} to
   * connect or to read) warm-up only means the GET opens its own connection, as it would without
   * one.
   */
  void openConnection() {
    try {
      String master = config.masterUrl();
      String url = (master.endsWith("/") ? master : master + "/") + "version";
      HttpURLConnection c = open(url, WARM_UP_SECONDS * 1_000, WARM_UP_SECONDS * 1_000);
      try (InputStream body = body(c)) {
        // read to the end, so that the connection is kept; reading it loads the JSON reader early
        GateJson.message(body);
        body.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException | RuntimeException e) {
      // the GET connects on its own
    }
  }

  /** The namespace of the configuration (in a pod: its ServiceAccount's), or null. */
  String namespace() {
    return config.namespace();
  }

  /**
   * GETs the DatabaseMigration.
   *
   * @return what the gate reads of it, or null when it does not exist (404)
   * @throws ApiException on any other non-2xx answer (403 when the ServiceAccount lacks get)
   * @throws IOException when the API server cannot be reached or its answer read
   */
  GateJson.Observed get(String namespace, String name) throws IOException {
    HttpURLConnection c = open(url(namespace) + "/" + enc(name), CONNECT_TIMEOUT_MILLIS, 0);
    try (InputStream body = body(c)) {
      GateJson.Observed o = GateJson.migration(body);
      body.transferTo(OutputStream.nullOutputStream());
      return o;
    } catch (ApiException e) {
      if (e.code() == 404) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Watches the DatabaseMigration from {@code resourceVersion} (null: from now) and hands each
   * ADDED or MODIFIED object to {@code onObject}, until the server ends the stream, sends an ERROR
   * event (e.g. 410 Gone: the version is too old), {@code onObject} returns false, or the calling
   * thread is interrupted (seen when the next line arrives: a read that waits for the server cannot
   * be interrupted; the gate exits once it has decided, so nothing waits for such a watch).
   *
   * @throws ApiException when the watch is refused (403 without the watch verb)
   * @throws IOException when the API server cannot be reached, the stream breaks or a line is not
   *     JSON
   */
  void watch(
      String namespace,
      String name,
      String resourceVersion,
      java.util.function.Predicate<GateJson.Observed> onObject)
      throws IOException {
    String url =
        url(namespace)
            + "?watch=true&timeoutSeconds="
            + WATCH_SECONDS
            + "&fieldSelector="
            + enc("metadata.name=" + name)
            + (resourceVersion == null ? "" : "&resourceVersion=" + enc(resourceVersion));
    HttpURLConnection c = open(url, CONNECT_TIMEOUT_MILLIS, WATCH_READ_TIMEOUT_MILLIS);
    try (InputStream body = body(c)) {
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      for (String line; (line = lines.readLine()) != null; ) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        if (line.isBlank()) {
          continue;
        }
        GateJson.Event event = GateJson.event(line);
        if ("ERROR".equals(event.type())) {
          return;
        }
        if (("ADDED".equals(event.type()) || "MODIFIED".equals(event.type()))
            && !onObject.test(event.object())) {
          return;
        }
      }
    }
  }

  private HttpURLConnection open(String url, int connectMillis, int readMillis) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
    if (c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
      if (hosts != null) {
        https.setHostnameVerifier(hosts);
      }
    }
    c.setConnectTimeout(connectMillis);
    c.setReadTimeout(readMillis);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setRequestProperty("Accept", "application/json");
    if (config.token() != null) {
      c.setRequestProperty("Authorization", "Bearer " + config.token());
    }
    return c;
  }

  /**
   * The body of a 2xx answer.
   *
   * @throws ApiException for any other answer, with the {@code message} of its Status body (the
   *     body is read to its end and closed, so that the connection can be kept)
   */
  private static InputStream body(HttpURLConnection c) throws IOException {
    int code = c.getResponseCode();
    if (code / 100 == 2) {
      return c.getInputStream();
    }
    String message = null;
    InputStream error = code >= 400 ? c.getErrorStream() : c.getInputStream();
    if (error != null) {
      try (error) {
        message = GateJson.message(error);
        error.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // the code alone
      }
    }
    throw new ApiException(code, message != null ? message : "HTTP " + code);
  }

  private String url(String namespace) {
    String master = config.masterUrl();
    if (master.endsWith("/")) {
      master = master.substring(0, master.length() - 1);
    }
    return master + PATH.formatted(enc(namespace));
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
