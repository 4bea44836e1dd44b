package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.frontend.SqlTypes.Change;
import org.junit.jupiter.api.Test;

/**
 * A change to a bounded {@code varchar(n)} from a known type whose every value's text form fits
 * {@code n} keeps every value (it rewrites the table); one that may not fit can fail.
 */
class SqlTypesBoundedTextTest {

  @Test
  void aTypeWhoseTextAlwaysFitsTheNewLimitOnlyRewrites() {
    // seen failing before the change: all INCOMPATIBLE (DBG108)
    assertThat(SqlTypes.classify("inet", "varchar(64)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("integer", "character varying(11)", false))
        .isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("uuid", "varchar(36)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("bool", "varchar(5)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("char(8)", "varchar(8)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("bigserial", "varchar(20)", false)).isEqualTo(Change.REWRITE);
  }

  @Test
  void aTypeWhoseTextMayNotFitStaysIncompatible() {
    assertThat(SqlTypes.classify("inet", "varchar(15)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("integer", "varchar(10)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("bigint", "varchar(19)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("char(9)", "varchar(8)", false)).isEqualTo(Change.INCOMPATIBLE);
    // unbounded or DateStyle-dependent text forms: no bound is assumed
    assertThat(SqlTypes.classify("numeric", "varchar(200)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("date", "varchar(200)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("jsonb", "varchar(200)", false)).isEqualTo(Change.INCOMPATIBLE);
    // unknown source: the target alone decides, as before
    assertThat(SqlTypes.classify(null, "varchar(64)", false)).isEqualTo(Change.INCOMPATIBLE);
    // an explicit USING is a conversion
    assertThat(SqlTypes.classify("inet", "varchar(64)", true)).isEqualTo(Change.INCOMPATIBLE);
  }
}
