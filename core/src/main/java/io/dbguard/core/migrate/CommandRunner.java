package io.dbguard.core.migrate;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the application's own migration or seed command ({@code bundle exec rake db:migrate}, {@code
 * python manage.py migrate}, {@code npx prisma migrate deploy} …) as a child process.
 *
 * <ul>
 *   <li>The command is a shell command line run by {@code /bin/sh -c}, as in a Dockerfile's shell
 *       form; exit status 126/127 from the shell ("not executable" / "not found") becomes reason
 *       {@code CommandNotFound} (POSIX sh, "Command Search and Execution").
 *   <li>The database reaches the child only through its environment: {@code DATABASE_URL} (the full
 *       URL, with password), the libpq variables {@code PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
 *       [PGSSLMODE]} for PostgreSQL and {@code DATABASE_PATH} for SQLite. Never on the command
 *       line.
 *   <li>stdout and stderr are merged and streamed line by line to the listener, with the password
 *       replaced by {@code ***}.
 *   <li>On timeout or {@link #abort()} the whole process tree is stopped: SIGTERM to every
 *       descendant and the shell, then SIGKILL after a grace period.
 * </ul>
 */
public final class CommandRunner implements MigrationRunner {
  /** Lines of output kept for error messages. */
  static final int TAIL_LINES = 20;

  private final String command;
  private final Path workingDirectory;
  private final Map<String, String> extraEnvironment;
  private final Duration timeout;
  private final Duration killGrace;
  private volatile Process process;
  private volatile boolean aborted;

  /**
   * @param command shell command line, e.g. {@code bundle exec rake db:migrate}
   * @param workingDirectory directory to run in, or null for the current one
   * @param extraEnvironment extra variables for the child (no secrets expected here)
   * @param timeout wall-clock limit; null or zero means no limit
   */
  public CommandRunner(
      String command,
      Path workingDirectory,
      Map<String, String> extraEnvironment,
      Duration timeout) {
    this(command, workingDirectory, extraEnvironment, timeout, Duration.ofSeconds(10));
  }

  CommandRunner(
      String command,
      Path workingDirectory,
      Map<String, String> extraEnvironment,
      Duration timeout,
      Duration killGrace) {
    if (command == null || command.isBlank()) {
      throw new DbguardException("InvalidCommand", "no command given");
    }
    this.command = command;
    this.workingDirectory = workingDirectory;
    this.extraEnvironment = extraEnvironment == null ? Map.of() : Map.copyOf(extraEnvironment);
    this.timeout = timeout;
    this.killGrace = killGrace;
  }

  @Override
  public String describe() {
    return command;
  }

  /** The environment the child gets on top of dbguard's own: DATABASE_URL and friends. */
  public static Map<String, String> databaseEnvironment(DatabaseTarget target) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_URL", target.secretUrl());
    env.putAll(target.libpqEnvironment());
    if (target.kind() == EngineKind.SQLITE) {
      env.put("DATABASE_PATH", target.sqliteFile().toString());
    }
    return env;
  }

  @Override
  public String run(DatabaseTarget target, Consumer<String> output) {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    pb.environment().putAll(extraEnvironment);
    pb.environment().putAll(databaseEnvironment(target));
    String secret = target.password();
    Deque<String> tail = new ArrayDeque<>();
    long t0 = System.nanoTime();
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new DbguardException(
          "CommandNotFound", "cannot start /bin/sh for `" + command + "`: " + e.getMessage(), e);
    }
    if (aborted) {
      stopTree(process);
    }
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  String safe = redact(line, secret);
                  synchronized (tail) {
                    tail.addLast(safe);
                    if (tail.size() > TAIL_LINES) {
                      tail.removeFirst();
                    }
                  }
                  output.accept(safe);
                }
              } catch (IOException ignored) {
                // the stream closes when the process tree is killed
              }
            },
            "dbguard-command-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      if (timeout == null || timeout.isZero()) {
        process.waitFor();
        finished = true;
      } else {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopTree(process);
      throw new DbguardException("Terminated", "interrupted while running `" + command + "`", e);
    }
    if (!finished) {
      stopTree(process);
      joinQuietly(reader);
      throw new DbguardException(
          "MigrationTimeout",
          "`"
              + command
              + "` did not finish within "
              + timeout.toSeconds()
              + " s and was stopped (its whole process tree was killed)"
              + lastLines(tail));
    }
    joinQuietly(reader);
    int exit = process.exitValue();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    if (aborted) {
      throw new DbguardException(
          "Terminated", "`" + command + "` was stopped by a termination signal" + lastLines(tail));
    }
    if (exit == 0) {
      return "`" + command + "` exited 0 after " + seconds + " s";
    }
    String text;
    synchronized (tail) {
      text = String.join("\n", tail);
    }
    if (exit == 127 || exit == 126) {
      throw new DbguardException(
          "CommandNotFound",
          "`"
              + command
              + "` could not be run (exit "
              + exit
              + ": command not found or not executable; check the image and PATH)"
              + lastLines(tail));
    }
    SchemaConflicts.Kind kind = SchemaConflicts.classify(null, text);
    if (kind == SchemaConflicts.Kind.DATA_ERROR) {
      throw new DbguardException(
          "MigrationFailed",
          "`"
              + command
              + "` exited with status "
              + exit
              + ": "
              + SchemaConflicts.dataErrorAdvice(null)
              + lastLines(tail));
    }
    if (kind == SchemaConflicts.Kind.SCHEMA_CONFLICT) {
      throw new DbguardException(
          "SchemaConflict",
          "`"
              + command
              + "` failed because an object it creates already exists: "
              + SchemaConflicts.baselineAdvice(command)
              + lastLines(tail));
    }
    throw new DbguardException(
        "MigrationFailed", "`" + command + "` exited with status " + exit + lastLines(tail));
  }

  @Override
  public void abort() {
    aborted = true;
    Process p = process;
    if (p != null) {
      stopTree(p);
    }
  }

  /**
   * SIGTERM to the process and all its descendants (collected before anything dies, since orphans
   * are re-parented), then SIGKILL to whatever is left after the grace period.
   */
  void stopTree(Process p) {
    List<ProcessHandle> all = new ArrayList<>();
    p.descendants().forEach(all::add);
    all.add(p.toHandle());
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + killGrace.toNanos();
    for (ProcessHandle h : all) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          h.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      } catch (Exception ignored) {
        // still alive after the grace period: killed below
      }
    }
    // descendants started during the grace period too
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    all.forEach(ProcessHandle::destroyForcibly);
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String lastLines(Deque<String> tail) {
    synchronized (tail) {
      if (tail.isEmpty()) {
        return "";
      }
      List<String> l = new ArrayList<>(tail);
      return "; last output: " + String.join(" | ", l.subList(Math.max(0, l.size() - 5), l.size()));
    }
  }

  static String redact(String line, String secret) {
    return DatabaseTarget.redact(io.dbguard.core.engine.Secrets.scrub(line, secret));
  }
}
