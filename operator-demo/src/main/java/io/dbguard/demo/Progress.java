package io.dbguard.demo;

import io.dbguard.demo.ShopApp.ShopPod;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Waits for the shop's DatabaseMigration and pods, printing a {@code kubectl get dbmig -w}-style
 * row each time a column (or the step running) changes, and a {@code kubectl get pods}-style line
 * each time the pods change.
 */
final class Progress {
  /** Phases in which an attempt has ended. */
  static final Set<String> FINISHED =
      Set.of("Succeeded", "RolledBack", "Blocked", "Rejected", "Failed");

  private static final long POLL_MILLIS = 400;

  private final ShopApp app;
  private final PrintStream out;
  private final Duration timeout;

  Progress(ShopApp app, PrintStream out, Duration timeout) {
    this.app = app;
    this.out = out;
    this.timeout = timeout;
  }

  /**
   * Prints rows until the attempt for {@code image} has ended.
   *
   * @return the final row
   * @throws DemoFailure when it ends in another phase than {@code expected}, or not within the
   *     timeout
   */
  MigrationRow awaitMigration(String image, String expected) {
    out.println("  $ kubectl get dbmig -n " + ShopApp.NAMESPACE + " -w");
    out.println("  " + MigrationRow.header());
    long deadline = System.nanoTime() + timeout.toNanos();
    MigrationRow last = null;
    while (System.nanoTime() < deadline) {
      MigrationRow row = app.migration();
      if (row != null && row.differsFrom(last)) {
        out.println(
            "  "
                + row.format(Instant.now())
                + (row.step().isEmpty() || FINISHED.contains(row.phase())
                    ? ""
                    : "    (step: " + row.step() + ")"));
        last = row;
      }
      if (row != null && image.equals(row.image()) && FINISHED.contains(row.phase())) {
        if (!expected.equals(row.phase())) {
          throw new DemoFailure(
              "the migration for "
                  + image
                  + " ended "
                  + row.phase()
                  + (row.reason().isEmpty() ? "" : " (" + row.reason() + ")")
                  + ", expected "
                  + expected
                  + ": "
                  + row.message());
        }
        return row;
      }
      DemoCluster.sleep(POLL_MILLIS);
    }
    throw new DemoFailure(
        "the migration for "
            + image
            + " did not reach "
            + expected
            + " within "
            + timeout.toSeconds()
            + " s (--stage-timeout); last seen: "
            + (last == null ? "no DatabaseMigration" : last.format(Instant.now()))
            + (last == null ? "" : "; step " + last.step() + "; " + last.message()));
  }

  /**
   * Prints the shop's pods whenever they change until one matches {@code done}.
   *
   * @param what the awaited state in words, for the failure message
   * @return the matching pod
   * @throws DemoFailure when no pod matches within the timeout
   */
  ShopPod awaitPod(Predicate<ShopPod> done, String what) {
    out.println("  $ kubectl get pods -n " + ShopApp.NAMESPACE + " -l app=shop -w");
    out.println(String.format("  %-28s %-14s %-24s %s", "NAME", "IMAGE", "STATUS", "GATE"));
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ShopPod> last = null;
    while (System.nanoTime() < deadline) {
      List<ShopPod> pods = app.pods();
      if (!pods.equals(last)) {
        for (ShopPod p : pods) {
          if (last == null || !last.contains(p)) {
            out.println(
                String.format(
                    "  %-28s %-14s %-24s %s",
                    p.name(),
                    p.image(),
                    p.status(),
                    p.gateExit() == null ? "" : "exit " + p.gateExit()));
          }
        }
        last = pods;
      }
      for (ShopPod p : pods) {
        if (done.test(p)) {
          return p;
        }
      }
      DemoCluster.sleep(POLL_MILLIS);
    }
    throw new DemoFailure(
        "no shop pod became "
            + what
            + " within "
            + timeout.toSeconds()
            + " s (--stage-timeout); pods: "
            + last);
  }
}
