package io.dbguard.operator.plan;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.FenceStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.WriteFence;
import java.util.Map;

/**
 * A rollback after a window in which the application could write (no fence, or a breached one) says
 * so in the RolledBack message (and so in the Warning Event): writes made after the backup are not
 * in the restored database, only in the failed copy the restore kept. The message names that copy,
 * and what the restore Job counted before restoring (its result's {@code
 * details.writesAfterBackup}: {@code found} with {@code writesAfterBackupTables}, {@code none}, or
 * {@code unknown}). Writes counted after a fenced window are reported too: the fence did not hold.
 */
final class UnfencedWrites {
  private UnfencedWrites() {}

  static Plan report(Observation o, Plan base, FenceStatus fence) {
    if (!(base instanceof Plan.Fail f) || f.phase() != Phase.RolledBack || o.status() == null) {
      return base;
    }
    Map<String, String> restore =
        o.job(JobNames.of(o.name(), Step.RESTORE, o.status().getRevision()))
            .map(JobObservation::result)
            .map(StepResult::details)
            .orElse(Map.of());
    String kept = restore.get("keptFailedAs");
    String where =
        kept == null
            ? "the failed copy the restore kept (see the restore step's result)"
            : "the failed copy " + kept;
    if ("found".equals(restore.get("writesAfterBackup"))) {
      return new Plan.Fail(
          f.phase(),
          f.reason(),
          f.message()
              + "; WRITES AFTER THE BACKUP were discarded from the live database in "
              + restore.getOrDefault("writesAfterBackupTables", "some tables")
              + ": they are only in "
              + where
              + " (the restore Job's result lists each table and the command that extracts it;"
              + " docs/migration-window.md#breach)",
          f.newAttempt());
    }
    String why;
    if (fence != null && fence.getBreachedAt() != null) {
      why = "the write fence was breached at " + fence.getBreachedAt();
    } else if (fence == null && WriteFencePlanner.mode(o.spec()) == WriteFence.None) {
      why = "writeFence is None";
    } else if (fence == null) {
      why = "no workload is listed in spec.rollout.workloads, so nothing was fenced";
    } else {
      return base;
    }
    String counted =
        "none".equals(restore.get("writesAfterBackup"))
            ? " (the restore counted none per table before restoring)"
            : "";
    return new Plan.Fail(
        f.phase(),
        f.reason(),
        f.message()
            + "; WRITES MAY BE DISCARDED: "
            + why
            + ", so anything the application wrote after the backup is not in the restored"
            + " database; it is only in "
            + where
            + counted
            + " (docs/migration-window.md#breach)",
        f.newAttempt());
  }
}
