package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which databases count as a restore-aside leftover of one database: exact derived names only. */
class PgRestoreLeftoversTest {
  @Test
  void onlyNamesDerivedFromTheExactFullNameAreThisDatabasesLeftovers() {
    assertThat(PgRestoreLeftovers.isAsideOf("shop", "shop_restore_20240101_000000")).isTrue();
    assertThat(PgRestoreLeftovers.isAsideOf("shop", "shop_restore_20240101_000000_3")).isTrue();
    assertThat(PgRestoreLeftovers.isAsideOf("shop", "shop2_restore_20240101_000000")).isFalse();
    assertThat(PgRestoreLeftovers.isAsideOf("shop", "shop_restore_20241301_000000")).isFalse();
    assertThat(PgRestoreLeftovers.isAsideOf("shop", "shop_restore_x")).isFalse();
    assertThat(PgRestoreLeftovers.isAsideOf("shop", "shop_failed_20240101_000000")).isFalse();
    String one = "s".repeat(54) + "_one";
    String two = "s".repeat(54) + "_two";
    String asideOfOne = PgNames.derived(one, "_restore_20240101_000000");
    assertThat(asideOfOne.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(63);
    assertThat(PgRestoreLeftovers.isAsideOf(one, asideOfOne)).isTrue();
    assertThat(PgRestoreLeftovers.isAsideOf(two, asideOfOne)).isFalse();
    // a bare prefix (what PostgreSQL's truncation or an earlier build would give) names no database
    assertThat(PgRestoreLeftovers.isAsideOf(one, "s".repeat(39) + "_restore_20240101_000000"))
        .isFalse();
  }
}
