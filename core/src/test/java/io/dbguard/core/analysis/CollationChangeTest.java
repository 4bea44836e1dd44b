package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ALTER COLUMN … TYPE t COLLATE c} with the same base type keeps every value and does not
 * rewrite the table, but PostgreSQL rebuilds the column's indexes under ACCESS EXCLUSIVE (manual,
 * ALTER TABLE: a collation change requires the indexes to be rebuilt): DBG209, as for {@code text}
 * to {@code citext}. Removing or raising a length limit without {@code COLLATE} stays silent. Every
 * migration here was written for this test.
 */
class CollationChangeTest {

  @TempDir Path dir;

  private List<Finding> sql(String create, String change) throws Exception {
    Path d = dir.resolve("sql" + Math.abs((create + change).hashCode()));
    AnalysisFiles.write(d, "V1__create.sql", create + ";\n");
    return AnalysisFiles.findings(AnalysisFiles.write(d, "V2__change.sql", change + ";\n"));
  }

  private static List<String> ids(List<Finding> found) {
    return found.stream().map(Finding::ruleId).toList();
  }

  @Test
  void aCollationChangeOnTheSameTypeRebuildsIndexes() throws Exception {
    List<Finding> found =
        sql(
            "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar)",
            "ALTER TABLE boats ALTER COLUMN hull TYPE varchar COLLATE \"C\"");
    assertThat(ids(found)).containsExactly("DBG209");
    assertThat(found.get(0).message()).contains("collation").contains("\"C\"").contains("indexes");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull text)",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE text COLLATE \"und-x-icu\"")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar(40))",
                    "ALTER TABLE boats ALTER COLUMN hull SET DATA TYPE varchar(80)"
                        + " COLLATE pg_catalog.\"default\"")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar(40))",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE text COLLATE \"C\"")))
        .containsExactly("DBG209");
  }

  @Test
  void aCollationChangeWithACastUsingIsJudgedTheSame() throws Exception {
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull text)",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE text COLLATE \"C\" USING hull::text")))
        .containsExactly("DBG209");
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar(20))",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE varchar(20) COLLATE \"C\""
                        + " USING CAST(hull AS varchar(20))")))
        .containsExactly("DBG209");
  }

  @Test
  void thePreviousTypeFromAnEarlierFileOfTheDirectory() throws Exception {
    Path d = dir.resolve("history");
    AnalysisFiles.write(
        d, "001_boats.sql", "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar(60));\n");
    AnalysisFiles.write(d, "002_crews.sql", "CREATE TABLE crews (id bigint PRIMARY KEY);\n");
    Path change =
        AnalysisFiles.write(
            d,
            "003_hull_c.sql",
            "ALTER TABLE boats ALTER COLUMN hull TYPE varchar(60) COLLATE \"C\";\n");
    assertThat(AnalysisFiles.ruleIds(change)).containsExactly("DBG209");
  }

  @Test
  void nearMissesKeepTodaysVerdict() throws Exception {
    // removing or raising a length limit without COLLATE: catalog-only, nothing to report
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar(40))",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE varchar")))
        .isEmpty();
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar(40))",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE text")))
        .isEmpty();
    // a narrowing length stays refused, with or without COLLATE
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull varchar(40))",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE varchar(20) COLLATE \"C\"")))
        .containsExactly("DBG108");
    // a conversion USING stays refused
    assertThat(
            ids(
                sql(
                    "CREATE TABLE boats (id bigint PRIMARY KEY, hull text)",
                    "ALTER TABLE boats ALTER COLUMN hull TYPE text COLLATE \"C\""
                        + " USING lower(hull)")))
        .containsExactly("DBG108");
    // citext keeps its own message
    List<Finding> citext =
        sql(
            "CREATE TABLE boats (id bigint PRIMARY KEY, hull text)",
            "ALTER TABLE boats ALTER COLUMN hull TYPE citext");
    assertThat(ids(citext)).containsExactly("DBG209");
    assertThat(citext.get(0).message()).doesNotContain("collation");
    // a table created in the same batch: nothing to rebuild
    Path d = dir.resolve("batch");
    Path f =
        AnalysisFiles.write(
            d,
            "V1__boats.sql",
            "CREATE TABLE boats (id bigint PRIMARY KEY, hull text);\n"
                + "ALTER TABLE boats ALTER COLUMN hull TYPE text COLLATE \"C\";\n");
    assertThat(AnalysisFiles.ruleIds(f)).isEmpty();
  }
}
