package io.dbguard.operator.act;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports phase changes as core/v1 Events on the DatabaseMigration ({@code kubectl describe
 * dbmig}). Messages are the status messages, which never contain secrets.
 *
 * <p>Names: {@code metadata.generateName} {@code <migration>.}, so the API server picks a unique
 * suffix and Events recorded at the same moment (by concurrent reconciles or two replicas) cannot
 * collide. A create refused with 409 AlreadyExists (a generated name that happened to be taken) is
 * tried once more with a newly generated name; any other failed Event write is logged, not retried:
 * Events are best effort.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final Set<Phase> WARNING =
      EnumSet.of(Phase.Restoring, Phase.RolledBack, Phase.Blocked, Phase.Rejected, Phase.Failed);

  private final KubernetesClient client;
  private final java.util.function.Function<DatabaseMigration, String> firstName;

  public EventRecorder(KubernetesClient client) {
    this(client, m -> null);
  }

  /**
   * @param firstName the name of the first create of each Event, or null for a generated one
   *     (tests: a name that is already taken)
   */
  EventRecorder(
      KubernetesClient client, java.util.function.Function<DatabaseMigration, String> firstName) {
    this.client = client;
    this.firstName = firstName;
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
   * Emits one Warning Event (reason {@code ApprovalIgnored}) for a {@code dbguard.io/approve} value
   * that does not name the revision waiting for approval.
   */
  public void approvalIgnored(DatabaseMigration m, String message, Instant now) {
    emit(m, "Warning", "ApprovalIgnored", message, now);
  }

  /**
   * Emits one Warning Event (reason {@code RestoreRefused}) for a {@code dbguard.io/restore}
   * request that was not carried out; {@code message} says why.
   */
  public void restoreRefused(DatabaseMigration m, String message, Instant now) {
    emit(m, "Warning", "RestoreRefused", message, now);
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
    Event event = event(m, type, reason, message, now);
    String name = firstName.apply(m);
    if (name != null) {
      // name and generateName together: the server takes the name, but turns its 409 into a 500
      // ServerTimeout (meant for generated names), so send only the name.
      event.getMetadata().setName(name);
      event.getMetadata().setGenerateName(null);
    }
    try {
      create(event);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        LOG.warn("could not record Event {}: {}", reason, e.getMessage());
        return;
      }
      LOG.debug("Event name {} taken; recording under a generated name", e.getMessage());
      try {
        create(event(m, type, reason, message, now));
      } catch (KubernetesClientException again) {
        LOG.warn("could not record Event {}: {}", reason, again.getMessage());
      }
    }
  }

  private void create(Event event) {
    client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
  }

  private static Event event(
      DatabaseMigration m, String type, String reason, String message, Instant now) {
    String ts = now.toString();
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(m.getMetadata().getName() + ".")
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
        .build();
  }
}
