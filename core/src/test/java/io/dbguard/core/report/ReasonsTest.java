package io.dbguard.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reason → exit code table of docs/cli.md. */
class ReasonsTest {
  @ParameterizedTest
  @CsvSource({
    "BackupStorageFull, BACKUP_FAILED",
    "BackupWriteFailed, BACKUP_FAILED",
    "LockTimeout, BACKUP_FAILED",
    "InsufficientSpace, BACKUP_FAILED",
    "FenceFailed, FENCE_FAILED",
    "Locked, LOCKED",
    "BackupOfOtherDatabase, USAGE",
    "SnapshotUnusable, BACKUP_CORRUPT",
    "SomethingNew, TOOL_ERROR"
  })
  void reasonsMapToTheDocumentedExitCodes(String reason, ExitCode code) {
    assertThat(Reasons.exitCode(reason)).isEqualTo(code);
  }
}
