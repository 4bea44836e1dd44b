package io.dbguard.cli;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The rollout gate's connection work, started on a second thread before the command line is parsed
 * (the JVM's own start-up is mostly one thread, and the gate runs at every pod start): reading the
 * client configuration, building the TLS context, and opening the TLS connection to the API server
 * and, when the arguments are plain ({@link GateArgs#plain}), the gate's first GET of the migration
 * over that connection; otherwise only {@code GET /version} ({@link GateApi#openConnection()}).
 * Parsing the command line (picocli, whose classes the AppCDS archive cannot hold) runs meanwhile
 * on the main thread; the gate then takes the prepared {@link GateApi} with {@link #api()} and the
 * prefetched read with {@link #read()}, which it uses only when it reads the same namespace and
 * name (a gate given another prefetch's read GETs itself), else it GETs itself.
 *
 * <p>Only configurations that {@link GateConfig#simple()} reads are prepared early; for anything
 * else (exec credential plugins, client certificates …) {@link #api()} returns null and the gate
 * reads the configuration through the Kubernetes client library after parsing, as before. Nothing
 * here decides anything: the verdict comes from the gate's own code on a GET or watch of the
 * migration.
 */
final class GatePrefetch {
  /**
   * A GET of the migration made while the command line was parsed.
   *
   * @param namespace the namespace it was read in
   * @param name the migration's name
   * @param observed what the GET read, or null when the migration does not exist (404)
   */
  record Read(String namespace, String name, GateJson.Observed observed) {}

  private final CompletableFuture<GateApi> api = new CompletableFuture<>();
  private volatile Read read;

  /** The gate's plain arguments, whose migration is read ahead; null: only connect. */
  private final GateArgs plain;

  private GatePrefetch(GateArgs plain) {
    this.plain = plain;
  }

  /** Starts preparing the connection only (no GET of a migration) and returns at once. */
  static GatePrefetch start() {
    return start(null);
  }

  /**
   * Starts the preparation on a daemon thread and returns at once.
   *
   * @param plain the gate's plain arguments ({@link GateArgs#plain}), whose migration is read
   *     ahead; null when they are not plain: the connection is only opened
   */
  static GatePrefetch start(GateArgs plain) {
    GatePrefetch p = new GatePrefetch(plain);
    Thread t = new Thread(p::prepare, "dbguard-gate-connect");
    t.setDaemon(true);
    t.start();
    Thread w = new Thread(GatePrefetch::warmTls, "dbguard-gate-tls");
    w.setDaemon(true);
    w.start();
    return p;
  }

  /**
   * Initialises the JDK's TLS provider classes (cipher suites and protocols, certificate parsing,
   * the PKIX trust manager, the X25519 key exchange) while the connection thread still reads the
   * configuration; the handshake then finds them ready. Failures are ignored: the connection thread
   * meets and reports them.
   */
  private static void warmTls() {
    try {
      javax.net.ssl.SSLContext.getInstance("TLS");
      java.security.cert.CertificateFactory.getInstance("X.509");
      javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      java.security.KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      // the connection thread reports what matters
    }
  }

  private void prepare() {
    try {
      GateConfig simple = GateConfig.simple();
      if (simple == null) {
        api.complete(null);
        return;
      }
      GateApi ready = GateApi.connect(simple);
      if (plain == null) {
        ready.openConnection();
      } else {
        String ns = GateCommand.namespace(plain.namespace(), ready);
        try {
          read = new Read(ns, plain.migration(), ready.get(ns, plain.migration()));
        } catch (IOException | RuntimeException e) {
          // refused, unreachable, unreadable: the gate's own GET meets it again and reports it
        }
      }
      api.complete(ready);
    } catch (IOException | RuntimeException | Error e) {
      api.completeExceptionally(e);
    }
  }

  /**
   * The GET made while the command line was parsed; call after {@link #api()} has returned.
   *
   * @return the read, or null when none was made or it failed
   */
  Read read() {
    return read;
  }

  /**
   * Waits for the preparation (the warm-up may take {@link GateApi#WARM_UP_SECONDS} to connect and
   * as long for each read).
   *
   * @return the prepared client, or null when the configuration is not a simple one
   * @throws IOException as {@link GateApi#connect()} (a configured CA certificate cannot be read)
   * @throws InterruptedException when interrupted while waiting
   */
  GateApi api() throws IOException, InterruptedException {
    try {
      return api.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) cause;
    }
  }
}
