package io.dbguard.operator.plan;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.FenceStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.WriteFence;

/**
 * A rollback after a window in which the application could write (no fence, or a breached one) says
 * so in the RolledBack message (and so in the Warning Event): writes made after the backup are not
 * in the restored database, only in the failed copy the restore kept. The message names that copy.
 * It cannot say which rows: that needs a comparison of the failed copy with the backup.
 */
final class UnfencedWrites {
  private UnfencedWrites() {}

  static Plan report(Observation o, Plan base, FenceStatus fence) {
    if (!(base instanceof Plan.Fail f) || f.phase() != Phase.RolledBack || o.status() == null) {
      return base;
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
    String kept =
        o.job(JobNames.of(o.name(), Step.RESTORE, o.status().getRevision()))
            .map(JobObservation::result)
            .map(StepResult::details)
            .map(d -> d.get("keptFailedAs"))
            .orElse(null);
    String where =
        kept == null
            ? "the failed copy the restore kept (see the restore step's result)"
            : "the failed copy " + kept;
    return new Plan.Fail(
        f.phase(),
        f.reason(),
        f.message()
            + "; WRITES MAY BE DISCARDED: "
            + why
            + ", so anything the application wrote after the backup is not in the restored"
            + " database; it is only in "
            + where
            + " (docs/migration-window.md#breach)",
        f.newAttempt());
  }
}
