package io.dbguard.operator;

import io.dbguard.operator.act.ErrorStatus;
import io.dbguard.operator.act.StatusRecorder;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.plan.Reason;
import io.dbguard.operator.rbac.ForbiddenExplainer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reconcile does with an exception, so that no failure leaves a resource silently stuck:
 *
 * <ul>
 *   <li>409 Conflict (the resource changed since it was read, an expected outcome of optimistic
 *       locking): nothing else was done in this pass (status is written before any action), so the
 *       pass ends quietly (DEBUG, no stack trace, no back-off) and the resource is reconciled again
 *       from fresh state after {@value #CONFLICT_RETRY_MILLIS} ms, or sooner on the change's own
 *       event.
 *   <li>403 Forbidden: status {@code Stalled}, reason {@code Forbidden}, naming the missing
 *       permission and the chart value that grants it; re-checked every {@value #FORBIDDEN_RECHECK}
 *       s (RBAC fixed by a {@code helm upgrade} is picked up without touching the resource).
 *   <li>anything else: status {@code Stalled}, reason {@code ReconcileError}, with the exception
 *       (class and message); rethrown, so JOSDK retries with back-off.
 * </ul>
 *
 * The error status is written with the resourceVersion last seen; when that write fails too, it is
 * logged and the original outcome stands.
 */
final class ReconcileFailure {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileFailure.class);

  /** Delay before reconciling again after a 409, milliseconds. */
  static final long CONFLICT_RETRY_MILLIS = 200;

  /** Re-check interval after a 403, seconds. */
  static final long FORBIDDEN_RECHECK = 30;

  private final KubernetesClient client;
  private final Clock clock;

  ReconcileFailure(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  UpdateControl<DatabaseMigration> handle(DatabaseMigration latest, RuntimeException e) {
    if (e instanceof KubernetesClientException k
        && k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
      LOG.debug(
          "{}/{} changed since it was read (409); reconciling again",
          latest.getMetadata().getNamespace(),
          latest.getMetadata().getName());
      return UpdateControl.<DatabaseMigration>noUpdate()
          .rescheduleAfter(CONFLICT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
    var forbidden = ForbiddenExplainer.forbidden(e);
    if (forbidden.isPresent()) {
      String msg = ForbiddenExplainer.explain(forbidden.get());
      LOG.warn("stalled: {}", msg);
      record(latest, Reason.FORBIDDEN, msg);
      return UpdateControl.<DatabaseMigration>noUpdate()
          .rescheduleAfter(FORBIDDEN_RECHECK, TimeUnit.SECONDS);
    }
    String msg =
        "the operator failed while acting on this resource ("
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + "); retried with back-off, see the operator log";
    LOG.error("reconcile failed", e);
    record(latest, Reason.RECONCILE_ERROR, msg);
    throw e;
  }

  private void record(DatabaseMigration latest, String reason, String message) {
    try {
      new StatusRecorder(client)
          .write(latest, ErrorStatus.of(latest, reason, message, clock.instant()));
    } catch (KubernetesClientException w) {
      LOG.warn("could not record {} in status: {}", reason, w.getMessage());
    }
  }
}
