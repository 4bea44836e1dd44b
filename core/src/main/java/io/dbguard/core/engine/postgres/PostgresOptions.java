package io.dbguard.core.engine.postgres;

import java.nio.file.Path;

/**
 * Tuning and policy for {@link PostgresEngine}. Immutable; start from {@link #defaults()} and
 * change single fields with the {@code with…} methods.
 *
 * @param toolDirectory directory holding {@code pg_dump}, {@code pg_restore} and {@code psql}; when
 *     {@code null}, {@code $DBGUARD_PG_BIN_DIR} is used, else the {@code PATH}
 * @param compressionLevel gzip level passed to {@code pg_dump -Z} (0 = none … 9 = smallest).
 *     Default 1: on a 1 GB pgbench database it is ~3× faster than pg_dump's default (level 6 for
 *     custom format) for a file ~7% larger, see {@code docs/benchmarks-postgres.md}
 * @param lockWaitTimeoutSeconds how long the backup waits for a table's {@code ACCESS SHARE} lock
 *     before failing with reason {@code LockTimeout} ({@code pg_dump --lock-wait-timeout} and
 *     {@code lock_timeout} of dbguard's own session); seconds, must be &gt; 0. A non-zero {@code
 *     BackupRequest.lockWaitTimeoutSeconds} overrides it
 * @param restoreStrategy how a restore replaces the live database, see {@link RestoreStrategy}
 * @param verifyMode whether the backup's full read happens while the dump is written ({@link
 *     VerifyMode#STREAMING}) or as a second pass over the finished file ({@link VerifyMode#REREAD})
 * @param connectTimeoutSeconds connect timeout for dbguard's JDBC sessions and the tools ({@code
 *     PGCONNECT_TIMEOUT}); seconds, must be &gt; 0
 * @param maintenanceDatabase database used for server-level work during a swap restore ({@code
 *     CREATE/ALTER DATABASE}); default {@code postgres}
 * @param restoreJobs parallel jobs of the swap restore: {@code pg_restore --jobs} into the aside
 *     database and the sessions that profile it, one table per session at a time; {@code 0} (the
 *     default) = auto, the available processors capped at {@value #MAX_AUTO_RESTORE_JOBS}, see
 *     {@link #resolvedRestoreJobs()}; must be &gt;= 0. The in-place restore is one transaction and
 *     ignores it
 */
public record PostgresOptions(
    Path toolDirectory,
    int compressionLevel,
    int lockWaitTimeoutSeconds,
    RestoreStrategy restoreStrategy,
    VerifyMode verifyMode,
    int connectTimeoutSeconds,
    String maintenanceDatabase,
    int restoreJobs) {

  /** Largest number of parallel jobs {@link #resolvedRestoreJobs()} picks on its own (auto). */
  public static final int MAX_AUTO_RESTORE_JOBS = 8;

  /** How {@link PostgresEngine#restore} replaces the live database. */
  public enum RestoreStrategy {
    /**
     * {@link #SWAP} when the role may create and rename databases, else {@link #CLEAN_IN_PLACE}.
     */
    AUTO("Auto"),
    /**
     * Restore aside into {@code <db>_restore_<ts>}, verify it, then rename the live database to
     * {@code <db>_failed_<ts>} (kept) and the restored one to {@code <db>} in one transaction.
     * Needs {@code CREATEDB} and ownership of the live database (or superuser).
     */
    SWAP("Swap"),
    /**
     * In one transaction ({@code psql --single-transaction}): drop every non-system schema
     * (recreating {@code public} empty with its old owner, privileges and comment), then replay the
     * archive. Needs ownership of the schemas; keeps no failed copy.
     */
    CLEAN_IN_PLACE("CleanInPlace");

    private final String displayName;

    RestoreStrategy(String displayName) {
      this.displayName = displayName;
    }

    /**
     * The PascalCase name used in the CRD and CLI: {@code Auto}, {@code Swap}, {@code
     * CleanInPlace}.
     */
    public String displayName() {
      return displayName;
    }

    /**
     * Parses {@code Auto|Swap|CleanInPlace} (or the enum name), case-insensitively.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static RestoreStrategy parse(String value) {
      for (RestoreStrategy s : values()) {
        if (s.displayName.equalsIgnoreCase(value) || s.name().equalsIgnoreCase(value)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown restore strategy '" + value + "' (expected Auto, Swap or CleanInPlace)");
    }
  }

  /** When the backup's archive is read back in full. */
  public enum VerifyMode {
    /**
     * The bytes pg_dump writes are hashed, written to the file and fed to {@code pg_restore -f
     * /dev/null} at the same time: one pass, no extra disk read.
     */
    STREAMING,
    /** After the file is complete and synced, read it again (hash + {@code pg_restore}). */
    REREAD
  }

  public PostgresOptions {
    if (compressionLevel < 0 || compressionLevel > 9) {
      throw new IllegalArgumentException("compressionLevel must be 0..9, got " + compressionLevel);
    }
    if (lockWaitTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("lockWaitTimeoutSeconds must be > 0");
    }
    if (connectTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("connectTimeoutSeconds must be > 0");
    }
    if (restoreStrategy == null) {
      restoreStrategy = RestoreStrategy.AUTO;
    }
    if (verifyMode == null) {
      verifyMode = VerifyMode.STREAMING;
    }
    if (maintenanceDatabase == null || maintenanceDatabase.isBlank()) {
      maintenanceDatabase = "postgres";
    }
    if (restoreJobs < 0) {
      throw new IllegalArgumentException("restoreJobs must be >= 0 (0 = auto), got " + restoreJobs);
    }
  }

  /** The options without a restore-jobs setting (auto), as before that setting existed. */
  public PostgresOptions(
      Path toolDirectory,
      int compressionLevel,
      int lockWaitTimeoutSeconds,
      RestoreStrategy restoreStrategy,
      VerifyMode verifyMode,
      int connectTimeoutSeconds,
      String maintenanceDatabase) {
    this(
        toolDirectory,
        compressionLevel,
        lockWaitTimeoutSeconds,
        restoreStrategy,
        verifyMode,
        connectTimeoutSeconds,
        maintenanceDatabase,
        0);
  }

  /**
   * The number of parallel restore jobs to use: {@link #restoreJobs()} when set, else {@code
   * Runtime.availableProcessors()} (the container's CPU limit on a JVM that honours it) capped at
   * {@value #MAX_AUTO_RESTORE_JOBS}; always &gt;= 1.
   */
  public int resolvedRestoreJobs() {
    if (restoreJobs > 0) {
      return restoreJobs;
    }
    return Math.max(1, Math.min(MAX_AUTO_RESTORE_JOBS, Runtime.getRuntime().availableProcessors()));
  }

  /** A copy with another number of parallel restore jobs ({@code 0} = auto). */
  public PostgresOptions withRestoreJobs(int jobs) {
    return new PostgresOptions(
        toolDirectory,
        compressionLevel,
        lockWaitTimeoutSeconds,
        restoreStrategy,
        verifyMode,
        connectTimeoutSeconds,
        maintenanceDatabase,
        jobs);
  }

  /**
   * Tools from {@code $DBGUARD_PG_BIN_DIR} or the {@code PATH}, gzip level 1, 30 s lock wait,
   * {@link RestoreStrategy#AUTO}, {@link VerifyMode#STREAMING}, 10 s connect timeout, maintenance
   * database {@code postgres}, restore jobs auto.
   */
  public static PostgresOptions defaults() {
    return new PostgresOptions(
        null, 1, 30, RestoreStrategy.AUTO, VerifyMode.STREAMING, 10, "postgres", 0);
  }

  /** A copy with another tool directory ({@code null}: environment, then PATH). */
  public PostgresOptions withToolDirectory(Path dir) {
    return new PostgresOptions(
        dir,
        compressionLevel,
        lockWaitTimeoutSeconds,
        restoreStrategy,
        verifyMode,
        connectTimeoutSeconds,
        maintenanceDatabase,
        restoreJobs);
  }

  /** A copy with another gzip level (0..9). */
  public PostgresOptions withCompressionLevel(int level) {
    return new PostgresOptions(
        toolDirectory,
        level,
        lockWaitTimeoutSeconds,
        restoreStrategy,
        verifyMode,
        connectTimeoutSeconds,
        maintenanceDatabase,
        restoreJobs);
  }

  /** A copy with another lock-wait timeout in seconds (&gt; 0). */
  public PostgresOptions withLockWaitTimeoutSeconds(int seconds) {
    return new PostgresOptions(
        toolDirectory,
        compressionLevel,
        seconds,
        restoreStrategy,
        verifyMode,
        connectTimeoutSeconds,
        maintenanceDatabase,
        restoreJobs);
  }

  /** A copy with another restore strategy. */
  public PostgresOptions withRestoreStrategy(RestoreStrategy strategy) {
    return new PostgresOptions(
        toolDirectory,
        compressionLevel,
        lockWaitTimeoutSeconds,
        strategy,
        verifyMode,
        connectTimeoutSeconds,
        maintenanceDatabase,
        restoreJobs);
  }

  /** A copy with another verify mode. */
  public PostgresOptions withVerifyMode(VerifyMode mode) {
    return new PostgresOptions(
        toolDirectory,
        compressionLevel,
        lockWaitTimeoutSeconds,
        restoreStrategy,
        mode,
        connectTimeoutSeconds,
        maintenanceDatabase,
        restoreJobs);
  }

  /** A copy with another connect timeout in seconds (&gt; 0). */
  public PostgresOptions withConnectTimeoutSeconds(int seconds) {
    return new PostgresOptions(
        toolDirectory,
        compressionLevel,
        lockWaitTimeoutSeconds,
        restoreStrategy,
        verifyMode,
        seconds,
        maintenanceDatabase,
        restoreJobs);
  }

  /** The manifest's {@code compression} value: {@code gzip:<level>} or {@code none}. */
  public String compressionLabel() {
    return compressionLevel == 0 ? "none" : "gzip:" + compressionLevel;
  }
}
