package io.dbguard.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.engine.WriteHorizon;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupManifestTest {

  @Test
  void aCopyWithNewSizeAndSha256KeepsEveryOtherField() {
    BackupManifest pinned =
        RetentionPolicyTest.b("a", 1, "vp")
            .withWriteHorizon(new WriteHorizon("xmin", "snap-1", Map.of()));

    BackupManifest copy = pinned.withSizeAndSha256(4096, "ab12");

    assertThat(copy.sizeBytes()).isEqualTo(4096);
    assertThat(copy.sha256()).isEqualTo("ab12");
    assertThat(copy.withSizeAndSha256(pinned.sizeBytes(), pinned.sha256())).isEqualTo(pinned);
    assertThat(copy.pinned()).isTrue();
    assertThat(copy.writeHorizon()).isEqualTo(pinned.writeHorizon());
  }
}
