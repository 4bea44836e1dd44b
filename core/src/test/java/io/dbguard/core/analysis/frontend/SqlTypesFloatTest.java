package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.frontend.SqlTypes.Change;
import org.junit.jupiter.api.Test;

/**
 * {@code float} is {@code double precision}, {@code float(1)} to {@code float(24)} is {@code real}
 * and {@code float(25)} to {@code float(53)} is {@code double precision} (PostgreSQL manual,
 * "Floating-Point Types"), so a change to {@code float} is judged as one to {@code double
 * precision}.
 */
class SqlTypesFloatTest {

  @Test
  void floatIsDoublePrecision() {
    // seen failing before the change: float was an unknown type name (DBG108 from anything)
    assertThat(SqlTypes.normalise("FLOAT")).isEqualTo("double precision");
    assertThat(SqlTypes.normalise("float(24)")).isEqualTo("real");
    assertThat(SqlTypes.normalise("float(53)")).isEqualTo("double precision");
    assertThat(SqlTypes.normalise("float[]")).isEqualTo("double precision[]");
    assertThat(SqlTypes.classify(null, "float", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("real", "float", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("double precision", "float", false)).isEqualTo(Change.SAFE);
    assertThat(SqlTypes.classify("float8", "float(10)", false)).isEqualTo(Change.INCOMPATIBLE);
  }
}
