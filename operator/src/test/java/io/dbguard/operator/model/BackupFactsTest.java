package io.dbguard.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** Facts come from status; records written by older versions keep them in spec. */
class BackupFactsTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void olderRecordWithFactsInSpecReadsAsReady() {
    DatabaseBackup b =
        JSON.unmarshal(
            """
            {"apiVersion":"dbguard.io/v1alpha1","kind":"DatabaseBackup",
             "metadata":{"name":"shop-20260101"},
             "spec":{"database":"shop","file":"shop_20260101.dump","sizeBytes":42,
                     "sha256":"ab","verified":true,"verifiedAt":"2026-01-01T00:00:00Z"}}
            """,
            DatabaseBackup.class);
    BackupFacts f = BackupFacts.of(b);
    assertThat(f.state()).isEqualTo(BackupState.Ready);
    assertThat(f.sizeBytes()).isEqualTo(42L);
    assertThat(f.sha256()).isEqualTo("ab");
    assertThat(f.verified()).isTrue();
    assertThat(f.verifiedAt()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void statusWinsOverDeprecatedSpec() {
    DatabaseBackup b =
        JSON.unmarshal(
            """
            {"apiVersion":"dbguard.io/v1alpha1","kind":"DatabaseBackup",
             "metadata":{"name":"shop-20260101"},
             "spec":{"database":"shop","sizeBytes":42,"verified":true},
             "status":{"state":"Missing","sizeBytes":43,"verified":false,
                       "checkedAt":"2026-01-02T00:00:00Z"}}
            """,
            DatabaseBackup.class);
    BackupFacts f = BackupFacts.of(b);
    assertThat(f.state()).isEqualTo(BackupState.Missing);
    assertThat(f.sizeBytes()).isEqualTo(43L);
    assertThat(f.verified()).isFalse();
    assertThat(f.checkedAt()).isEqualTo("2026-01-02T00:00:00Z");
  }
}
