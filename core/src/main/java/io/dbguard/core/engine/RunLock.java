package io.dbguard.core.engine;

import io.dbguard.core.engine.postgres.PgAdvisoryLock;
import io.dbguard.core.engine.postgres.PostgresOptions;
import io.dbguard.core.engine.sqlite.SqliteLockFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The exclusive "one dbguard run per database" lock, held for the whole of a command that changes
 * the database ({@code run}, {@code backup}, {@code migrate}, {@code restore}). It lives in the
 * database system itself, so it holds across machines and against the operator's Jobs (which run
 * the same commands):
 *
 * <ul>
 *   <li>PostgreSQL: a session-level advisory lock ({@code pg_try_advisory_lock(int, int)}, manual
 *       "Advisory Lock Functions") held by a dedicated session, see {@link PgAdvisoryLock};
 *   <li>SQLite: an OS file lock on {@code <database>.dbguard.lock} beside the database, see {@link
 *       SqliteLockFile}.
 * </ul>
 *
 * Both are released by the operating system or the server when the holder dies (also {@code kill
 * -9}), so a crashed run never blocks the next one. Closing releases the lock; closing twice is
 * harmless.
 */
public interface RunLock extends AutoCloseable {
  /** Reason of the {@link DbguardException} thrown when another run holds the lock. */
  String LOCKED = "Locked";

  /** Where the lock lives, for messages, e.g. {@code advisory lock in database "postgres"}. */
  String describe();

  /** Releases the lock. Never throws. */
  @Override
  void close();

  /**
   * Takes the lock for {@code target} without waiting.
   *
   * @param target the database to lock
   * @param postgres PostgreSQL settings (maintenance database, connect timeout); ignored for SQLite
   * @param command what the holder does, e.g. {@code run}; shown to a second run
   * @return the held lock
   * @throws DbguardException reason {@link #LOCKED} naming the holder when another run holds it
   *     (nothing was changed); a connection reason ({@code ConnectionFailed}, {@code
   *     AuthenticationFailed}, …) or {@code ToolError} when the lock cannot be taken at all
   */
  static RunLock acquire(DatabaseTarget target, PostgresOptions postgres, String command) {
    return switch (target.kind()) {
      case POSTGRESQL -> PgAdvisoryLock.acquire(target, postgres, command);
      case SQLITE -> SqliteLockFile.acquire(target.sqliteFile(), command);
    };
  }

  /**
   * Who holds a lock: process id, host name, since when (UTC, whole seconds) and the dbguard
   * command it runs.
   */
  record Holder(long pid, String host, Instant since, String command) {
    /** The current process, now. */
    public static Holder self(String command) {
      // $HOSTNAME first (a Pod's name in Kubernetes), without a possibly slow name lookup
      String host = System.getenv("HOSTNAME");
      if (host == null || host.isBlank()) {
        try {
          host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
          host = "unknown-host";
        }
      }
      long pid = ProcessHandle.current().pid();
      return new Holder(pid, host, Instant.now().truncatedTo(ChronoUnit.SECONDS), command);
    }
  }
}
