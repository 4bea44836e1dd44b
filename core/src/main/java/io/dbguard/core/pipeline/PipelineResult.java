package io.dbguard.core.pipeline;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.WritesAfterBackup;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import io.dbguard.core.verify.DataLossCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline run did.
 *
 * @param outcome the end state
 * @param exitCode the process exit code for it
 * @param reason PascalCase reason: {@code Succeeded}, or the failure reason (e.g. {@code
 *     MigrationFailed}, {@code DataLossDetected}, {@code BackupFailed}, {@code Terminated})
 * @param message what happened, in one or two sentences, no secrets
 * @param failedStep the step that failed, or null on success
 * @param backup the backup taken (null when none was needed or it failed)
 * @param backupFile path of the backup file, or null
 * @param dataLoss the data-loss check result, or null when it did not run
 * @param restoredFrom true when a restore ran and was verified
 * @param keptFailedAs where the failed state was kept for forensics, or null
 * @param failedCopies what happened to older failed copies after the verified restore (only the
 *     newest {@code keepFailedCopies} are kept), or null when no restore was verified or they could
 *     not be listed (then a warning says so)
 * @param manualRestoreCommand the exact command to restore by hand, or null when there is no backup
 * @param warnings things the operator should know (backup skipped, seed skipped …)
 * @param writesAfterBackup when a restore was due (restored or halted by {@link
 *     OnDiscardedWrites#HALT}): the writes after the backup it discards or would discard; {@code
 *     null} when no restore was due
 */
public record PipelineResult(
    Outcome outcome,
    ExitCode exitCode,
    String reason,
    String message,
    PipelineStep failedStep,
    BackupManifest backup,
    Path backupFile,
    DataLossCheck.Result dataLoss,
    boolean restoredFrom,
    String keptFailedAs,
    FailedCopyPruning failedCopies,
    String manualRestoreCommand,
    List<String> warnings,
    WritesAfterBackup writesAfterBackup) {

  /**
   * This result with {@code note} appended to the message and added to the warnings, e.g. that the
   * write fence stays up.
   */
  public PipelineResult withNote(String note) {
    List<String> w = new java.util.ArrayList<>(warnings);
    w.add(note);
    return new PipelineResult(
        outcome,
        exitCode,
        reason,
        message == null ? note : message + " " + note,
        failedStep,
        backup,
        backupFile,
        dataLoss,
        restoredFrom,
        keptFailedAs,
        failedCopies,
        manualRestoreCommand,
        List.copyOf(w),
        writesAfterBackup);
  }

  /** End states of a run. */
  public enum Outcome {
    /** Migrated (and seeded when due); the backup is kept. */
    SUCCEEDED,
    /** The analysis refused the migration; the database was not touched. */
    BLOCKED,
    /** Failed before the database was changed (connection, backup, termination before migrate). */
    FAILED,
    /** The migration, data check or seed failed and the database was restored and verified. */
    ROLLED_BACK,
    /** The migration failed and no restore was done (no backup, or on-failure Halt). */
    MIGRATION_FAILED,
    /** Data loss found and no restore was done (on-failure Halt). */
    DATA_LOSS_DETECTED,
    /** The restore failed or could not be verified: a human must act. */
    RESTORE_FAILED,
    /**
     * The migration, data check or seed failed and the restore was not done because the database
     * received writes after the backup ({@link OnDiscardedWrites#HALT}).
     */
    HALTED_WRITES_AFTER_BACKUP
  }

  /** The termination-message document for this run ({@code step = run}). */
  public StepResult toStepResult() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("outcome", outcome.name());
    if (failedStep != null) {
      details.put("failedStep", failedStep.label());
    }
    if (dataLoss != null) {
      details.put("dataLossFindings", Integer.toString(dataLoss.unacknowledged().size()));
      details.put("dataLossAcknowledged", Integer.toString(dataLoss.acknowledged().size()));
      if (!dataLoss.unacknowledged().isEmpty()) {
        details.put(
            "lost",
            String.join(", ", dataLoss.unacknowledged().stream().map(f -> f.subject()).toList()));
      }
    }
    if (keptFailedAs != null) {
      details.put("keptFailedAs", keptFailedAs);
    }
    if (writesAfterBackup != null) {
      details.put(
          "writesAfterBackup",
          writesAfterBackup.status().name().toLowerCase(java.util.Locale.ROOT));
      if (writesAfterBackup.found()) {
        details.put(
            "writesAfterBackupTables", String.join(", ", writesAfterBackup.applicationTables()));
      }
    }
    if (failedCopies != null) {
      details.putAll(failedCopies.details());
    }
    if (manualRestoreCommand != null) {
      details.put("manualRestoreCommand", manualRestoreCommand);
    }
    if (!warnings.isEmpty()) {
      details.put("warnings", String.join("; ", warnings));
    }
    return new StepResult(
        "run", exitCode.code(), reason, message, backupRef(), details, writesAfterBackup);
  }

  /** The StepResult backup reference, or null. */
  public StepResult.BackupRef backupRef() {
    if (backup == null) {
      return null;
    }
    return new StepResult.BackupRef(
        backup.name(),
        backupFile == null ? backup.file() : backupFile.toString(),
        backup.sizeBytes(),
        backup.sha256(),
        backup.verifiedAt() == null ? null : backup.verifiedAt().toString());
  }
}
