package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PgNamesTest {
  @Test
  void shortNamesKeepTheirSuffixAsIs() {
    assertThat(PgNames.derived("shop", "_restore")).isEqualTo("shop_restore");
  }

  @Test
  void longNamesFitIn63BytesAndNeverEqualTheLiveName() {
    String live = "a".repeat(63);
    String aside = PgNames.derived(live, "_restore");
    assertThat(aside.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    assertThat(aside).endsWith("_restore").isNotEqualTo(live);
    String other = PgNames.derived("a".repeat(62) + "b", "_restore");
    assertThat(other).isNotEqualTo(aside);
  }

  @Test
  void multiByteNamesAreCutAtACharacterBoundary() {
    String live = "ü".repeat(31) + "x"; // 63 bytes
    String failed = PgNames.derived(live, "_failed");
    assertThat(failed.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    assertThat(new String(failed.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .isEqualTo(failed)
        .startsWith("üü");
  }

  @Test
  void namesSharingTheirFirst40BytesGetDifferentDerivedNamesForEverySuffix() {
    String one = "s".repeat(54) + "_one";
    String two = "s".repeat(54) + "_two";
    for (String suffix : new String[] {"_failed_20240101_000000", "_restore_20240101_000000_2"}) {
      String a = PgNames.derived(one, suffix);
      String b = PgNames.derived(two, suffix);
      assertThat(a).isNotEqualTo(b).endsWith(suffix);
      assertThat(a.getBytes(StandardCharsets.UTF_8)).hasSize(63);
      assertThat(PgNames.isDerived(a, one, suffix)).isTrue();
      assertThat(PgNames.isDerived(a, two, suffix)).isFalse();
    }
  }
}
