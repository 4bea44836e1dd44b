package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite table rebuild through a copy aside and back (copy {@code t} into a new table, drop
 * {@code t}, create {@code t} again, copy the rows back) keeps the rows: a {@code DBG222} notice,
 * or {@code DBG102} per column that does not come back; without the copy back the drop is {@code
 * DBG101}. Examples written for this test.
 */
class SqliteRebuildCopyBackTest {

  @TempDir Path dir;

  /**
   * The cases, each in a directory of its own; made on first use, after {@code @TempDir} is set.
   */
  private AnalysisFiles.Cases cases;

  private List<String> rules(String name, String sql) throws Exception {
    if (cases == null) {
      cases = new AnalysisFiles.Cases(dir, "sqlite");
    }
    return cases.rules(name, sql);
  }

  private void declareKites() throws Exception {
    assertThat(
            rules(
                "0001_kites.sql",
                "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT, span REAL,"
                    + " owner_id INTEGER);\n"
                    + "CREATE INDEX kites_owner ON kites (owner_id);\n"))
        .isEmpty();
  }

  @Test
  void aCopyAsideAndBackOfEveryColumnIsARebuild() throws Exception {
    declareKites();
    assertThat(
            rules(
                "0002_span_not_null.sql",
                "CREATE TABLE kites_backup (id INTEGER, colour TEXT, span REAL, owner_id INTEGER);\n"
                    + "INSERT INTO kites_backup (id, colour, span, owner_id)\n"
                    + "  SELECT id, colour, span, owner_id FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT,"
                    + " span REAL NOT NULL DEFAULT 1.0, owner_id INTEGER);\n"
                    + "INSERT INTO kites (id, colour, span, owner_id)\n"
                    + "  SELECT id, colour, coalesce(span, 1.0), owner_id FROM kites_backup;\n"
                    + "DROP TABLE kites_backup;\n"
                    + "CREATE INDEX kites_owner ON kites (owner_id);\n"))
        .containsExactly("DBG222");
  }

  @Test
  void aTableQueryCopyAsideIsACopyToo() throws Exception {
    declareKites();
    assertThat(
            rules(
                "0002_temp_star.sql",
                "CREATE TEMPORARY TABLE kites_tmp AS SELECT * FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT NOT NULL DEFAULT '',"
                    + " span REAL, owner_id INTEGER REFERENCES owners (id));\n"
                    + "INSERT INTO kites SELECT id, coalesce(colour, ''), span, owner_id"
                    + " FROM kites_tmp;\n"
                    + "DROP TABLE kites_tmp;\n"))
        .containsExactly("DBG222");
    assertThat(
            rules(
                "0003_named.sql",
                "CREATE TABLE kites_old AS SELECT id, colour, span, owner_id FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT, span REAL,"
                    + " owner_id INTEGER);\n"
                    + "INSERT INTO kites (id, colour, span, owner_id)"
                    + " SELECT id, colour, span, owner_id FROM kites_old;\n"
                    + "DROP TABLE kites_old;\n"))
        .containsExactly("DBG222");
  }

  @Test
  void aColumnRenamedInTheCopyAsideAndReadBackIsKept() throws Exception {
    declareKites();
    assertThat(
            rules(
                "0002_alias.sql",
                "CREATE TEMP TABLE k AS SELECT id, colour AS hue, span, owner_id FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT, span REAL,"
                    + " owner_id INTEGER);\n"
                    + "INSERT INTO kites (id, colour, span, owner_id)"
                    + " SELECT id, hue, span, owner_id FROM k;\n"))
        .containsExactly("DBG222");
  }

  @Test
  void aLossyCastInTheCopyBackIsATypeFinding() throws Exception {
    declareKites();
    assertThat(
            rules(
                "0002_cast.sql",
                "CREATE TABLE k AS SELECT * FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT, span INTEGER,"
                    + " owner_id INTEGER);\n"
                    + "INSERT INTO kites (id, colour, span, owner_id)"
                    + " SELECT id, colour, CAST(span AS INTEGER), owner_id FROM k;\n"
                    + "DROP TABLE k;\n"))
        .containsExactly("DBG108");
  }

  @Test
  void aColumnNotCopiedAsideOrNotCopiedBackIsDropped() throws Exception {
    declareKites();
    // span is not copied aside
    assertThat(
            rules(
                "0002_aside_misses.sql",
                "CREATE TABLE kites_tmp AS SELECT id, colour, owner_id FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT, span REAL,"
                    + " owner_id INTEGER);\n"
                    + "INSERT INTO kites (id, colour, owner_id)"
                    + " SELECT id, colour, owner_id FROM kites_tmp;\n"
                    + "DROP TABLE kites_tmp;\n"))
        .containsExactly("DBG102");
  }

  @Test
  void aColumnNotCopiedBackIsDropped() throws Exception {
    declareKites();
    // everything is copied aside, colour is not copied back (and the new table has no colour)
    assertThat(
            rules(
                "0002_back_misses.sql",
                "CREATE TABLE kites_tmp (id INTEGER, colour TEXT, span REAL, owner_id INTEGER);\n"
                    + "INSERT INTO kites_tmp SELECT * FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, span REAL, owner_id INTEGER);\n"
                    + "INSERT INTO kites (id, span, owner_id)"
                    + " SELECT id, span, owner_id FROM kites_tmp;\n"
                    + "DROP TABLE kites_tmp;\n"))
        .containsExactly("DBG102");
    // a star copy aside into a table of unknown columns: owner_id does not come back
    assertThat(
            rules(
                "0003_star_back_misses.sql",
                "CREATE TEMP TABLE k AS SELECT * FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT, span REAL,"
                    + " owner_id INTEGER);\n"
                    + "INSERT INTO kites (id, colour, span) SELECT id, colour, span FROM k;\n"
                    + "DROP TABLE k;\n"))
        .containsExactly("DBG102");
  }

  @Test
  void theOldColumnsUnknownAndTheCopyBackCoveringTheNewTableIsARebuild() throws Exception {
    assertThat(
            rules(
                "0001_only.sql",
                "CREATE TABLE reels_aside (id INTEGER, title TEXT);\n"
                    + "INSERT INTO reels_aside (id, title) SELECT id, title FROM reels;\n"
                    + "DROP TABLE reels;\n"
                    + "CREATE TABLE reels (id INTEGER PRIMARY KEY, title TEXT);\n"
                    + "INSERT INTO reels (id, title) SELECT id, title FROM reels_aside;\n"
                    + "DROP TABLE reels_aside;\n"))
        .containsExactly("DBG222");
  }

  @Test
  void aDropWithoutTheCopyBackStaysADrop() throws Exception {
    declareKites();
    // copied aside, created again, but never copied back: the rows stay in kites_tmp only
    assertThat(
            rules(
                "0002_no_back.sql",
                "CREATE TABLE kites_tmp AS SELECT * FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT);\n"))
        .containsExactly("DBG101");
    // copied back only after the aside copy is dropped: nothing comes back
    assertThat(
            rules(
                "0003_dropped_first.sql",
                "CREATE TABLE kites_tmp AS SELECT * FROM kites;\n"
                    + "DROP TABLE kites;\n"
                    + "DROP TABLE kites_tmp;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT);\n"))
        .containsExactly("DBG101");
    // no copy aside at all
    assertThat(
            rules(
                "0004_plain.sql",
                "DROP TABLE kites;\n"
                    + "CREATE TABLE kites (id INTEGER PRIMARY KEY, colour TEXT);\n"))
        .containsExactly("DBG101");
  }
}
