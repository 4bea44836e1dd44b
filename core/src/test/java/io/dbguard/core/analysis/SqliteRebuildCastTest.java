package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite table rebuild (or a column moved aside and back) whose copy reads a column through a
 * {@code CAST} that can lose values is data loss (issue 13, class "rebuild through a narrowing
 * cast"): SQLite's CAST of text to INTEGER or REAL keeps only the longest numeric prefix ({@code
 * CAST('5 kg' AS INTEGER)} is 5, {@code CAST('heavy' AS INTEGER)} is 0) and REAL to INTEGER
 * truncates (SQLite docs, "CAST expressions"). A cast that keeps every value (integer to text or
 * real, a type to its own) leaves the rebuild a full copy. Examples written for this test.
 */
class SqliteRebuildCastTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "sqlite/" + name, sql));
  }

  /**
   * Declares the hives table in each example's directory (a directory per example: a rebuild is an
   * earlier migration of the files after it).
   */
  private void declareHives() throws Exception {
    for (String sub : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) {
      declareHives(sub);
    }
  }

  private void declareHives(String sub) throws Exception {
    assertThat(
            rules(
                sub + "/0001_hives.sql",
                "CREATE TABLE hives (id INTEGER PRIMARY KEY, name TEXT, weight VARCHAR(20),"
                    + " frames REAL, colonies INTEGER, photo BLOB);\n"))
        .isEmpty();
  }

  private static String rebuild(String weight, String frames, String colonies) {
    return "CREATE TABLE hives_new (id INTEGER PRIMARY KEY, name TEXT, weight INTEGER,"
        + " frames INTEGER, colonies TEXT, photo BLOB);\n"
        + "INSERT INTO hives_new (id, name, weight, frames, colonies, photo)\n"
        + "  SELECT id, name, "
        + weight
        + ", "
        + frames
        + ", "
        + colonies
        + ", photo FROM hives;\n"
        + "DROP TABLE hives;\n"
        + "ALTER TABLE hives_new RENAME TO hives;\n";
  }

  @Test
  void aCopyThroughATextToIntegerCastIsRefused() throws Exception {
    declareHives();
    // seen failing before the change: DBG222 (a full copy, notice)
    assertThat(rules("a/0002.sql", rebuild("CAST(weight AS INTEGER)", "frames", "colonies")))
        .containsExactly("DBG108");
    assertThat(AnalysisFiles.findings(dir.resolve("sqlite/a/0002.sql")).get(0).message())
        .contains("weight")
        .contains("CAST");
  }

  @Test
  void aCopyThroughARealToIntegerCastIsRefused() throws Exception {
    declareHives();
    assertThat(rules("b/0002.sql", rebuild("weight", "CAST(frames AS INTEGER)", "colonies")))
        .containsExactly("DBG108");
    // PostgreSQL-style cast, blob to numeric
    assertThat(
            rules(
                "c/0002.sql",
                rebuild("weight", "frames", "colonies")
                    .replace(", photo FROM", ", CAST(photo AS NUMERIC) FROM")))
        .containsExactly("DBG108");
  }

  @Test
  void aCopyThroughACastThatKeepsEveryValueStaysAFullCopy() throws Exception {
    declareHives();
    assertThat(
            rules(
                "d/0002.sql",
                rebuild("CAST(weight AS TEXT)", "CAST(frames AS REAL)", "CAST(colonies AS TEXT)")))
        .containsExactly("DBG222");
    assertThat(rules("e/0002.sql", rebuild("weight", "frames", "CAST(colonies AS REAL)")))
        .containsExactly("DBG222");
  }

  @Test
  void anUnknownSourceTypeNarrowedByACastIsRefused() throws Exception {
    // no earlier migration declares the old table
    String sql =
        "ALTER TABLE keepers RENAME TO keepers_old;\n"
            + "CREATE TABLE keepers (id INTEGER PRIMARY KEY, age INTEGER);\n"
            + "INSERT INTO keepers (id, age) SELECT id, %s FROM keepers_old;\n"
            + "DROP TABLE keepers_old;\n";
    assertThat(rules("x/0001_a.sql", sql.formatted("CAST(age AS INTEGER)")))
        .containsExactly("DBG108");
    assertThat(rules("y/0001_a.sql", sql.formatted("CAST(age AS TEXT)"))).containsExactly("DBG222");
  }

  @Test
  void theRenameFirstOrderKnowsTheTypeFromEarlierMigrations() throws Exception {
    declareHives();
    String sql =
        "ALTER TABLE hives RENAME TO hives_old;\n"
            + "CREATE TABLE hives (id INTEGER PRIMARY KEY, name TEXT, weight REAL,"
            + " frames REAL, colonies INTEGER, photo BLOB);\n"
            + "INSERT INTO hives SELECT id, name, %s, frames, %s, photo FROM hives_old;\n"
            + "DROP TABLE hives_old;\n";
    assertThat(rules("f/0002.sql", sql.formatted("weight", "CAST(colonies AS INTEGER)")))
        .containsExactly("DBG222");
    // varchar(20) to REAL, the type known from 0001 only
    assertThat(rules("g/0002.sql", sql.formatted("CAST(weight AS REAL)", "colonies")))
        .containsExactly("DBG108");
  }

  @Test
  void onPostgresqlACastOfAKnownTypeIsJudgedAndAnUnknownOneIsNot() throws Exception {
    assertThat(
            AnalysisFiles.ruleIds(
                AnalysisFiles.write(
                    dir, "pg/V1__swarms.sql", "CREATE TABLE swarms (id int, size text);\n")))
        .isEmpty();
    String move =
        "ALTER TABLE swarms RENAME COLUMN %1$s TO %1$s_old;\n"
            + "ALTER TABLE swarms ADD COLUMN %1$s integer;\n"
            + "UPDATE swarms SET %1$s = %1$s_old::integer;\n"
            + "ALTER TABLE swarms DROP COLUMN %1$s_old;\n";
    // text to integer: the copy fails on '3 kg' (and rolls back) — refused with the backfill
    assertThat(
            AnalysisFiles.ruleIds(
                AnalysisFiles.write(dir, "pg/V2__size.sql", move.formatted("size"))))
        .containsExactly("DBG223", "DBG108");
    // a column no migration declares: not judged here
    assertThat(
            AnalysisFiles.ruleIds(
                AnalysisFiles.write(dir, "pg2/V2__queens.sql", move.formatted("queens"))))
        .containsExactly("DBG223");
  }

  @Test
  void aColumnMovedBackThroughANarrowingCastIsRefused() throws Exception {
    declareHives();
    String move =
        "ALTER TABLE hives RENAME COLUMN %1$s TO %1$s_old;\n"
            + "ALTER TABLE hives ADD COLUMN %1$s %2$s;\n"
            + "UPDATE hives SET %1$s = CAST(%1$s_old AS %2$s);\n"
            + "ALTER TABLE hives DROP COLUMN %1$s_old;\n";
    // seen failing before the change: DBG222
    assertThat(rules("h/0002.sql", move.formatted("weight", "INTEGER"))).containsExactly("DBG108");
    assertThat(rules("i/0002.sql", move.formatted("colonies", "TEXT"))).containsExactly("DBG222");
  }
}
