package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A running PostgreSQL client tool with its stderr collected in the background (first 16 KiB).
 * Credentials reach the child only through libpq environment variables ({@code PGPASSWORD} …),
 * never through its arguments; inherited {@code PG*} variables are removed first so a stray {@code
 * PGSERVICE} or {@code PGOPTIONS} cannot redirect the tool.
 */
final class ToolProcess implements AutoCloseable {
  private static final int STDERR_LIMIT = 16 * 1024;

  private final String name;
  private final Process process;
  private final Thread stderrPump;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final String secret;

  private ToolProcess(String name, Process process, String secret) {
    this.name = name;
    this.process = process;
    this.secret = secret;
    this.stderrPump =
        new Thread(
            () -> {
              byte[] b = new byte[4096];
              try (InputStream in = process.getErrorStream()) {
                int n;
                while ((n = in.read(b)) >= 0) {
                  synchronized (stderr) {
                    if (stderr.size() < STDERR_LIMIT) {
                      stderr.write(b, 0, Math.min(n, STDERR_LIMIT - stderr.size()));
                    }
                  }
                }
              } catch (IOException ignored) {
                // the process went away; what we have is what we report
              }
            },
            name + "-stderr");
    stderrPump.setDaemon(true);
    stderrPump.start();
  }

  /**
   * Starts a tool.
   *
   * @param target the database whose libpq environment the tool gets, or {@code null} for none
   * @param connectTimeoutSeconds {@code PGCONNECT_TIMEOUT}
   * @param stdoutToDevNull discard stdout instead of exposing it as a pipe
   * @throws DbguardException reason {@code ToolMissing} when the executable cannot be started
   */
  static ToolProcess start(
      String name,
      List<String> command,
      DatabaseTarget target,
      int connectTimeoutSeconds,
      boolean stdoutToDevNull) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("PG"));
    String secret = null;
    if (target != null) {
      env.putAll(target.libpqEnvironment());
      secret = target.password();
    }
    env.put("PGCONNECT_TIMEOUT", Integer.toString(connectTimeoutSeconds));
    env.put("PGAPPNAME", "dbguard-" + name);
    if (stdoutToDevNull) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return new ToolProcess(name, pb.start(), secret);
    } catch (IOException e) {
      throw new DbguardException(
          "ToolMissing", "cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  Process process() {
    return process;
  }

  InputStream stdout() {
    return process.getInputStream();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Waits for the exit and for stderr to be drained; returns the exit code. */
  int waitFor() {
    try {
      int rc = process.waitFor();
      stderrPump.join(10_000);
      return rc;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new DbguardException("Interrupted", name + " was interrupted");
    }
  }

  /** Collected stderr, trimmed, with any password and URL credentials removed. */
  String stderr() {
    String s;
    synchronized (stderr) {
      s = stderr.toString(StandardCharsets.UTF_8);
    }
    return DatabaseTarget.redact(io.dbguard.core.engine.Secrets.scrub(s, secret)).strip();
  }

  /** Kills the process if still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
