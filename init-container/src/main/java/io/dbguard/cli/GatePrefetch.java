package io.dbguard.cli;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The rollout gate's connection work, started on a second thread before the command line is parsed
 * (the JVM's own start-up is mostly one thread, and the gate runs at every pod start): reading the
 * client configuration, building the TLS context, and opening the TLS connection to the API server
 * ({@link GateApi#openConnection()}). Parsing the command line (picocli, whose classes the AppCDS
 * archive cannot hold) runs meanwhile on the main thread; the gate then takes the prepared {@link
 * GateApi} with {@link #api()} and sends its GET over the open connection.
 *
 * <p>Only configurations that {@link GateConfig#simple()} reads are prepared early; for anything
 * else (exec credential plugins, client certificates …) {@link #api()} returns null and the gate
 * reads the configuration through the Kubernetes client library after parsing, as before. Nothing
 * here decides anything: the gate's verdict still comes only from its own GET or watch.
 */
final class GatePrefetch {
  private final CompletableFuture<GateApi> api = new CompletableFuture<>();

  private GatePrefetch() {}

  /** Starts the preparation on a daemon thread and returns at once. */
  static GatePrefetch start() {
    GatePrefetch p = new GatePrefetch();
    Thread t = new Thread(p::prepare, "dbguard-gate-connect");
    t.setDaemon(true);
    t.start();
    return p;
  }

  private void prepare() {
    try {
      GateConfig simple = GateConfig.simple();
      if (simple == null) {
        api.complete(null);
        return;
      }
      GateApi ready = GateApi.connect(simple);
      ready.openConnection();
      api.complete(ready);
    } catch (IOException | RuntimeException | Error e) {
      api.completeExceptionally(e);
    }
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
