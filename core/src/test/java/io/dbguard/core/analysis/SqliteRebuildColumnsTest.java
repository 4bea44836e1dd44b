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

  @Test
  void aGeneratedColumnOfTheOldTableIsNotRequiredInTheCopy() throws Exception {
    // a generated column cannot be inserted into and is recomputed: leaving it out loses nothing
    assertThat(
            rules(
                "0001_parcels.sql",
                "CREATE TABLE parcels (id INTEGER PRIMARY KEY, grams INTEGER NOT NULL,\n"
                    + "  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL,\n"
                    + "  label TEXT AS (upper(code)) STORED, code TEXT);\n"))
        .isEmpty();
    assertThat(
            rules(
                "0002_rebuild.sql",
                "CREATE TABLE parcels_new (id INTEGER PRIMARY KEY, grams INTEGER NOT NULL,\n"
                    + "  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL,\n"
                    + "  label TEXT AS (upper(code)) STORED, code TEXT NOT NULL DEFAULT '');\n"
                    + "INSERT INTO parcels_new (id, grams, code)\n"
                    + "  SELECT id, grams, coalesce(code, '') FROM parcels;\n"
                    + "DROP TABLE parcels;\n"
                    + "ALTER TABLE parcels_new RENAME TO parcels;\n"))
        .containsExactly("DBG222");
    // a generated column added by ALTER TABLE (SQLite allows VIRTUAL there), rename-first order
    assertThat(
            rules(
                "0003_add_virtual.sql",
                "ALTER TABLE parcels ADD COLUMN heavy INTEGER GENERATED ALWAYS AS"
                    + " (grams > 20000) VIRTUAL;\n"))
        .isEmpty();
    assertThat(
            rules(
                "0004_rename_first.sql",
                "ALTER TABLE parcels RENAME TO parcels_old;\n"
                    + "CREATE TABLE parcels (id INTEGER PRIMARY KEY, grams INTEGER NOT NULL,\n"
                    + "  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL,\n"
                    + "  label TEXT AS (upper(code)) STORED, code TEXT NOT NULL DEFAULT '',\n"
                    + "  heavy INTEGER AS (grams > 25000));\n"
                    + "INSERT INTO parcels (id, grams, code) SELECT id, grams, code"
                    + " FROM parcels_old;\n"
                    + "DROP TABLE parcels_old;\n"))
        .containsExactly("DBG222");
    // a plain column is still required: code left behind is lost
    assertThat(
            rules(
                "0005_lose_code.sql",
                "CREATE TABLE parcels_new (id INTEGER PRIMARY KEY, grams INTEGER NOT NULL,\n"
                    + "  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL);\n"
                    + "INSERT INTO parcels_new (id, grams) SELECT id, grams FROM parcels;\n"
                    + "DROP TABLE parcels;\n"
                    + "ALTER TABLE parcels_new RENAME TO parcels;\n"))
        // code is lost; label and heavy need no copy, but the rebuilt table has no such columns
        // and the running version still reads them
        .containsExactly("DBG102", "DBG102", "DBG102");
  }

  @Test
  void aColumnTheNewTableComputesIsNotRequiredInTheCopy() throws Exception {
    declareBeacons();
    // battery becomes a generated column of the rebuilt table: it is recomputed, not copied
    assertThat(
            rules(
                "0002_rebuild.sql",
                "CREATE TABLE beacons_v2 (id INTEGER PRIMARY KEY, label TEXT, lat REAL, lon REAL,"
                    + " battery INTEGER GENERATED ALWAYS AS (100) STORED);\n"
                    + "INSERT INTO beacons_v2 (id, label, lat, lon)\n"
                    + "  SELECT id, label, lat, lon FROM beacons;\n"
                    + "DROP TABLE beacons;\n"
                    + "ALTER TABLE beacons_v2 RENAME TO beacons;\n"))
        .containsExactly("DBG222");
  }

  @Test
  void anAddedGeneratedColumnIsNeitherAnIdentityNorAColumnToFill() throws Exception {
    // SQLite's short form: AS (…) is the generation expression, not part of the type, and a
    // NOT NULL generated column needs no default
    assertThat(
            rules(
                "0002_heavy.sql",
                "ALTER TABLE beacons ADD COLUMN far INTEGER AS (abs(lat) > 60) NOT NULL;\n"))
        .isEmpty();
    // PostgreSQL: a stored generated column rewrites the table, an identity fills every row
    assertThat(
            AnalysisFiles.ruleIds(
                AnalysisFiles.write(
                    dir,
                    "pg/V2__generated.sql",
                    "ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS"
                        + " (qty * price) STORED;\n"
                        + "ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;\n")))
        .containsExactly("DBG215", "DBG217");
  }
}
