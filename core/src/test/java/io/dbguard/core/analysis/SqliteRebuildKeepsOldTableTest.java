package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite rebuild that renames the table away first and keeps the renamed table as a backup
 * (rename, create, copy, and no {@code DROP TABLE sites_old}) is the same rebuild as the one that
 * drops it: a copy of every column is one {@code DBG222} notice, not a rename (DBG105) of the
 * table; a copy that leaves a column behind, or a new required column, gets what the dropping
 * variant gets. A rename without the copy back stays a rename. Examples written for this test.
 */
class SqliteRebuildKeepsOldTableTest {

  @TempDir Path dir;

  private AnalysisFiles.Cases cases;

  private List<String> rules(String name, String sql) throws Exception {
    if (cases == null) {
      cases = new AnalysisFiles.Cases(dir, "sqlite");
    }
    return cases.rules(name, sql);
  }

  private void declareSites() throws Exception {
    assertThat(
            rules(
                "0001_sites.sql",
                "CREATE TABLE sites (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL,"
                    + " code text, created_at text);\n"))
        .isEmpty();
  }

  /** Rename sites away, create it with {@code newDef}, run {@code copy}, then {@code tail}. */
  private static String renameFirst(String newDef, String copy, String tail) {
    return "ALTER TABLE sites RENAME TO sites_old;\n"
        + "CREATE TABLE sites ("
        + newDef
        + ");\n"
        + copy
        + "\n"
        + tail;
  }

  private static final String DEF =
      "id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, code text NOT NULL DEFAULT '',"
          + " created_at text";
  private static final String COPY_ALL =
      "INSERT INTO sites (id, name, code, created_at)"
          + " SELECT id, name, coalesce(code, ''), created_at FROM sites_old;";

  @Test
  void aRebuildThatKeepsTheRenamedTableIsARebuild() throws Exception {
    declareSites();
    // seen failing before the change: DBG105 (a rename of sites)
    assertThat(rules("0002_keep.sql", renameFirst(DEF, COPY_ALL, ""))).containsExactly("DBG222");
    // an index on the new table after the copy, a comment: the same
    assertThat(
            rules(
                "0003_keep_index.sql",
                renameFirst(
                    DEF,
                    COPY_ALL,
                    "CREATE UNIQUE INDEX sites_code ON sites (code);\n-- sites_old kept\n")))
        .containsExactly("DBG222");
    // the old table's columns not known: the same
    assertThat(rules("0001_unknown.sql", renameFirst(DEF, COPY_ALL, ""))).containsExactly("DBG222");
  }

  @Test
  void theVerdictIsTheDroppingVariants() throws Exception {
    declareSites();
    String leavesCode =
        "INSERT INTO sites (id, name, created_at) SELECT id, name, created_at FROM sites_old;";
    String newRequired =
        "INSERT INTO sites (id, name, code, created_at, owner)"
            + " SELECT id, name, code, created_at, 1 FROM sites_old;";
    String withOwner = DEF + ", owner integer NOT NULL";
    // seen failing before the change: DBG105 for each
    String[][] variants = {{DEF, leavesCode}, {withOwner, newRequired}};
    for (int i = 0; i < variants.length; i++) {
      String[] c = variants[i];
      List<String> dropping =
          rules("0002_drop" + i + ".sql", renameFirst(c[0], c[1], "DROP TABLE sites_old;\n"));
      assertThat(rules("0002_keep" + i + ".sql", renameFirst(c[0], c[1], ""))).isEqualTo(dropping);
    }
    assertThat(rules("0002_keep_left.sql", renameFirst(DEF, leavesCode, "")))
        .containsExactly("DBG102");
    assertThat(rules("0002_keep_required.sql", renameFirst(withOwner, newRequired, "")))
        .containsExactly("DBG109");
  }

  @Test
  void aRenameWithoutTheCopyBackStaysARename() throws Exception {
    declareSites();
    // no copy: the application's table is empty
    assertThat(
            rules(
                "0002_no_copy.sql",
                "ALTER TABLE sites RENAME TO sites_old;\n" + "CREATE TABLE sites (" + DEF + ");\n"))
        .containsExactly("DBG105");
    // no new table
    assertThat(rules("0002_plain.sql", "ALTER TABLE sites RENAME TO sites_archive;\n"))
        .containsExactly("DBG105");
    // the dropping variant without a copy still loses the rows
    assertThat(rules("0002_drop_no_copy.sql", renameFirst(DEF, "", "DROP TABLE sites_old;\n")))
        .containsExactly("DBG101");
  }
}
