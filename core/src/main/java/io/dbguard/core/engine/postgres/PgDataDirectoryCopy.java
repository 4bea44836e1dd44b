package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server on a copy of a data directory (a claim provisioned from a
 * VolumeSnapshot of the database's volume): started so that the copy's content can be profiled and
 * dumped, stopped when closed. Only the copy is written to (crash recovery replays its WAL); the
 * live server and its data directory are never touched.
 *
 * <p>The copy is refused, reason {@code SnapshotUnusable}, when it is not a data directory (no
 * {@code PG_VERSION}), when {@code pg_wal} is a symbolic link (WAL on another volume, not in the
 * snapshot), when {@code pg_tblspc} has entries (tablespaces on other volumes), when it is a
 * standby's ({@code standby.signal}), when its major version differs from the server binaries', or
 * when the server does not start or finish recovery within the timeout (the message carries the end
 * of the server's log).
 *
 * <p>The server is {@code postgres -D <copy>} from the PostgreSQL tool directory (the same lookup
 * as {@code pg_dump}: {@link PgTools}, {@code DBGUARD_PG_BIN_DIR}), with {@code
 * listen_addresses=127.0.0.1} on a free port, its unix socket in a fresh 0700 directory, its own
 * {@code pg_hba.conf} there admitting only password logins ({@code md5}, which also accepts SCRAM
 * verifiers) from 127.0.0.1, and {@code archive_mode=off}, {@code ssl=off}, {@code autovacuum=off},
 * {@code synchronous_standby_names=''}, {@code shared_buffers=64MB}, {@code huge_pages=off}. The
 * copy holds the live cluster's roles and passwords, so the live URL's credentials log in.
 * PostgreSQL refuses to run as root: when this process is root the server runs as the owner of the
 * data directory ({@code setpriv --reuid --regid --clear-groups}, numeric ids, so the owner needs
 * no entry in {@code /etc/passwd}); otherwise this process must be that owner.
 */
public final class PgDataDirectoryCopy implements AutoCloseable {
  private static final int LOG_TAIL = 2000;

  private final Path dataDir;
  private final Path runDir;
  private final Process server;
  private final List<String> asOwner;
  private final Path pgCtl;
  private final DatabaseTarget target;

  private PgDataDirectoryCopy(
      Path dataDir,
      Path runDir,
      Process server,
      List<String> asOwner,
      Path pgCtl,
      DatabaseTarget target) {
    this.dataDir = dataDir;
    this.runDir = runDir;
    this.server = server;
    this.asOwner = asOwner;
    this.pgCtl = pgCtl;
    this.target = target;
  }

  /**
   * Checks the copy, starts the private server on it and waits until it accepts sessions (crash
   * recovery finished).
   *
   * @param dataDir the copy's data directory (it is written to: {@code postmaster.pid} removed, WAL
   *     replayed)
   * @param live the live database's target: the database name, user and password to use on the copy
   * @param tools where {@code postgres} and {@code pg_ctl} are found
   * @param timeout how long start-up and recovery may take
   * @return the running server; close it to stop it
   * @throws DbguardException {@code SnapshotUnusable} (see the class comment), {@code ToolMissing},
   *     {@code AuthenticationFailed} (the live credentials do not log in on the copy)
   */
  public static PgDataDirectoryCopy start(
      Path dataDir, DatabaseTarget live, PgTools tools, Duration timeout) {
    Path dir = dataDir.toAbsolutePath().normalize();
    precheck(dir);
    Path postgres = tools.locate("postgres");
    Path pgCtl = tools.locate("pg_ctl");
    String copyMajor = read(dir.resolve("PG_VERSION")).strip();
    String binVersion = tools.version(postgres);
    if (PgTools.major(copyMajor) != PgTools.major(binVersion)) {
      throw unusable(
          "the copy "
              + dir
              + " is a PostgreSQL "
              + copyMajor
              + " data directory but the server binaries ("
              + postgres
              + ") are "
              + binVersion
              + ": install the server of the copy's major version in the tool image");
    }
    List<String> asOwner = ownerPrefix(dir);
    Path runDir = null;
    try {
      Files.deleteIfExists(dir.resolve("postmaster.pid"));
      runDir =
          Files.createTempDirectory(
              "dbguard-pgcopy-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.writeString(
          runDir.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 md5\n", StandardCharsets.UTF_8);
      Path conf = dir.resolve("postgresql.conf");
      if (!Files.exists(conf)) {
        conf = Files.writeString(runDir.resolve("postgresql.conf"), "");
      }
      if (!asOwner.isEmpty()) {
        chownLike(runDir, dir);
      }
      int port = freePort();
      List<String> cmd = new ArrayList<>(asOwner);
      cmd.addAll(
          List.of(
              postgres.toString(),
              "-D",
              dir.toString(),
              "-c",
              "config_file=" + conf,
              "-c",
              "hba_file=" + runDir.resolve("pg_hba.conf"),
              "-c",
              "listen_addresses=127.0.0.1",
              "-c",
              "port=" + port,
              "-c",
              "unix_socket_directories=" + runDir,
              "-c",
              "archive_mode=off",
              "-c",
              "ssl=off",
              "-c",
              "autovacuum=off",
              "-c",
              "synchronous_standby_names=",
              "-c",
              "shared_buffers=64MB",
              "-c",
              "huge_pages=off",
              "-c",
              "logging_collector=off",
              "-c",
              "log_destination=stderr"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
      pb.redirectOutput(runDir.resolve("server.log").toFile());
      Process server = pb.start();
      server.getOutputStream().close();
      DatabaseTarget copy =
          live.onServer("127.0.0.1", port, java.util.Map.of("sslmode", "disable"));
      PgDataDirectoryCopy c = new PgDataDirectoryCopy(dir, runDir, server, asOwner, pgCtl, copy);
      try {
        c.awaitReady(timeout);
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (IOException e) {
      deleteTree(runDir);
      throw unusable("cannot start a PostgreSQL server on the copy " + dir + ": " + e.getMessage());
    }
  }

  /** The target of the live database's name on the private server (127.0.0.1, its port). */
  public DatabaseTarget target() {
    return target;
  }

  /** The copy's data directory. */
  public Path dataDirectory() {
    return dataDir;
  }

  /**
   * The refusals that need no server, before anything is written to the copy: a process that is not
   * root and not the owner of the copy's directory is refused first (it could not read a 0700 data
   * directory, and its refusal must name the uid, not a missing {@code PG_VERSION}), then {@link
   * #check}.
   *
   * @param dir the copy's data directory, absolute
   * @throws DbguardException {@code SnapshotUnusable}
   */
  static void precheck(Path dir) {
    if (Files.isDirectory(dir) && uid(Path.of("/proc/self")) != 0) {
      ownerPrefix(dir);
    }
    check(dir);
  }

  /** Refusals that need no server and no particular uid: see the class comment. */
  static void check(Path dir) {
    if (!Files.isRegularFile(dir.resolve("PG_VERSION"))) {
      throw unusable(
          dir
              + " is not a PostgreSQL data directory (no PG_VERSION): database.volume.path must"
              + " name the data directory on the claim");
    }
    if (Files.isSymbolicLink(dir.resolve("pg_wal"))) {
      throw unusable(
          "pg_wal in the copy "
              + dir
              + " is a symbolic link: the WAL is on another volume, which the snapshot does not"
              + " hold, so the copy cannot be recovered; keep the WAL in the data directory on"
              + " database.volume.claimName or use backup.method Dump");
    }
    Path tblspc = dir.resolve("pg_tblspc");
    if (Files.isDirectory(tblspc)) {
      try (Stream<Path> s = Files.list(tblspc)) {
        List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
        if (!names.isEmpty()) {
          throw unusable(
              "the copy "
                  + dir
                  + " has tablespaces in pg_tblspc ("
                  + String.join(", ", names)
                  + "): they live on other volumes, which the snapshot does not hold; use"
                  + " backup.method Dump");
        }
      } catch (IOException e) {
        throw unusable("cannot list " + tblspc + ": " + e.getMessage());
      }
    }
    if (Files.exists(dir.resolve("standby.signal"))) {
      throw unusable(
          "the copy "
              + dir
              + " is a standby's data directory (standby.signal): snapshot the primary's claim");
    }
  }

  /** {@code setpriv} as the data directory's owner when this process is root, else nothing. */
  private static List<String> ownerPrefix(Path dir) {
    int me = uid(Path.of("/proc/self"));
    int owner = uid(dir);
    if (me == 0) {
      if (owner == 0) {
        throw unusable(
            "the copy "
                + dir
                + " is owned by root; PostgreSQL does not run as root (the data directory must"
                + " belong to the database's own user)");
      }
      int gid = attr(dir, "unix:gid");
      return List.of("setpriv", "--reuid=" + owner, "--regid=" + gid, "--clear-groups", "--");
    }
    if (me != owner) {
      throw unusable(
          "the copy "
              + dir
              + " is owned by uid "
              + owner
              + " but this process runs as uid "
              + me
              + ": PostgreSQL runs only as its data directory's owner; run the Job as uid "
              + owner
              + " (or as root, which runs the server as the owner)");
    }
    return List.of();
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    DbguardException last = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw unusable(
            "the PostgreSQL server on the copy "
                + dataDir
                + " stopped (exit "
                + server.exitValue()
                + ") before accepting sessions: "
                + logTail());
      }
      try (Connection c = PgConnections.open(target, 5, "dbguard-copy")) {
        return;
      } catch (DbguardException e) {
        if ("AuthenticationFailed".equals(e.reason()) || "DatabaseMissing".equals(e.reason())) {
          throw e;
        }
        last = e;
      } catch (SQLException e) {
        return;
      }
      sleep(250);
    }
    throw unusable(
        "the PostgreSQL server on the copy "
            + dataDir
            + " did not accept sessions within "
            + timeout.toSeconds()
            + " s"
            + (last == null ? "" : " (" + last.getMessage() + ")")
            + ": "
            + logTail());
  }

  /** The end of the private server's log (no secrets: it logs no passwords). */
  String logTail() {
    try {
      String log = Files.readString(runDir.resolve("server.log"), StandardCharsets.UTF_8).strip();
      return log.length() <= LOG_TAIL ? log : "…" + log.substring(log.length() - LOG_TAIL);
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the server ({@code pg_ctl stop -m fast}, as the owner; killed when it has not stopped
   * after 60 s) and removes the run directory. Never throws.
   */
  @Override
  public void close() {
    try {
      if (server.isAlive()) {
        List<String> cmd = new ArrayList<>(asOwner);
        cmd.addAll(
            List.of(
                pgCtl.toString(),
                "stop",
                "-D",
                dataDir.toString(),
                "-m",
                "fast",
                "-w",
                "-t",
                "60"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process stop = pb.start();
        stop.waitFor(70, TimeUnit.SECONDS);
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
          server.waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      server.destroyForcibly();
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      deleteTree(runDir);
    }
  }

  private static DbguardException unusable(String message) {
    return new DbguardException("SnapshotUnusable", message);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw unusable("cannot read " + p + ": " + e.getMessage());
    }
  }

  private static int uid(Path p) {
    return attr(p, "unix:uid");
  }

  private static int attr(Path p, String name) {
    try {
      return (Integer) Files.getAttribute(p, name);
    } catch (IOException | UnsupportedOperationException e) {
      throw unusable("cannot read the owner of " + p + ": " + e.getMessage());
    }
  }

  private static void chownLike(Path p, Path like) throws IOException {
    Files.setAttribute(p, "unix:uid", attr(like, "unix:uid"));
    Files.setAttribute(p, "unix:gid", attr(like, "unix:gid"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DbguardException("SnapshotUnusable", "interrupted while the copy's server started");
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
