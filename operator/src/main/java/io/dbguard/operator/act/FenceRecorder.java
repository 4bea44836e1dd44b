package io.dbguard.operator.act;

import io.dbguard.operator.model.AttemptRecord;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Plan;
import java.util.Objects;

/**
 * The status for a {@link Plan.Fence}: the held plan's status with {@code status.fence} replaced
 * (the original replica counts are thus durable before any workload is scaled) and, while the fence
 * holds the step back, the fence's reason and message.
 */
final class FenceRecorder {
  private FenceRecorder() {}

  static DatabaseMigrationStatus next(Observation o, Plan.Fence f, DatabaseMigrationStatus s) {
    s.setFence(f.fence());
    if (f.reason() != null && !Objects.equals(f.reason(), s.getReason())) {
      s.setReason(f.reason());
      AttemptRecord last =
          s.getHistory() == null || s.getHistory().isEmpty()
              ? null
              : s.getHistory().get(s.getHistory().size() - 1);
      if (last != null && last.getFinishedAt() == null) {
        last.setReason(f.reason());
      }
    }
    if (f.message() != null) {
      s.setMessage(f.message());
    }
    return s;
  }
}
