package io.dbguard.demo;

import java.util.List;
import java.util.Map;

/**
 * What a demo run observed, for {@code OperatorDemoIT} and the closing summary.
 *
 * @param stages the stages in order (release 1.0, 1.2, 1.2.1)
 * @param startupMillis from the start until the operator held its Lease (control plane, helm
 *     install, operator pod)
 * @param runDir the control plane's run directory (volumes, logs), deleted by the clean-up
 * @param totalMillis wall time of the whole run, clean-up excluded
 */
public record DemoResult(List<Stage> stages, long startupMillis, String runDir, long totalMillis) {

  /**
   * One release rolled out.
   *
   * @param release the shop release, e.g. {@code 1.2}
   * @param phase the phase the DatabaseMigration ended in
   * @param reason {@code status.reason}
   * @param message {@code status.message}
   * @param ready the {@code Ready} condition's status
   * @param backup {@code status.backup.name}, or {@code ""} (a new database has no backup)
   * @param before the database before the release (table → rows, content hash)
   * @param after the database when the migration had ended
   * @param gateExit the exit code of the gate in a pod of this release (0 when it opened, 50 when
   *     it refused), or null when no pod of the release ran the gate
   * @param gateMessage the gate's termination message, or {@code ""}
   * @param tookMillis wall time from the roll-out to the pods' outcome
   */
  public record Stage(
      String release,
      String phase,
      String reason,
      String message,
      String ready,
      String backup,
      Map<String, ShopData.Table> before,
      Map<String, ShopData.Table> after,
      Integer gateExit,
      String gateMessage,
      long tookMillis) {}
}
