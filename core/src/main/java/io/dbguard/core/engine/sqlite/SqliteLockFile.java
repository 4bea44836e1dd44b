package io.dbguard.core.engine.sqlite;

import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.RunLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQLite {@link RunLock}: an exclusive OS file lock ({@link FileChannel#tryLock()}, on Linux an
 * {@code fcntl} record lock) on {@code <database file>.dbguard.lock} beside the database, which
 * holds the holder's {@code pid}, {@code host}, {@code since} (UTC) and {@code command} as {@code
 * key=value} lines (mode 0600). The kernel releases the lock when the holder's process ends in any
 * way (also {@code kill -9}); the file itself stays (removing it would let two processes lock two
 * different files of the same name) and only describes the last holder.
 *
 * <p>POSIX record locks belong to the process, and closing any descriptor of the file drops them
 * all; so a second lock of the same file inside this JVM is refused from an in-process table
 * without opening the file. The lock works on local file systems and on network file systems whose
 * locking is reliable (NFSv4); it is not a lock against applications that write the database — stop
 * those first, as for any restore.
 */
public final class SqliteLockFile implements RunLock {
  private static final Map<Path, RunLock.Holder> HELD_HERE = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private volatile boolean closed;

  private SqliteLockFile(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of a database file: {@code app.db} → {@code app.db.dbguard.lock}. */
  public static Path lockFileOf(Path database) {
    Path abs = database.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + ".dbguard.lock");
  }

  /**
   * Takes the lock of {@code database} without waiting, see {@link RunLock#acquire}.
   *
   * @throws DbguardException reason {@code Locked} naming the holder's pid, host, start time and
   *     command; {@code ToolError} when the lock file cannot be created or locked (directory
   *     missing or read-only)
   */
  public static SqliteLockFile acquire(Path database, String command) {
    Path file = lockFileOf(database);
    RunLock.Holder self = RunLock.Holder.self(command);
    RunLock.Holder here = HELD_HERE.putIfAbsent(file, self);
    if (here != null) {
      throw locked(database, file, describe(here) + " (this process)");
    }
    FileChannel ch = null;
    try {
      ch = open(file);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        ch = null;
        HELD_HERE.remove(file, self);
        throw locked(database, file, readHolder(file));
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(format(self).getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      return new SqliteLockFile(file, ch, l);
    } catch (IOException | OverlappingFileLockException e) {
      HELD_HERE.remove(file, self);
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // reported below
        }
      }
      throw new DbguardException(
          "ToolError", "cannot take the run lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process created it first: lock that one
      }
    }
    return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static String format(RunLock.Holder h) {
    return "pid="
        + h.pid()
        + "\nhost="
        + h.host()
        + "\nsince="
        + h.since()
        + "\ncommand="
        + h.command()
        + "\n";
  }

  private static String describe(RunLock.Holder h) {
    return "held by dbguard "
        + h.command()
        + ", pid "
        + h.pid()
        + " on "
        + h.host()
        + " since "
        + h.since();
  }

  /** Reads the holder from the file; safe because this process holds no lock on it. */
  private static String readHolder(Path file) {
    try {
      Map<String, String> kv = new java.util.HashMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      if (!kv.containsKey("pid")) {
        return "held by a process that has not written its details yet";
      }
      return "held by dbguard "
          + kv.getOrDefault("command", "?")
          + ", pid "
          + kv.get("pid")
          + " on "
          + kv.getOrDefault("host", "?")
          + " since "
          + kv.getOrDefault("since", "?");
    } catch (IOException e) {
      return "holder unknown: " + e.getMessage();
    }
  }

  private static DbguardException locked(Path database, Path file, String holder) {
    return new DbguardException(
        LOCKED,
        "database "
            + database.toAbsolutePath().normalize()
            + " is locked by another dbguard run ("
            + holder
            + "; lock file "
            + file
            + "). Nothing was changed. Wait for that run to finish; if its process is gone, the"
            + " operating system has already released the lock and the next attempt proceeds.");
  }

  @Override
  public String describe() {
    return "lock file " + file;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException ignored) {
      // closing the channel below releases it as well
    } finally {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock is gone with the descriptor
      }
      HELD_HERE.remove(file);
    }
  }
}
