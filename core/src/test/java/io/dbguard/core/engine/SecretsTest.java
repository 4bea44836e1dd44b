package io.dbguard.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void redactsUrlPasswordsWithoutParsing() {
    assertThat(Secrets.redactUrls("x postgresql://app:abc/DEF+g?h#i@j==@db:5432/shop y"))
        .isEqualTo("x postgresql://app:***@db:5432/shop y");
    assertThat(Secrets.redactUrls("jdbc:postgresql://h/db?user=a&SSLPASSWORD=k1&PassWord=k2"))
        .isEqualTo("jdbc:postgresql://h/db?user=a&SSLPASSWORD=***&PassWord=***");
    assertThat(Secrets.redactUrls("PGPASSWORD=hunter2 psql")).isEqualTo("PGPASSWORD=*** psql");
  }

  @Test
  void scrubsWholeShortSecretsOnlyAndLongOnesEverywhere() {
    assertThat(Secrets.scrub("check the host and port; password p was refused", "p"))
        .isEqualTo("check the host and port; password *** was refused");
    assertThat(Secrets.scrub("token=Zw8tRvLq9 and xZw8tRvLq9x", "Zw8tRvLq9"))
        .isEqualTo("token=*** and x***x");
    assertThat(Secrets.scrub("url app:a%2Fb@h", "a/b")).isEqualTo("url app:***@h");
  }

  @Test
  void anUnparseableValueIsNamedByItsSchemeOnly() {
    assertThat(Secrets.describeUnparsed("postgresql://app:a/b@h/db")).isEqualTo("postgresql://…");
    assertThat(Secrets.describeUnparsed("hunter2:xyz"))
        .doesNotContain("hunter2")
        .doesNotContain("xyz");
  }
}
