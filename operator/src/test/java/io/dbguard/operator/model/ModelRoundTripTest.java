package io.dbguard.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRoundTripTest {

  static final String YAML =
      """
      apiVersion: dbguard.io/v1alpha1
      kind: DatabaseMigration
      metadata:
        name: shop
        namespace: apps
      spec:
        database:
          name: shop
          engine: PostgreSQL
          urlSecretRef:
            name: shop-db
            key: url
        migrate:
          image: shop:v2
          command: [bin/rails, db:migrate]
          timeoutSeconds: 600
          fromWorkload:
            kind: Deployment
            name: shop
            container: web
        seed:
          command: [bin/rails, db:seed]
          policy: NewDatabaseOnly
        backup:
          method: Dump
          storage:
            claimName: shop-backups
          retention:
            keepLast: 5
          required: true
        safety:
          environment: production
          lint: Warn
          acknowledge:
            - rule: drop-column
              file: 20240101_remove_legacy.rb
        onFailure: Halt
      """;

  @Test
  void yamlRoundTripKeepsEveryField() {
    DatabaseMigration m = Serialization.unmarshal(YAML, DatabaseMigration.class);
    assertThat(m.getSpec().getDatabase().getEngine()).isEqualTo(Engine.PostgreSQL);
    assertThat(m.getSpec().getMigrate().getFromWorkload().getKind())
        .isEqualTo(WorkloadKind.Deployment);
    assertThat(m.getSpec().getSeed().getPolicy()).isEqualTo(SeedPolicy.NewDatabaseOnly);
    assertThat(m.getSpec().getOnFailure()).isEqualTo(OnFailure.Halt);
    assertThat(m.getSpec().getSafety().getLint()).isEqualTo(LintMode.Warn);

    String again = Serialization.asYaml(m);
    DatabaseMigration back = Serialization.unmarshal(again, DatabaseMigration.class);
    assertThat(back).usingRecursiveComparison().isEqualTo(m);
    assertThat(again).contains("engine: \"PostgreSQL\"").contains("onFailure: \"Halt\"");
  }

  @Test
  void statusJsonRoundTripUsesPascalCaseAndOmitsNulls() {
    DatabaseMigrationStatus s = new DatabaseMigrationStatus();
    s.setPhase(Phase.RolledBack);
    s.setReason("MigrationFailed");
    s.setObservedGeneration(3L);
    s.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("False")
                .withReason("MigrationFailed")
                .withObservedGeneration(3L)
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .build()));
    String json = Serialization.asJson(s);
    assertThat(json).contains("\"phase\":\"RolledBack\"").doesNotContain("null");
    assertThat(Serialization.unmarshal(json, DatabaseMigrationStatus.class))
        .usingRecursiveComparison()
        .isEqualTo(s);
  }
}
