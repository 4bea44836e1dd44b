package io.dbguard.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.RestoreRequestStatus;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.Step;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which record a failed restore Job found gone ({@link BackupRecords#goneAfterRestore}). */
class BackupRecordsGoneTest {
  private static final String REVISION = "1a2b3c4d5e6f";
  private static final String RESTORE = JobNames.of("shop", Step.RESTORE, REVISION);

  private static DatabaseMigrationStatus attempt() {
    DatabaseMigrationStatus st = new DatabaseMigrationStatus();
    st.setRevision(REVISION);
    BackupStatusRef b = new BackupStatusRef();
    b.setName("shop_20260101_120000");
    b.setDatabaseBackup("shop-20260101-120000");
    st.setBackup(b);
    return st;
  }

  private static JobObservation failed(String name, String reason, String message) {
    return new JobObservation(
        name,
        "uid-" + name,
        Step.RESTORE,
        JobObservation.State.FAILED,
        4,
        new StepResult("restore", 4, reason, message, null, Map.of()),
        null);
  }

  @Test
  void theAttemptsRestoreJobThatFoundTheDumpGoneMarksTheAttemptsRecord() {
    JobObservation j = failed(RESTORE, "BackupNotFound", "backup file x.dump … is missing");
    BackupRecords.Gone g =
        BackupRecords.goneAfterRestore(
            "shop", attempt(), n -> n.equals(RESTORE) ? Optional.of(j) : Optional.empty());
    assertThat(g).isNotNull();
    assertThat(g.record()).isEqualTo("shop-20260101-120000");
    assertThat(g.message())
        .isEqualTo("restore Job " + RESTORE + ": backup file x.dump … is missing");
  }

  @Test
  void aRequestedRestoreMarksTheRequestedRecordAndAMissingManifestCountsToo() {
    DatabaseMigrationStatus st = attempt();
    RestoreRequestStatus r = new RestoreRequestStatus();
    r.setBackup("shop-older");
    r.setJob("shop-restorereq-abc");
    st.setRestoreRequest(r);
    JobObservation j = failed("shop-restorereq-abc", "ManifestUnreadable", "no manifest");
    BackupRecords.Gone g =
        BackupRecords.goneAfterRestore(
            "shop", st, n -> n.equals(r.getJob()) ? Optional.of(j) : Optional.empty());
    assertThat(g.record()).isEqualTo("shop-older");
  }

  @Test
  void otherFailuresRunningJobsAndNoRestoreJobMarkNothing() {
    for (JobObservation j :
        new JobObservation[] {
          failed(RESTORE, "BackupCorrupt", "checksum differs"),
          failed(RESTORE, "RestoreFailed", "pg_restore failed"),
          new JobObservation(
              RESTORE, "u", Step.RESTORE, JobObservation.State.ACTIVE, null, null, null),
          new JobObservation(
              RESTORE, "u", Step.RESTORE, JobObservation.State.FAILED, 137, null, "BackoffLimit")
        }) {
      assertThat(BackupRecords.goneAfterRestore("shop", attempt(), n -> Optional.of(j)))
          .as(j.toString())
          .isNull();
    }
    assertThat(BackupRecords.goneAfterRestore("shop", attempt(), n -> Optional.empty())).isNull();
    assertThat(BackupRecords.goneAfterRestore("shop", null, n -> Optional.empty())).isNull();
  }
}
