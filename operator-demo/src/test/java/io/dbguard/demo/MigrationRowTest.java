package io.dbguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MigrationRowTest {
  private static final String ROLLED_BACK =
      """
      apiVersion: dbguard.io/v1alpha1
      kind: DatabaseMigration
      metadata: {name: shop, creationTimestamp: "2026-12-06T08:41:00Z"}
      status:
        phase: RolledBack
        reason: MigrationFailed
        message: restored backup shop_production_20261206_084101 after MigrationFailed
        image: shop:1.2
        backup: {name: shop_production_20261206_084101}
        current: {step: Restore}
        conditions:
          - {type: Stalled, status: "True"}
          - {type: Ready, status: "False"}
      """;

  @Test
  void readsThePrinterColumnsOfAStatus() {
    MigrationRow row =
        MigrationRow.of(Serialization.unmarshal(ROLLED_BACK, GenericKubernetesResource.class));
    assertThat(row.phase()).isEqualTo("RolledBack");
    assertThat(row.ready()).isEqualTo("False");
    assertThat(row.image()).isEqualTo("shop:1.2");
    assertThat(row.backup()).isEqualTo("shop_production_20261206_084101");
    assertThat(row.reason()).isEqualTo("MigrationFailed");
    assertThat(row.step()).isEqualTo("Restore");
    assertThat(row.format(Instant.parse("2026-12-06T08:41:33Z")))
        .isEqualTo(
            "shop   RolledBack  False  shop:1.2     shop_production_20261206_084101      MigrationFailed     33s");
  }

  @Test
  void aMigrationWithoutStatusHasEmptyColumnsAlignedWithTheHeader() {
    GenericKubernetesResource m =
        Serialization.unmarshal(
            "apiVersion: dbguard.io/v1alpha1\nkind: DatabaseMigration\nmetadata: {name: shop}\n",
            GenericKubernetesResource.class);
    MigrationRow row = MigrationRow.of(m);
    assertThat(row.phase()).isEmpty();
    assertThat(row.created()).isNull();
    assertThat(row.format(Instant.now())).isEqualTo("shop");
    assertThat(MigrationRow.header()).startsWith("NAME   PHASE       READY  IMAGE        BACKUP");
    assertThat(MigrationRow.header().indexOf("REASON"))
        .isEqualTo(
            MigrationRow.of(Serialization.unmarshal(ROLLED_BACK, GenericKubernetesResource.class))
                .format(Instant.now())
                .indexOf("MigrationFailed"));
  }

  @Test
  void onlyColumnsAndTheStepCountAsAChange() {
    MigrationRow a =
        MigrationRow.of(Serialization.unmarshal(ROLLED_BACK, GenericKubernetesResource.class));
    MigrationRow otherMessage =
        new MigrationRow(
            a.name(),
            a.phase(),
            a.ready(),
            a.image(),
            a.backup(),
            a.reason(),
            a.step(),
            "new text",
            a.created());
    MigrationRow otherStep =
        new MigrationRow(
            a.name(),
            a.phase(),
            a.ready(),
            a.image(),
            a.backup(),
            a.reason(),
            "Verify",
            a.message(),
            a.created());
    assertThat(a.differsFrom(otherMessage)).isFalse();
    assertThat(a.differsFrom(otherStep)).isTrue();
    assertThat(a.differsFrom(null)).isTrue();
  }

  @Test
  void ageIsKubectlsShortForm() {
    assertThat(MigrationRow.age(Duration.ofSeconds(-3))).isEqualTo("0s");
    assertThat(MigrationRow.age(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(MigrationRow.age(Duration.ofSeconds(185))).isEqualTo("3m5s");
    assertThat(MigrationRow.age(Duration.ofMinutes(130))).isEqualTo("2h10m");
    assertThat(MigrationRow.age(Duration.ofHours(30))).isEqualTo("30h");
  }
}
