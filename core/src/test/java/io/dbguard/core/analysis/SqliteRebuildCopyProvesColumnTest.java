package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column history of a directory can be incomplete (earlier migrations in a format dbguard does
 * not read, such as templated {@code .gotxt} files, or migrations that no longer exist). A
 * rebuild's copy that reads by name a column the history does not know for the old table proves the
 * column exists there (SQLite rejects an unknown column): the history of that table is out of date,
 * and its columns count as not known. So a NOT NULL column of the new table that the copy reads
 * from the old one is not new (no DBG109), and a column the history still lists is not reported as
 * left behind. {@code SELECT *}, a constant or the rowid prove nothing. Examples written for this
 * test.
 */
class SqliteRebuildCopyProvesColumnTest {

  @TempDir Path dir;

  private AnalysisFiles.Cases cases;

  private List<String> rules(String name, String sql) throws Exception {
    if (cases == null) {
      cases = new AnalysisFiles.Cases(dir, "sqlite");
    }
    return cases.rules(name, sql);
  }

  /** The history: hits(id, path, bot); an unread migration later dropped bot and added width. */
  private void declareHits() throws Exception {
    assertThat(
            rules(
                "0001_hits.sql",
                "CREATE TABLE hits (id INTEGER PRIMARY KEY, path TEXT NOT NULL, bot INTEGER);\n"))
        .isEmpty();
    AnalysisFiles.write(
        dir,
        "sqlite" + 1 + "/0002_width.gotxt",
        "{{if .Sqlite}}ALTER TABLE hits DROP COLUMN bot;\n"
            + "ALTER TABLE hits ADD COLUMN width INT NOT NULL DEFAULT 0;{{end}}\n");
  }

  @Test
  void aCopyByNameProvesTheColumnExisted() throws Exception {
    declareHits();
    // seen failing before the change: DBG109 for width (and DBG102 for bot)
    String[] rebuilds = {
      "CREATE TABLE hits_new (id INTEGER PRIMARY KEY, path TEXT NOT NULL, width INT NOT NULL);\n"
          + "INSERT INTO hits_new (id, path, width) SELECT id, path, width FROM hits;\n"
          + "DROP TABLE hits;\n"
          + "ALTER TABLE hits_new RENAME TO hits;\n",
      "ALTER TABLE hits RENAME TO hits_old;\n"
          + "CREATE TABLE hits (id INTEGER PRIMARY KEY, path TEXT NOT NULL, width INT NOT NULL);\n"
          + "INSERT INTO hits (id, path, width) SELECT id, path, width FROM hits_old;\n"
          + "DROP TABLE hits_old;\n",
      // read inside an expression: SQLite would reject it all the same had the column not existed
      "CREATE TABLE hits_new (id INTEGER PRIMARY KEY, path TEXT NOT NULL, width INT NOT NULL);\n"
          + "INSERT INTO hits_new (id, path, width) SELECT id, path, coalesce(width, 0) FROM hits;\n"
          + "DROP TABLE hits;\n"
          + "ALTER TABLE hits_new RENAME TO hits;\n",
    };
    for (int k = 0; k < rebuilds.length; k++) {
      // width is copied, not new; bot, which the history lists and the copy leaves behind, may
      // have been dropped by the unread migration or may be lost now: it stays reported
      assertThat(rules("0003_case" + k + ".sql", rebuilds[k]))
          .as(rebuilds[k])
          .doesNotContain("DBG109")
          .containsExactly("DBG102");
      // the same rebuild with every column the history knows copied: a rebuild, nothing lost
      assertThat(
              rules(
                  "0003_all" + k + ".sql",
                  rebuilds[k]
                      .replace("width INT NOT NULL)", "bot INTEGER, width INT NOT NULL)")
                      .replace(
                          "(id, path, width) SELECT id, path,",
                          "(id, path, bot, width) SELECT id, path, bot,")))
          .as(rebuilds[k])
          .containsExactly("DBG222");
    }
  }

  @Test
  void whatProvesNothingIsJudgedAsBefore() throws Exception {
    declareHits();
    // a constant into the new required column: new to the running version
    assertThat(
            rules(
                "0003_constant.sql",
                "CREATE TABLE hits_new (id INTEGER PRIMARY KEY, path TEXT NOT NULL, bot INTEGER,"
                    + " width INT NOT NULL);\n"
                    + "INSERT INTO hits_new (id, path, bot, width) SELECT id, path, bot, 0 FROM"
                    + " hits;\n"
                    + "DROP TABLE hits;\n"
                    + "ALTER TABLE hits_new RENAME TO hits;\n"))
        .containsExactly("DBG109");
    // SELECT * proves nothing: the known column bot is left behind by name
    assertThat(
            rules(
                "0003_star.sql",
                "CREATE TABLE hits_new (id INTEGER PRIMARY KEY, path TEXT NOT NULL,"
                    + " width INT NOT NULL);\n"
                    + "INSERT INTO hits_new SELECT * FROM hits;\n"
                    + "DROP TABLE hits;\n"
                    + "ALTER TABLE hits_new RENAME TO hits;\n"))
        .isEqualTo(
            rules(
                "0003_star_before.sql",
                "CREATE TABLE hits_new (id INTEGER PRIMARY KEY, path TEXT NOT NULL,"
                    + " width INT NOT NULL);\n"
                    + "INSERT INTO hits_new SELECT * FROM hits;\n"
                    + "DROP TABLE hits;\n"
                    + "ALTER TABLE hits_new RENAME TO hits;\n"));
    // the rowid is every table's: a known column left behind is still lost
    assertThat(
            rules(
                "0003_rowid.sql",
                "CREATE TABLE hits_new (id INTEGER PRIMARY KEY, path TEXT NOT NULL, seq INTEGER);\n"
                    + "INSERT INTO hits_new (id, path, seq) SELECT id, path, rowid FROM hits;\n"
                    + "DROP TABLE hits;\n"
                    + "ALTER TABLE hits_new RENAME TO hits;\n"))
        .containsExactly("DBG102");
    // every column read is known: a column left behind is lost
    assertThat(
            rules(
                "0003_left.sql",
                "CREATE TABLE hits_new (id INTEGER PRIMARY KEY, path TEXT NOT NULL);\n"
                    + "INSERT INTO hits_new (id, path) SELECT id, path FROM hits;\n"
                    + "DROP TABLE hits;\n"
                    + "ALTER TABLE hits_new RENAME TO hits;\n"))
        .containsExactly("DBG102");
  }
}
