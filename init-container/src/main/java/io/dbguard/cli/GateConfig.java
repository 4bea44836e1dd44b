package io.dbguard.cli;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The rollout gate's fast reading of the two configurations a gate meets in practice, without the
 * Kubernetes client library's kubeconfig model (whose type registry is most of a generic client's
 * start-up):
 *
 * <ul>
 *   <li>in a pod: {@code KUBERNETES_SERVICE_HOST}/{@code KUBERNETES_SERVICE_PORT} and the
 *       ServiceAccount's {@code token}, {@code ca.crt} and {@code namespace} under {@code
 *       /var/run/secrets/kubernetes.io/serviceaccount/} (Kubernetes docs: "Accessing the Kubernetes
 *       API from a Pod");
 *   <li>a kubeconfig ({@code KUBECONFIG}, the {@code kubeconfig} system property, or {@code
 *       ~/.kube/config}; its first file) whose current context's user has a {@code token} or {@code
 *       tokenFile}, and whose cluster has {@code server} and {@code certificate-authority(-data)}
 *       or {@code insecure-skip-tls-verify} (kubeconfig format: Kubernetes docs, "Organizing
 *       Cluster Access Using kubeconfig Files").
 * </ul>
 *
 * Anything else — client certificates, exec credential plugins, auth providers, proxies, several
 * kubeconfig files — returns null, and the caller uses {@link Config#autoConfigure}. This class
 * does not touch the library's {@link Config} (whose loading starts the logging framework).
 *
 * @param masterUrl the API server, e.g. {@code https://10.0.0.1:443}
 * @param token bearer token
 * @param caCertData base64 PEM of the cluster CA, or null
 * @param caCertFile path of the cluster CA PEM, or null
 * @param trustCerts {@code insecure-skip-tls-verify}
 * @param namespace default namespace, or null
 */
record GateConfig(
    String masterUrl,
    String token,
    String caCertData,
    String caCertFile,
    boolean trustCerts,
    String namespace) {
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** The configuration, or null when it is not one of the simple forms above. */
  static GateConfig simple() {
    try {
      String kubeconfig = kubeconfigPath();
      if (kubeconfig != null) {
        return fromKubeconfig(Path.of(kubeconfig));
      }
      return inCluster(SERVICE_ACCOUNT, System.getenv());
    } catch (IOException | RuntimeException e) {
      return null; // let the library read it and report what is wrong
    }
  }

  private static String kubeconfigPath() {
    String p = System.getProperty("kubeconfig", System.getenv("KUBECONFIG"));
    if (p != null && !p.isBlank()) {
      return p.contains(java.io.File.pathSeparator) ? "" : p; // several files: not simple
    }
    Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
    return Files.isRegularFile(home) ? home.toString() : null;
  }

  /** In-cluster configuration from the ServiceAccount directory and the service environment. */
  static GateConfig inCluster(Path dir, Map<String, String> env) throws IOException {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.get("KUBERNETES_SERVICE_PORT");
    Path token = dir.resolve("token");
    if (host == null || port == null || !Files.isReadable(token)) {
      return null;
    }
    String h = host.contains(":") ? "[" + host + "]" : host; // IPv6
    Path ca = dir.resolve("ca.crt");
    Path ns = dir.resolve("namespace");
    return new GateConfig(
        "https://" + h + ":" + port,
        Files.readString(token).trim(),
        null,
        Files.isReadable(ca) ? ca.toString() : null,
        false,
        Files.isReadable(ns) ? Files.readString(ns).trim() : null);
  }

  /** A kubeconfig file of the simple form, or null. */
  @SuppressWarnings("unchecked")
  static GateConfig fromKubeconfig(Path file) throws IOException {
    if (file.toString().isEmpty() || !Files.isRegularFile(file)) {
      return null;
    }
    Object doc;
    try (InputStream in = Files.newInputStream(file)) {
      doc =
          new Load(LoadSettings.builder().build())
              .loadFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    if (!(doc instanceof Map<?, ?> root)) {
      return null;
    }
    String current = (String) root.get("current-context");
    Map<String, Object> context = named((List<Object>) root.get("contexts"), current, "context");
    if (context == null) {
      return null;
    }
    Map<String, Object> cluster =
        named((List<Object>) root.get("clusters"), (String) context.get("cluster"), "cluster");
    Map<String, Object> user =
        named((List<Object>) root.get("users"), (String) context.get("user"), "user");
    if (cluster == null || user == null || cluster.get("server") == null) {
      return null;
    }
    if (cluster.containsKey("proxy-url")
        || !List.of("token", "tokenFile").containsAll(user.keySet())) {
      return null; // client certificates, exec, auth-provider, basic auth …: the library's job
    }
    String token = (String) user.get("token");
    if (token == null && user.get("tokenFile") != null) {
      token = Files.readString(resolve(file, (String) user.get("tokenFile"))).trim();
    }
    if (token == null) {
      return null;
    }
    String caFile = (String) cluster.get("certificate-authority");
    Object ns = context.get("namespace");
    return new GateConfig(
        (String) cluster.get("server"),
        token,
        (String) cluster.get("certificate-authority-data"),
        caFile == null ? null : resolve(file, caFile).toString(),
        Boolean.TRUE.equals(cluster.get("insecure-skip-tls-verify")),
        ns instanceof String s ? s : null);
  }

  /** The same facts from the Kubernetes client library's configuration (the general case). */
  static GateConfig of(Config c) {
    String token = c.getOauthToken();
    if (token == null && c.getOauthTokenProvider() != null) {
      token = c.getOauthTokenProvider().getToken();
    }
    if (token == null) {
      token = c.getAutoOAuthToken();
    }
    return new GateConfig(
        c.getMasterUrl(),
        token == null || token.isBlank() ? null : token.trim(),
        c.getCaCertData(),
        c.getCaCertFile(),
        c.isTrustCerts() || c.isDisableHostnameVerification(),
        c.getNamespace());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> named(List<Object> entries, String name, String key) {
    if (entries == null || name == null) {
      return null;
    }
    for (Object e : entries) {
      if (e instanceof Map<?, ?> m && name.equals(m.get("name"))) {
        Object v = m.get(key);
        return v instanceof Map<?, ?> inner ? (Map<String, Object>) inner : Map.of();
      }
    }
    return null;
  }

  private static Path resolve(Path kubeconfig, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p : kubeconfig.toAbsolutePath().getParent().resolve(p);
  }
}
