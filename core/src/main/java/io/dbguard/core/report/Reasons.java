package io.dbguard.core.report;

/**
 * The reasons dbguard steps report (PascalCase, stable: they appear in termination messages,
 * conditions and Events) and the exit code each maps to. Documented in {@code docs/cli.md}.
 */
public final class Reasons {
  private Reasons() {}

  /**
   * The exit code for a failure reason.
   *
   * <ul>
   *   <li>{@code InvalidDatabaseUrl InvalidCommand InvalidMigrations InvalidSeed ManifestUnreadable
   *       BackupNotFound EngineUnavailable Usage} → {@link ExitCode#USAGE}
   *   <li>{@code ConnectionFailed AuthenticationFailed DatabaseNotFound} → {@link
   *       ExitCode#CONNECTION_FAILED}
   *   <li>{@code Locked} → {@link ExitCode#LOCKED}
   *   <li>{@code FenceFailed} → {@link ExitCode#FENCE_FAILED}
   *   <li>{@code BackupFailed BackupDirectoryUnusable InsufficientSpace BackupStorageFull
   *       BackupWriteFailed LockTimeout} → {@link ExitCode#BACKUP_FAILED} ({@code
   *       InsufficientSpace}: a backup or restore refused before writing anything, see {@link
   *       io.dbguard.core.engine.DiskSpace}); {@code BackupCorrupt SnapshotUnusable} → {@link
   *       ExitCode#BACKUP_CORRUPT}
   *   <li>{@code MigrationFailed MigrationTimeout CommandNotFound SchemaConflict SeedFailed
   *       Terminated} → {@link ExitCode#MIGRATION_FAILED}
   *   <li>{@code DataLossDetected} → {@link ExitCode#DATA_LOSS_DETECTED}
   *   <li>{@code WritesAfterBackup} → {@link ExitCode#WRITES_AFTER_BACKUP}
   *   <li>{@code RestoreFailed RestoreNotVerified} → {@link ExitCode#RESTORE_FAILED}
   *   <li>{@code Blocked} → {@link ExitCode#REFUSED}
   *   <li>{@code PlanWarnings} → {@link ExitCode#WARNINGS} ({@code dbguard plan}); {@code
   *       AnalysisWarnings} → {@link ExitCode#WARNINGS} ({@code dbguard lint --fail-on warn})
   *   <li>anything else (e.g. {@code ToolError}, {@code PlanFailed}) → {@link ExitCode#TOOL_ERROR}
   * </ul>
   */
  public static ExitCode exitCode(String reason) {
    if (reason == null) {
      return ExitCode.TOOL_ERROR;
    }
    return switch (reason) {
      case "InvalidDatabaseUrl",
          "InvalidCommand",
          "InvalidMigrations",
          "InvalidSeed",
          "ManifestUnreadable",
          "BackupNotFound",
          "BackupOfOtherDatabase",
          "EngineUnavailable",
          "Usage" ->
          ExitCode.USAGE;
      case "ConnectionFailed", "AuthenticationFailed", "DatabaseNotFound" ->
          ExitCode.CONNECTION_FAILED;
      case "Locked" -> ExitCode.LOCKED;
      case "FenceFailed" -> ExitCode.FENCE_FAILED;
      case "BackupFailed",
          "BackupDirectoryUnusable",
          "InsufficientSpace",
          "BackupStorageFull",
          "BackupWriteFailed",
          "LockTimeout" ->
          ExitCode.BACKUP_FAILED;
      case "BackupCorrupt", "SnapshotUnusable" -> ExitCode.BACKUP_CORRUPT;
      case "MigrationFailed",
          "MigrationTimeout",
          "CommandNotFound",
          "SchemaConflict",
          "SeedFailed",
          "Terminated" ->
          ExitCode.MIGRATION_FAILED;
      case "DataLossDetected" -> ExitCode.DATA_LOSS_DETECTED;
      case "WritesAfterBackup" -> ExitCode.WRITES_AFTER_BACKUP;
      case "RestoreFailed", "RestoreNotVerified" -> ExitCode.RESTORE_FAILED;
      case "Blocked" -> ExitCode.REFUSED;
      case "PlanWarnings", "AnalysisWarnings" -> ExitCode.WARNINGS;
      default -> ExitCode.TOOL_ERROR;
    };
  }
}
