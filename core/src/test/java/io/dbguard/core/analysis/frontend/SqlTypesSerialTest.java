package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.frontend.SqlTypes.Change;
import org.junit.jupiter.api.Test;

/**
 * Serial pseudo-types are compared by the integer type they store: {@code serial} → {@code bigint}
 * (a Django {@code AutoField} → {@code BigAutoField}, or SQL widening a {@code serial} key) keeps
 * every value and rewrites the table; {@code bigserial} → {@code integer} can fail.
 */
class SqlTypesSerialTest {

  @Test
  void serialTypesCompareByTheirStorageType() {
    // seen failing before the change: serial -> bigint / bigserial were INCOMPATIBLE (DBG108)
    assertThat(SqlTypes.classify("serial", "bigint", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("serial", "bigserial", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("smallserial", "integer", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("serial", "integer", false)).isEqualTo(Change.SAFE);
    assertThat(SqlTypes.classify("bigserial", "integer", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("bigserial", "serial", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify(null, "bigserial", false)).isEqualTo(Change.REWRITE);
  }
}
