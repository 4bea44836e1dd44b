package io.dbguard.benchmarks;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The floor of any JVM rollout gate, for {@link GateLatencyBenchmark}: a process that does only
 * what no gate can skip — start a JVM, trust the cluster's CA, open one verified TLS connection to
 * the API server and GET one object with a bearer token — with nothing else loaded (no command line
 * parser, no configuration file, no JSON reader). The benchmark runs it with the gate's JVM flags
 * and an AppCDS archive trained on it, so the gap between this and {@code dbguard gate} is what
 * dbguard itself adds.
 *
 * <p>Usage: {@code java -cp CLASSES io.dbguard.benchmarks.TlsGetFloor URL TOKEN_FILE CA_PEM_FILE};
 * exits 0 when the answer is 2xx, 1 otherwise. The token is read from a file so that it never
 * appears in a process list.
 */
public final class TlsGetFloor {
  private TlsGetFloor() {}

  /**
   * @param args the URL to GET, a file holding the bearer token, a PEM file of the CA certificate
   * @throws Exception on any failure (the process then exits non-zero)
   */
  public static void main(String[] args) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream pem = Files.newInputStream(Path.of(args[2]))) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    HttpsURLConnection c = (HttpsURLConnection) new URL(args[0]).openConnection(Proxy.NO_PROXY);
    c.setSSLSocketFactory(tls.getSocketFactory());
    c.setRequestProperty("Authorization", "Bearer " + Files.readString(Path.of(args[1])).trim());
    c.setRequestProperty("Accept", "application/json");
    int code = c.getResponseCode();
    try (InputStream body = code < 300 ? c.getInputStream() : c.getErrorStream()) {
      if (body != null) {
        body.transferTo(OutputStream.nullOutputStream());
      }
    }
    System.exit(code >= 200 && code < 300 ? 0 : 1);
  }
}
