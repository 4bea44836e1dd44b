package io.dbguard.core.report;

/**
 * Exit codes of every {@code dbguard} command. They are an API between the Jobs and the operator
 * (which decides from the exit code plus the termination message) and between the CLI and scripts.
 * Documented in {@code docs/cli.md}; changing a value means changing that page and its tests.
 */
public enum ExitCode {
  /** Success. */
  OK(0),
  /** Analysis found only warn findings and {@code --fail-on warn} was given. */
  WARNINGS(1),
  /** Refused before touching the database: refuse findings, a dangerous command in production. */
  REFUSED(2),
  /** dbguard itself failed (a bug or an unexpected environment problem). */
  TOOL_ERROR(3),
  /** Bad arguments or configuration (malformed URL, missing file, unknown option). */
  USAGE(4),
  /** The database could not be reached or refused the credentials. Nothing was changed. */
  CONNECTION_FAILED(5),
  /**
   * Another dbguard run holds this database's run lock (PostgreSQL advisory lock, SQLite lock
   * file). Nothing was changed.
   */
  LOCKED(6),
  /**
   * The write fence could not be raised ({@code --write-fence ReadOnly}: missing privilege, the
   * application shares the migration's role, the database is already read-only by its own
   * settings). Nothing was changed.
   */
  FENCE_FAILED(7),
  /**
   * The backup could not be taken (tool missing or too old, disk full, lock timeout), or a backup
   * or restore was refused for lack of free space before writing anything (reason {@code
   * InsufficientSpace}). Nothing was changed.
   */
  BACKUP_FAILED(10),
  /** A backup failed verification (hash mismatch, truncated, integrity_check not ok). */
  BACKUP_CORRUPT(11),
  /** The migration failed and the database was restored and the restore verified. */
  ROLLED_BACK(20),
  /**
   * The migration failed (non-zero exit, timeout, schema conflict); no restore was done by this
   * process.
   */
  MIGRATION_FAILED(21),
  /**
   * The data-loss check found lost tables, rows or column values; no restore was done by this
   * process.
   */
  DATA_LOSS_DETECTED(22),
  /**
   * A restore was due but not done: the database received writes after the backup, or they could
   * not be ruled out, and {@code --on-discarded-writes Halt} was given. The restore did not touch
   * the database (after a failed migration it is as the migration left it); the result lists the
   * writes.
   */
  WRITES_AFTER_BACKUP(23),
  /** The restore failed or could not be verified: halt and page a human. */
  RESTORE_FAILED(40),
  /** Rollout gate: the migration for this image was rolled back, blocked, rejected or failed. */
  GATE_CLOSED(50),
  /** Rollout gate: timed out waiting for the migration. */
  GATE_TIMEOUT(51);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The numeric process exit code. */
  public int code() {
    return code;
  }

  /** The enum for a numeric exit code, or {@link #TOOL_ERROR} for an unknown one. */
  public static ExitCode of(int code) {
    for (ExitCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return TOOL_ERROR;
  }
}
