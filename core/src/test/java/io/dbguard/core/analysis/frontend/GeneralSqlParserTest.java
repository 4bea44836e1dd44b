package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The retry that quotes a column named {@code interval}: only bare words outside strings. */
class GeneralSqlParserTest {

  @Test
  void onlyBareIntervalColumnsOutsideStringsAndCommentsAreQuoted() {
    assertThat(
            GeneralSqlParser.quoteIntervalColumns(
                "UPDATE t SET interval = interval * 60, note = 'interval = 1' -- interval,\n"))
        .isEqualTo(
            "UPDATE t SET \"interval\" = \"interval\" * 60, note = 'interval = 1' -- interval,\n");
  }

  @Test
  void literalsCastsAndTypesAreLeftAlone() {
    String sql =
        "SELECT x::interval, CAST(y AS interval), INTERVAL '1 day', interval(3) '2 s',"
            + " \"interval\", /* interval, */ 1 FROM t";
    assertThat(GeneralSqlParser.quoteIntervalColumns(sql)).isEqualTo(sql);
    assertThat(GeneralSqlParser.quoteIntervalColumns("SELECT t.interval FROM t"))
        .isEqualTo("SELECT t.\"interval\" FROM t");
  }
}
