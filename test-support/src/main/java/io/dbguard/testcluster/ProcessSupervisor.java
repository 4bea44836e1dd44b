package io.dbguard.testcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every long-lived child of the test rig (etcd, kube-apiserver, kube-controller-manager, the
 * containers of the local node) so that none outlives the test JVM.
 *
 * <p>Each command runs under {@code watchdog.sh <jvm-pid> <command…>}: the command gets its own
 * session and process group ({@code setsid}); a SIGTERM to the wrapper is forwarded to the whole
 * group; and a once-a-second check kills the group with SIGKILL as soon as the JVM or the wrapper
 * is gone (also after {@code kill -9} of the JVM, when no shutdown hook runs). On a normal exit
 * {@link #killAll()} (also run by a shutdown hook of {@link TestCluster}) kills every supervised
 * process tree. Run directories of dead JVMs ({@code dbguard-testcluster-<pid>-*} in {@code
 * java.io.tmpdir}) are deleted by {@link #reapStaleRunDirs(Path)}.
 *
 * <p>Requires a POSIX {@code /bin/sh} and util-linux {@code setsid} (Linux).
 */
public final class ProcessSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessSupervisor.class);
  private static final String RUN_DIR_PREFIX = "dbguard-testcluster-";

  private final Path runDir;
  private final Path watchdog;

  /**
   * Creates a supervisor whose helper script lives in {@code runDir}.
   *
   * @param runDir an existing directory owned by this JVM
   * @throws UncheckedIOException when the helper script cannot be written
   */
  public ProcessSupervisor(Path runDir) {
    this.runDir = runDir;
    this.watchdog = runDir.resolve("watchdog.sh");
    try (InputStream in = ProcessSupervisor.class.getResourceAsStream("watchdog.sh")) {
      if (in == null) {
        throw new IllegalStateException("watchdog.sh missing from dbguard-test-support");
      }
      Files.write(watchdog, in.readAllBytes());
      Files.setPosixFilePermissions(watchdog, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory this run's files live in. */
  public Path runDir() {
    return runDir;
  }

  /** The path of the helper script ({@code watchdog.sh <owner-pid> <command…>}). */
  public Path watchdogScript() {
    return watchdog;
  }

  /**
   * Creates {@code java.io.tmpdir/dbguard-testcluster-<pid>-<random>} for this JVM after deleting
   * the run directories of JVMs that no longer run.
   *
   * @return the new, empty directory
   * @throws UncheckedIOException on I/O errors
   */
  public static Path newRunDir() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    reapStaleRunDirs(tmp);
    try {
      return Files.createTempDirectory(tmp, RUN_DIR_PREFIX + ProcessHandle.current().pid() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes {@code dbguard-testcluster-<pid>-*} directories in {@code tmp} whose {@code pid} is not
   * a running process. Errors are logged, never thrown.
   */
  public static void reapStaleRunDirs(Path tmp) {
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(RUN_DIR_PREFIX)) {
          continue;
        }
        String rest = name.substring(RUN_DIR_PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
          continue;
        }
        try {
          long pid = Long.parseLong(rest.substring(0, dash));
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            continue;
          }
          LOG.info("deleting run directory {} of a test JVM that is gone", dir);
          deleteTree(dir);
        } catch (NumberFormatException ignored) {
          // not ours
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot scan {} for stale run directories: {}", tmp, e.toString());
    }
  }

  /**
   * Starts {@code command} under the watchdog.
   *
   * @param command the program and its arguments; the program is looked up on {@code PATH} of
   *     {@code env} by {@code setsid}
   * @param env the complete environment of the process (nothing is inherited when non-null; when
   *     null the JVM's environment is inherited)
   * @param workDir working directory, must exist
   * @param log file that receives stdout and stderr (appended)
   * @return the wrapper process: its exit value is the command's ({@code 128+n} after signal n);
   *     {@link Process#destroy()} sends SIGTERM to the command's whole process group
   * @throws UncheckedIOException when the process cannot be started
   */
  public Process start(List<String> command, Map<String, String> env, Path workDir, Path log) {
    List<String> argv = new ArrayList<>();
    argv.add("/bin/sh");
    argv.add(watchdog.toString());
    argv.add(Long.toString(ProcessHandle.current().pid()));
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile());
    if (env != null) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /**
   * Writes an executable shell script {@code target} that runs {@code realBinary} with the script's
   * arguments under the watchdog (used for the binaries kube-api-test starts itself).
   */
  public void writeSupervisedLauncher(Path target, Path realBinary) {
    // etcd: its -data-dir/-wal-dir (temporary directories of kube-api-test) are removed by the
    // watchdog once etcd is gone, also when the JVM was killed.
    String cleanup =
        "cleanup=''\n"
            + "prev=''\n"
            + "for a in \"$@\"; do\n"
            + "  case \"$prev\" in\n"
            + "    -data-dir|--data-dir|-wal-dir|--wal-dir)\n"
            + "      case \"$a\" in */etcd*) cleanup=\"$cleanup $a\";; esac;;\n"
            + "  esac\n"
            + "  prev=\"$a\"\n"
            + "done\n"
            + "DBGUARD_WATCHDOG_CLEANUP=\"$cleanup\"\n"
            + "export DBGUARD_WATCHDOG_CLEANUP\n";
    String script =
        "#!/bin/sh\n"
            + cleanup
            + "exec /bin/sh '"
            + watchdog
            + "' "
            + ProcessHandle.current().pid()
            + " '"
            + realBinary.toAbsolutePath()
            + "' \"$@\"\n";
    try {
      Files.writeString(target, script);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kills a supervised process and everything it started with SIGKILL and waits up to {@code
   * timeout} for them to exit.
   */
  public static void killTree(ProcessHandle root, Duration timeout) {
    List<ProcessHandle> all = new ArrayList<>();
    root.descendants().forEach(all::add);
    all.add(root);
    all.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle p : all) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /**
   * Kills, with SIGKILL, every process this supervisor's watchdog runs (found among the JVM's
   * descendants by the watchdog path in their command line) together with their descendants, and
   * waits up to 5 s for them to exit. Processes the JVM started otherwise are left alone. Safe to
   * call more than once and from a shutdown hook.
   */
  public void killAll() {
    String marker = watchdog.toString();
    List<ProcessHandle> all = new ArrayList<>();
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .forEach(
            p -> {
              p.descendants().forEach(all::add);
              all.add(p);
            });
    all.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (ProcessHandle p : all) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /** Deletes a directory tree; missing paths are fine. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort
                }
              });
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
