package io.dbguard.cli;

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
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The training run of the image's AppCDS archive ({@code init-container/dbguard-cds.sh}): one
 * complete rollout gate, in this JVM, against a local HTTPS server that answers like the API server
 * for a DatabaseMigration that has succeeded. The archive written at this JVM's exit then holds
 * every class a real gate loads on its fast path — the command line, the kubeconfig reader, the
 * HTTP connection, the TLS handshake, the JSON reading and the termination message — so a pod's
 * gate maps them instead of loading and verifying them.
 *
 * <p>Usage: {@code java -XX:ArchiveClassesAtExit=ARCHIVE -cp dbguard.jar
 * io.dbguard.cli.GateTraining DIR}, where {@code DIR/training.p12} is a PKCS#12 key store (password
 * {@code training}, alias {@code training}) with a self-signed certificate for IP 127.0.0.1 (the
 * script makes it with {@code keytool}). Writes {@code DIR/kubeconfig} and {@code
 * DIR/termination-log}. Exits 0 when the gate opened, 1 otherwise (the script then falls back to a
 * shorter training run). Not part of the {@code dbguard} command line.
 */
final class GateTraining {
  private static final char[] PASSWORD = "training".toCharArray();
  private static final String IMAGE = "training:v1";
  private static final String MIGRATION =
      "{\"apiVersion\":\"dbguard.io/v1alpha1\",\"kind\":\"DatabaseMigration\","
          + "\"metadata\":{\"name\":\"training\",\"namespace\":\"training\","
          + "\"resourceVersion\":\"1\"},"
          + "\"status\":{\"phase\":\"Succeeded\",\"image\":\""
          + IMAGE
          + "\",\"lastSucceededImage\":\""
          + IMAGE
          + "\",\"reason\":\"MigrationSucceeded\",\"message\":\"training\"}}";

  private GateTraining() {}

  /**
   * Runs the training gate and exits 0 when it opened, else 1.
   *
   * @param args one argument: the directory holding {@code training.p12}
   * @throws Exception when the key store cannot be read or the server cannot start
   */
  public static void main(String[] args) throws Exception {
    System.exit(run(Path.of(args[0])) == 0 ? 0 : 1);
  }

  /**
   * One gate against the local training server.
   *
   * @param dir holds {@code training.p12}; gets {@code kubeconfig} and {@code termination-log}
   * @return the gate's exit code (0: opened)
   * @throws IOException when the key store cannot be read or the server cannot start
   * @throws GeneralSecurityException when the key store is not as described above
   */
  static int run(Path dir) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("training.p12"))) {
      ks.load(in, PASSWORD);
    }
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(ks)));
    server.createContext("/", GateTraining::answer);
    server.start();
    String previous = System.getProperty("kubeconfig");
    try {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(
          kubeconfig, kubeconfig(server.getAddress().getPort(), ks.getCertificate("training")));
      System.setProperty("kubeconfig", kubeconfig.toString());
      return Main.gate(
          "--migration",
          "training",
          "--image",
          IMAGE,
          "--namespace",
          "training",
          "--termination-log",
          dir.resolve("termination-log").toString());
    } finally {
      server.stop(0);
      if (previous == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", previous);
      }
    }
  }

  private static SSLContext serverContext(KeyStore ks) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** The DatabaseMigration for its GET, 404 for anything else (e.g. a watch: not expected). */
  private static void answer(HttpExchange x) throws IOException {
    boolean get = x.getRequestURI().getPath().endsWith("/databasemigrations/training");
    byte[] body = (get ? MIGRATION : "{}").getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(get ? 200 : 404, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  private static String kubeconfig(int port, Certificate cert) throws GeneralSecurityException {
    Base64.Encoder b64 = Base64.getEncoder();
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: training
          cluster:
            server: https://127.0.0.1:%d
            certificate-authority-data: %s
        contexts:
        - name: training
          context:
            cluster: training
            user: training
            namespace: training
        current-context: training
        users:
        - name: training
          user:
            token: training
        """
        .formatted(port, b64.encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
