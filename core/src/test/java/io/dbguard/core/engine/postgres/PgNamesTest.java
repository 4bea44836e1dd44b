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
}
