package io.dbguard.operator.act;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports phase changes as core/v1 Events on the DatabaseMigration ({@code kubectl describe
 * dbmig}). Messages are the status messages, which never contain secrets. A failed Event write is
 * logged, not retried: Events are best effort.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final Set<Phase> WARNING =
      EnumSet.of(Phase.Restoring, Phase.RolledBack, Phase.Blocked, Phase.Rejected, Phase.Failed);

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** Emits one Event for a change to {@code phase} with {@code reason} and {@code message}. */
  public void phaseChanged(
      DatabaseMigration m, Phase phase, String reason, String message, Instant now) {
    emit(
        m,
        WARNING.contains(phase) ? "Warning" : "Normal",
        reason == null ? phase.name() : reason,
        phase + ": " + (message == null ? "" : message),
        now);
  }

  /**
   * Emits one Event for a change of the write fence ({@code status.fence}).
   *
   * @param reason e.g. {@code FenceFenced}, {@code FenceLifted}, {@code FenceHeld}, {@code
   *     FenceBreached}
   * @param warning type Warning instead of Normal
   */
  public void fenceChanged(
      DatabaseMigration m, String reason, String message, boolean warning, Instant now) {
    emit(m, warning ? "Warning" : "Normal", reason, "write fence: " + message, now);
  }

  private void emit(DatabaseMigration m, String type, String reason, String message, Instant now) {
    String ts = now.toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(m.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(m.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                  .withNamespace(m.getMetadata().getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(m.getApiVersion())
                  .withKind(m.getKind())
                  .withName(m.getMetadata().getName())
                  .withNamespace(m.getMetadata().getNamespace())
                  .withUid(m.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(ts)
                  .withLastTimestamp(ts)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("dbguard-operator")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record Event {}: {}", reason, e.getMessage());
    }
  }
}
