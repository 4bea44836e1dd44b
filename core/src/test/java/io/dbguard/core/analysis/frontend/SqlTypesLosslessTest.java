package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.frontend.SqlTypes.Change;
import org.junit.jupiter.api.Test;

/**
 * A type change whose cast keeps every value of a known source type rewrites the table (REWRITE,
 * DBG209); one whose cast can fail or discard values stays INCOMPATIBLE (DBG108). The casts are
 * PostgreSQL's built-in ones (manual, chapter 8 "Data Types" and chapter 10 "Type Conversion").
 */
class SqlTypesLosslessTest {

  @Test
  void castsThatKeepEveryValueOnlyRewrite() {
    // seen failing before the change: all INCOMPATIBLE
    assertThat(SqlTypes.classify("date", "timestamp", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("date", "timestamptz", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("date", "timestamp(6)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("date", "timestamp(0)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("integer", "double precision", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("smallint", "float8", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("smallint", "real", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("serial", "double precision", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("real", "double precision", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("integer", "numeric(10,0)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("integer", "numeric(12,2)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("smallint", "numeric(5)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("bigint", "numeric(19,0)", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("numeric(6,2)", "numeric(8,4)", false)).isEqualTo(Change.REWRITE);
    // already REWRITE before the change, kept
    assertThat(SqlTypes.classify("integer", "bigint", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("integer", "numeric", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("timestamp", "timestamptz", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("uuid", "text", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("regconfig", "varchar", false)).isEqualTo(Change.REWRITE);
  }

  @Test
  void aUserDefinedTypeToTextKeepsEveryValue() {
    // seen failing before the change: a type name with an underscore, a schema or quotes (an enum,
    // a domain) was not read at all, so enum → text was INCOMPATIBLE (refused as data loss)
    assertThat(SqlTypes.classify("order_state", "text", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("public.order_state", "varchar", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("\"OrderState\"", "text", false)).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("order_state", "text", "state::text", "state"))
        .isEqualTo(Change.REWRITE);
    // the other way, or to a bounded or other type, the cast can fail
    assertThat(SqlTypes.classify("text", "order_state", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("order_state", "varchar(8)", false))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("order_state", "order_status", false))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("order_state", "order_state", false)).isEqualTo(Change.SAFE);
  }

  @Test
  void castsThatCanFailOrDiscardValuesStayIncompatible() {
    // seen failing before the change: integer to numeric(4,1) was REWRITE (warn) though 1000
    // does not fit
    assertThat(SqlTypes.classify("integer", "numeric(4,1)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("integer", "numeric(9,0)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("smallint", "numeric(6,2)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("bigint", "numeric(20,2)", false)).isEqualTo(Change.INCOMPATIBLE);
    // float8 has a 53-bit mantissa, float4 a 24-bit one
    assertThat(SqlTypes.classify("bigint", "double precision", false))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("integer", "real", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("numeric", "double precision", false))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("double precision", "real", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("timestamptz", "date", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("timestamp", "date", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("timestamptz", "timestamp", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("timestamp(6)", "timestamp(0)", false))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("numeric(8,4)", "numeric(8,2)", false))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("numeric(6,2)", "numeric(7,4)", false))
        .isEqualTo(Change.INCOMPATIBLE);
    // an unknown source stays judged by the target alone
    assertThat(SqlTypes.classify(null, "timestamp", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify(null, "double precision", false)).isEqualTo(Change.REWRITE);
  }

  @Test
  void aUsingThatOnlyCastsTheColumnIsTheCastItself() {
    // seen failing before the change: any USING was INCOMPATIBLE
    assertThat(SqlTypes.classify("uuid", "text", "id::text", "id")).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("uuid", "text", "(\"id\")::TEXT", "id")).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("integer", "varchar", "CAST(n AS varchar)", "n"))
        .isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("regconfig", "text", "coalesce(cfg::text, 'simple')", "cfg"))
        .isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("integer", "bigint", "n::bigint", "n")).isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("date", "timestamptz", "d::timestamptz", "d"))
        .isEqualTo(Change.REWRITE);
    // unknown source: a cast to text is what the change does without USING
    assertThat(SqlTypes.classify(null, "text", "x::text", "x")).isEqualTo(Change.REWRITE);
  }

  @Test
  void aUsingThatComputesOrCastsToANarrowerTypeStaysAConversion() {
    assertThat(SqlTypes.classify("uuid", "text", "upper(id::text)", "id"))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("uuid", "text", "other::text", "id"))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("numeric", "integer", "round(n)::integer", "n"))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("bigint", "integer", "n::integer", "n"))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("integer", "bigint", "n::integer::bigint", "n"))
        .isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("integer", "varchar(11)", "n::text || 'x'", "n"))
        .isEqualTo(Change.INCOMPATIBLE);
    // unknown source: text to bigint with USING can fail on the data, unlike without USING
    assertThat(SqlTypes.classify(null, "bigint", "x::bigint", "x")).isEqualTo(Change.INCOMPATIBLE);
    // a USING whose text is unknown is a conversion
    assertThat(SqlTypes.classify("uuid", "text", null, "id")).isEqualTo(Change.INCOMPATIBLE);
  }

  @Test
  void dateTimePrecisionAndArraysAreReadAsTheirBaseType() {
    // raising fractional-second precision is catalog-only (checked on PostgreSQL 15: the
    // relfilenode stays); lowering it rounds
    assertThat(SqlTypes.classify("timestamp(0)", "timestamp(3)", false)).isEqualTo(Change.SAFE);
    assertThat(SqlTypes.classify("timestamptz(3)", "timestamptz", false)).isEqualTo(Change.SAFE);
    assertThat(SqlTypes.classify("timestamp(6) without time zone", "timestamp", false))
        .isEqualTo(Change.SAFE);
    assertThat(SqlTypes.classify("timestamp(6) without time zone", "timestamptz", false))
        .isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("timestamp", "timestamp(6) with time zone", false))
        .isEqualTo(Change.REWRITE);
    assertThat(SqlTypes.classify("timestamp", "timestamptz(3)", false))
        .isEqualTo(Change.INCOMPATIBLE);
    // an array on one side only is no widening of the element type
    assertThat(SqlTypes.classify("integer", "bigint[]", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("integer[]", "varchar(11)", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("integer[]", "text", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("text[]", "text", false)).isEqualTo(Change.INCOMPATIBLE);
    assertThat(SqlTypes.classify("varchar[]", "text[]", false)).isEqualTo(Change.SAFE);
    assertThat(SqlTypes.classify("integer[]", "bigint[]", false)).isEqualTo(Change.REWRITE);
  }
}
