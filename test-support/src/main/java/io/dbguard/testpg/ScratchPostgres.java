package io.dbguard.testpg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A second, throwaway PostgreSQL cluster for tests that need its data directory (snapshot copies):
 * {@code initdb} into a given directory as the OS user {@code postgres} (through {@code runuser}
 * when this process is root, else {@code sudo -n -u postgres}), started with {@code pg_ctl} on a
 * free loopback port with password (SCRAM) authentication for the superuser {@code dbguard}.
 * Binaries from {@code DBGUARD_PG_BIN_DIR} ({@code scripts/pg-test-server.sh} prints it). Stop it
 * with {@link #close()}.
 */
public final class ScratchPostgres implements AutoCloseable {
  private static final String OS_USER = "postgres";

  private final Path bin;
  private final Path dataDir;
  private final Path runDir;
  private final int port;
  private final String password;

  private ScratchPostgres(Path bin, Path dataDir, Path runDir, int port, String password) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.runDir = runDir;
    this.port = port;
    this.password = password;
  }

  /**
   * Creates the cluster in {@code dataDir} (absent or empty; its owner becomes {@code
   * postgres:postgres}, and its ancestors get o+x so that user can reach it) and starts it.
   *
   * @throws IllegalStateException when {@code DBGUARD_PG_BIN_DIR} is unset or a command fails
   */
  public static ScratchPostgres start(Path dataDir) throws IOException {
    String b = System.getenv("DBGUARD_PG_BIN_DIR");
    if (b == null || b.isBlank()) {
      throw new IllegalStateException(
          "DBGUARD_PG_BIN_DIR is not set: source the output of scripts/pg-test-server.sh start");
    }
    Path bin = Path.of(b);
    Path data = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(data);
    Path run = Files.createTempDirectory("dbguard-scratch-pg-");
    reachable(data);
    reachable(run);
    String password = "scratch-" + UUID.randomUUID().toString().substring(0, 8);
    Path pwfile = run.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    run(List.of("chown", "-R", OS_USER + ":" + OS_USER, data.toString(), run.toString()), false);
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "dbguard",
            "--pwfile=" + pwfile,
            "--auth-local=scram-sha-256",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8"),
        true);
    Files.deleteIfExists(pwfile);
    int port = freePort();
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            run.resolve("server.log").toString(),
            "-w",
            "-o",
            "-c listen_addresses=127.0.0.1 -p "
                + port
                + " -k "
                + run
                + " -c fsync=off -c autovacuum=off",
            "start"),
        true);
    return new ScratchPostgres(bin, data, run, port, password);
  }

  /** {@code postgresql://dbguard:…@127.0.0.1:<port>/<db>}: contains the password. */
  public String url(String database) {
    return "postgresql://dbguard:" + password + "@127.0.0.1:" + port + "/" + database;
  }

  /** The uid of the OS user {@code postgres}, which owns the data directory. */
  public static long osUserId() {
    return Long.parseLong(run(List.of("id", "-u", OS_USER), false).strip());
  }

  /** The server's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The data directory. */
  public Path dataDirectory() {
    return dataDir;
  }

  /**
   * Runs SQL with {@code psql} as the superuser (autocommit, stops at the first error) and returns
   * its unaligned, tuples-only output.
   */
  public String sql(String database, String sql) {
    return run(
            List.of(
                bin.resolve("psql").toString(),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                "dbguard",
                "-d",
                database,
                "-c",
                sql),
            false,
            Map.of("PGPASSWORD", password))
        .strip();
  }

  /**
   * A copy of the data directory taken while the server runs, after a {@code CHECKPOINT} (what a
   * volume snapshot of an idle server holds): {@code cp -a}, owner and modes kept.
   */
  public Path copyDataDirectory(Path to) {
    sql("postgres", "CHECKPOINT");
    run(List.of("cp", "-a", dataDir.toString(), to.toString()), false);
    return to;
  }

  /** Stops the server ({@code pg_ctl stop -m fast}) and removes its run directory. */
  @Override
  public void close() {
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dataDir.toString(),
              "-m",
              "fast",
              "-w",
              "stop"),
          true);
    } finally {
      run(List.of("rm", "-rf", runDir.toString()), false);
    }
  }

  private static void reachable(Path p) throws IOException {
    for (Path a = p.getParent(); a != null && a.getParent() != null; a = a.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(a);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(a, perms);
      }
    }
  }

  private static String run(List<String> cmd, boolean asPostgres) {
    return run(cmd, asPostgres, Map.of());
  }

  private static String run(List<String> cmd, boolean asPostgres, Map<String, String> env) {
    List<String> full = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (asPostgres) {
      full.addAll(
          root ? List.of("runuser", "-u", OS_USER, "--") : List.of("sudo", "-n", "-u", OS_USER));
    }
    full.addAll(cmd);
    try {
      ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
