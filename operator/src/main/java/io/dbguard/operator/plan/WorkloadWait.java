package io.dbguard.operator.plan;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.model.WorkloadRef;

/**
 * The plan while the image of an attempt cannot be resolved: {@code migrate.fromWorkload} names a
 * Deployment or StatefulSet that does not exist yet (a DatabaseMigration applied together with its
 * workload, e.g. one {@code kubectl apply -f} of a file holding both) or that has no such
 * container. Phase {@code Pending}, reason {@code WaitingForWorkload}, re-checked soon; no attempt
 * is recorded and no Job is created, since every step's Job runs with the attempt's image.
 */
final class WorkloadWait {
  private WorkloadWait() {}

  /**
   * @param spec the spec; its {@code migrate.fromWorkload} is named in the message when set
   * @param supersededNote why an earlier attempt was left, or null
   * @return an {@link Plan.Await} in {@code Pending} with {@code recheckSoon}
   */
  static Plan plan(DatabaseMigrationSpec spec, String supersededNote) {
    WorkloadRef w = spec.getMigrate() == null ? null : spec.getMigrate().getFromWorkload();
    String what;
    if (w == null) {
      what = "the image of migrate cannot be resolved";
    } else {
      String kind = w.getKind() == null ? WorkloadKind.Deployment.name() : w.getKind().name();
      what =
          "waiting for "
              + kind
              + "/"
              + w.getName()
              + " (migrate.fromWorkload) to exist"
              + (w.getContainer() == null
                  ? ""
                  : " with a container named \"" + w.getContainer() + "\"")
              + ": its image is the image to migrate to";
    }
    String msg = what + "; re-checked every few seconds, nothing was started";
    return new Plan.Await(
        Phase.Pending,
        Reason.WAITING_FOR_WORKLOAD,
        supersededNote == null ? msg : supersededNote + "; " + msg,
        true);
  }
}
