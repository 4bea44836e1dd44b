package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** String constants as PostgreSQL reads them (manual, "Dollar-Quoted String Constants"). */
class SqlLiteralsTest {

  @Test
  void dollarTagsAreEmptyOrIdentifiersNotStartingWithADigit() {
    assertThat(SqlLiterals.dollarTag("$$ x $$", 0)).isEqualTo("$$");
    assertThat(SqlLiterals.dollarTag("$sql1$ x $sql1$", 0)).isEqualTo("$sql1$");
    assertThat(SqlLiterals.dollarTag("$_a$", 0)).isEqualTo("$_a$");
    assertThat(SqlLiterals.dollarTag("$1", 0)).isNull();
    assertThat(SqlLiterals.dollarTag("$1$", 0)).isNull();
    assertThat(SqlLiterals.dollarTag("$abc", 0)).isNull();
    assertThat(SqlLiterals.dollarTag("x$$", 0)).isNull();
  }

  @Test
  void readsStandardAndDollarQuotedContentWithItsSpan() {
    int[] span = new int[2];
    String s = "f('it''s', $q1$ a 'b' $q1$)";
    assertThat(SqlLiterals.read(s, 2, span)).isEqualTo("it's");
    assertThat(s.substring(span[1])).startsWith(", $q1$");
    assertThat(SqlLiterals.read(s, s.indexOf('$'), span)).isEqualTo(" a 'b' ");
    assertThat(s.substring(span[1])).isEqualTo(")");
    assertThat(SqlLiterals.read("'open", 0, span)).isNull();
    assertThat(SqlLiterals.read("$a$ open", 0, span)).isNull();
    assertThat(SqlLiterals.read("x", 0, span)).isNull();
  }
}
