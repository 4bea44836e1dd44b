package io.dbguard.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.act.Conditions;
import io.dbguard.operator.act.ErrorStatus;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A 403 becomes a Stalled status naming the missing permission and the chart value. */
class ForbiddenExplainerTest {

  static KubernetesClientException forbidden(String verb, String resource, String group) {
    return new KubernetesClientException(
        new StatusBuilder()
            .withCode(403)
            .withReason("Forbidden")
            .withMessage(
                resource
                    + " \"x\" is forbidden: User \"system:serviceaccount:dbguard-system:dbguard\""
                    + " cannot "
                    + verb
                    + " resource \""
                    + resource
                    + "\" in API group \""
                    + group
                    + "\" in the namespace \"shop\"")
            .build());
  }

  @Test
  void aForbiddenSecretReadNamesTheValueThatGrantsIt() {
    String msg = ForbiddenExplainer.explain(forbidden("list", "secrets", ""));
    assertThat(msg)
        .startsWith("the operator may not list secrets (API group core) in namespace shop")
        .contains("rbac.secretsValidation=true")
        .doesNotContain("system:serviceaccount");
  }

  @Test
  void aForbiddenConfigMapReadNamesRbacCreate() {
    assertThat(ForbiddenExplainer.explain(forbidden("watch", "configmaps", "")))
        .contains("watch configmaps")
        .contains("rbac.create=true");
  }

  @Test
  void aCallNotInTheListSaysSo() {
    assertThat(ForbiddenExplainer.explain(forbidden("delete", "jobs", "batch")))
        .contains("not in the operator's permission list");
  }

  @Test
  void theForbiddenCauseIsFoundInAWrappedException() {
    RuntimeException wrapped = new RuntimeException("reconcile", forbidden("get", "secrets", ""));
    assertThat(ForbiddenExplainer.forbidden(wrapped)).isPresent();
    assertThat(ForbiddenExplainer.forbidden(new IllegalStateException("x"))).isEmpty();
  }

  @Test
  void theErrorStatusIsStalledPendingWithTheMessage() {
    DatabaseMigration m = new DatabaseMigration();
    m.setMetadata(new ObjectMetaBuilder().withName("shop").withGeneration(2L).build());
    var s = ErrorStatus.of(m, "Forbidden", "the operator may not get secrets", Instant.EPOCH);
    assertThat(s.getPhase()).isEqualTo(Phase.Pending);
    assertThat(s.getReason()).isEqualTo("Forbidden");
    var stalled = Conditions.find(s.getConditions(), Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getMessage()).isEqualTo("the operator may not get secrets");
    assertThat(Conditions.find(s.getConditions(), Conditions.READY).getStatus()).isEqualTo("False");
  }
}
