package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite table rebuild whose copy leaves a column behind loses that column's values (issue 13):
 * the copy's SELECT list is compared with the columns the old table has, as declared earlier in the
 * file or by the directory's earlier migrations. Examples written for this test.
 */
class SqliteRebuildColumnsTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "sqlite/" + name, sql));
  }

  private void declareBeacons() throws Exception {
    assertThat(
            rules(
                "0001_beacons.sql",
                "CREATE TABLE beacons (id INTEGER PRIMARY KEY, label TEXT, lat REAL, lon REAL);\n"
                    + "ALTER TABLE beacons ADD COLUMN battery INTEGER;\n"))
        .isEmpty();
  }

  @Test
  void aRebuildThatDoesNotCopyAKnownColumnDropsIt() throws Exception {
    declareBeacons();
    assertThat(
            rules(
                "0002_rebuild.sql",
                "CREATE TABLE beacons_v2 (id INTEGER PRIMARY KEY, label TEXT, position TEXT);\n"
                    + "INSERT INTO beacons_v2 (id, label, position)\n"
                    + "  SELECT id, label, lat || ',' || lon FROM beacons;\n"
                    + "DROP TABLE beacons;\n"
                    + "ALTER TABLE beacons_v2 RENAME TO beacons;\n"))
        .containsExactly("DBG102"); // battery is not read: lost
    // the next rebuild starts from the columns 0002 left: id, label, position
    assertThat(
            rules(
                "0003_rename_first.sql",
                "ALTER TABLE beacons RENAME TO beacons_old;\n"
                    + "CREATE TABLE beacons (id INTEGER PRIMARY KEY, label TEXT);\n"
                    + "INSERT INTO beacons (id, label) SELECT id, label FROM beacons_old;\n"
                    + "DROP TABLE beacons_old;\n"))
        .containsExactly("DBG102"); // position
  }

  @Test
  void theRenameFirstOrderIsJudgedTheSameWay() throws Exception {
    declareBeacons();
    assertThat(
            rules(
                "0002_rename_first.sql",
                "ALTER TABLE beacons RENAME TO beacons_old;\n"
                    + "CREATE TABLE beacons (id INTEGER PRIMARY KEY, label TEXT);\n"
                    + "INSERT INTO beacons (id, label) SELECT id, label FROM beacons_old;\n"
                    + "DROP TABLE beacons_old;\n"))
        .containsExactly("DBG102", "DBG102", "DBG102"); // lat, lon, battery
  }

  @Test
  void aRebuildThatCopiesAColumnIntoAnotherNameDropsItForTheRunningVersion() throws Exception {
    declareBeacons();
    // every value is copied, but the running version still selects and writes lat and lon
    assertThat(
            rules(
                "0002_position.sql",
                "CREATE TABLE beacons_v2 (id INTEGER PRIMARY KEY, label TEXT, position TEXT,"
                    + " battery INTEGER);\n"
                    + "INSERT INTO beacons_v2 (id, label, position, battery)\n"
                    + "  SELECT id, label, CAST(lat AS TEXT) || ',' || lon, battery FROM beacons;\n"
                    + "DROP TABLE beacons;\n"
                    + "ALTER TABLE beacons_v2 RENAME TO beacons;\n"))
        .containsExactly("DBG102", "DBG102");
    assertThat(
            rules(
                "0003_rename_first.sql",
                "ALTER TABLE beacons RENAME TO beacons_old;\n"
                    + "CREATE TABLE beacons (id INTEGER PRIMARY KEY, name TEXT, position TEXT,"
                    + " battery INTEGER);\n"
                    + "INSERT INTO beacons (id, name, position, battery)"
                    + " SELECT id, label, position, battery FROM beacons_old;\n"
                    + "DROP TABLE beacons_old;\n"))
        .containsExactly("DBG102"); // label
  }

  @Test
  void aRebuildThatReadsEveryKnownColumnOrStarStaysANotice() throws Exception {
    declareBeacons();
    assertThat(
            rules(
                "0002_keep.sql",
                "ALTER TABLE beacons RENAME TO beacons_old;\n"
                    + "CREATE TABLE beacons (id INTEGER PRIMARY KEY, label TEXT NOT NULL,"
                    + " lat REAL, lon REAL, battery INTEGER);\n"
                    + "INSERT INTO beacons SELECT id, coalesce(label, ''), lat, lon, battery"
                    + " FROM beacons_old;\n"
                    + "DROP TABLE beacons_old;\n"))
        .containsExactly("DBG222");
    assertThat(
            rules(
                "0003_star.sql",
                "CREATE TABLE beacons_new (id INTEGER PRIMARY KEY, label TEXT, lat REAL, lon REAL,"
                    + " battery INTEGER);\n"
                    + "INSERT INTO beacons_new SELECT * FROM beacons;\n"
                    + "DROP TABLE beacons;\n"
                    + "ALTER TABLE beacons_new RENAME TO beacons;\n"))
        .containsExactly("DBG222");
  }

  @Test
  void aColumnDroppedByAnEarlierMigrationIsNotExpectedInTheCopy() throws Exception {
    declareBeacons();
    assertThat(rules("0002_drop_battery.sql", "ALTER TABLE beacons DROP COLUMN battery;\n"))
        .containsExactly("DBG102");
    assertThat(
            rules(
                "0003_rebuild.sql",
                "ALTER TABLE beacons RENAME TO beacons_old;\n"
                    + "CREATE TABLE beacons (id INTEGER PRIMARY KEY, label TEXT, lat REAL,"
                    + " lon REAL);\n"
                    + "INSERT INTO beacons (id, label, lat, lon)"
                    + " SELECT id, label, lat, lon FROM beacons_old;\n"
                    + "DROP TABLE beacons_old;\n"))
        .containsExactly("DBG222");
  }
}
