package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.DatabaseMigration;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A 409 from optimistic locking is expected: reconciled again soon, not thrown to JOSDK. */
class ReconcileFailureTest {
  @Test
  void aConflictEndsThePassQuietlyAndReconcilesAgainSoon() {
    DatabaseMigration m = new DatabaseMigration();
    m.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("web").build());
    KubernetesClientException conflict =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(409)
                .withReason("Conflict")
                .withMessage("the object has been modified; please apply your changes")
                .build());

    // the client is not used on this path: nothing is written after a conflict
    UpdateControl<DatabaseMigration> control =
        new ReconcileFailure(null, Clock.systemUTC()).handle(m, conflict);

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(control.getScheduleDelay()).hasValue(ReconcileFailure.CONFLICT_RETRY_MILLIS);
  }
}
