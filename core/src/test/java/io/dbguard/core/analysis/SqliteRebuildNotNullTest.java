package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite table rebuild whose new table has a {@code NOT NULL} column without a default that the
 * copy does not fill fails on a table with rows ("NOT NULL constraint failed"): {@code DBG109}, in
 * every order of the rebuild. A default, a value supplied by the copy, a copy without a column
 * list, a nullable column or the rowid ({@code INTEGER PRIMARY KEY}) keep today's notice. Examples
 * written for this test.
 */
class SqliteRebuildNotNullTest {

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

  private void declareLamps() throws Exception {
    assertThat(
            rules(
                "0001_lamps.sql", "CREATE TABLE lamps (id INTEGER PRIMARY KEY, watts INTEGER);\n"))
        .isEmpty();
  }

  /** The create-copy-drop-rename rebuild of lamps into {@code newDef} with {@code copy}. */
  private List<String> createFirst(String name, String newDef, String copy) throws Exception {
    return rules(
        name,
        "CREATE TABLE lamps_new ("
            + newDef
            + ");\n"
            + copy
            + "\nDROP TABLE lamps;\n"
            + "ALTER TABLE lamps_new RENAME TO lamps;\n");
  }

  @Test
  void aRequiredColumnTheCopyDoesNotFillBreaksTheRebuild() throws Exception {
    declareLamps();
    assertThat(
            createFirst(
                "0002_create_first.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER, label TEXT NOT NULL",
                "INSERT INTO lamps_new (id, watts) SELECT id, watts FROM lamps;"))
        .containsExactly("DBG109");
    assertThat(
            rules(
                "0003_rename_first.sql",
                "ALTER TABLE lamps RENAME TO lamps_old;\n"
                    + "CREATE TABLE lamps (id INTEGER PRIMARY KEY, watts INTEGER,"
                    + " room TEXT NOT NULL, label TEXT NOT NULL);\n"
                    + "INSERT INTO lamps (id, watts) SELECT id, watts FROM lamps_old;\n"
                    + "DROP TABLE lamps_old;\n"))
        .containsExactly("DBG109", "DBG109");
    assertThat(
            rules(
                "0004_aside.sql",
                "CREATE TEMP TABLE lamps_tmp AS SELECT * FROM lamps;\n"
                    + "DROP TABLE lamps;\n"
                    + "CREATE TABLE lamps (id INTEGER PRIMARY KEY, watts INTEGER,"
                    + " socket TEXT NOT NULL);\n"
                    + "INSERT INTO lamps (id, watts) SELECT id, watts FROM lamps_tmp;\n"
                    + "DROP TABLE lamps_tmp;\n"))
        .containsExactly("DBG109");
  }

  @Test
  void theFindingIsAtTheCopyAndSaysWhatItDoesNotFill() throws Exception {
    declareLamps();
    Path f =
        AnalysisFiles.write(
            dir,
            "sqlite" + cases + "/0002_message.sql",
            "CREATE TABLE lamps_new (id INTEGER PRIMARY KEY, watts INTEGER,"
                + " label TEXT NOT NULL);\n"
                + "INSERT INTO lamps_new (id, watts)\n"
                + "  SELECT id, watts FROM lamps;\n"
                + "DROP TABLE lamps;\n"
                + "ALTER TABLE lamps_new RENAME TO lamps;\n");
    List<Finding> found = AnalysisFiles.findings(f);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).ruleId()).isEqualTo("DBG109");
    assertThat(found.get(0).line()).isEqualTo(2);
    assertThat(found.get(0).message())
        .contains("lamps_new.label NOT NULL without a default")
        .contains("does not fill it");
  }

  @Test
  void aKeyThatIsNotTheRowidMustBeFilled() throws Exception {
    declareLamps();
    // INT PRIMARY KEY is not an alias of the rowid (only the type INTEGER is)
    assertThat(
            createFirst(
                "0002_int_key.sql",
                "code INT NOT NULL PRIMARY KEY, id INTEGER, watts INTEGER",
                "INSERT INTO lamps_new (id, watts) SELECT id, watts FROM lamps;"))
        .containsExactly("DBG109");
  }

  @Test
  void aDefaultOrAValueFromTheCopyKeepsTheNotice() throws Exception {
    declareLamps();
    // a default
    assertThat(
            createFirst(
                "0002_default.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER, label TEXT NOT NULL DEFAULT 'lamp'",
                "INSERT INTO lamps_new (id, watts) SELECT id, watts FROM lamps;"))
        .containsExactly("DBG222");
    // an expression over a column the table had
    assertThat(
            createFirst(
                "0003_values.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER NOT NULL",
                "INSERT INTO lamps_new (id, watts) SELECT id, coalesce(watts, 0) FROM lamps;"))
        .containsExactly("DBG222");
    // no column list: the SELECT fills every column in order
    assertThat(
            createFirst(
                "0004_no_list.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER NOT NULL",
                "INSERT INTO lamps_new SELECT id, coalesce(watts, 0) FROM lamps;"))
        .containsExactly("DBG222");
    // nullable
    assertThat(
            createFirst(
                "0005_nullable.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER, label TEXT",
                "INSERT INTO lamps_new (id, watts) SELECT id, watts FROM lamps;"))
        .containsExactly("DBG222");
  }

  /**
   * A required column the old table did not have: the copy fills the old rows, but the running
   * version, which does not know the column, inserts rows without it and fails.
   */
  @Test
  void aNewRequiredColumnBreaksTheRunningVersionsInsertsEvenWhenTheCopyFillsIt() throws Exception {
    declareLamps();
    // seen failing before the change: DBG222 alone
    assertThat(
            createFirst(
                "0002_new_required.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER, label TEXT NOT NULL,"
                    + " lumen INTEGER NOT NULL",
                "INSERT INTO lamps_new (id, label, lumen, watts)"
                    + " SELECT id, 'lamp', watts * 12, watts FROM lamps;"))
        .containsExactly("DBG109", "DBG109");
    assertThat(
            rules(
                "0003_new_required_renamed_first.sql",
                "ALTER TABLE lamps RENAME TO lamps_old;\n"
                    + "CREATE TABLE lamps (id INTEGER PRIMARY KEY, watts INTEGER,"
                    + " uid TEXT NOT NULL);\n"
                    + "INSERT INTO lamps (id, watts, uid) SELECT id, watts, id FROM lamps_old;\n"
                    + "DROP TABLE lamps_old;\n"))
        .containsExactly("DBG109");
    // with a default the running version's inserts succeed
    assertThat(
            createFirst(
                "0004_new_with_default.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER, label TEXT NOT NULL DEFAULT 'lamp'",
                "INSERT INTO lamps_new (id, label, watts) SELECT id, 'lamp', watts FROM lamps;"))
        .containsExactly("DBG222");
  }

  @Test
  void aRequiredColumnOfATableWhoseColumnsAreUnknownKeepsTheNotice() throws Exception {
    assertThat(
            createFirst(
                "0001_unknown.sql",
                "id INTEGER PRIMARY KEY, watts INTEGER, label TEXT NOT NULL",
                "INSERT INTO lamps_new (id, label, watts) SELECT id, 'lamp', watts FROM lamps;"))
        .containsExactly("DBG222");
  }

  @Test
  void theRowidIsFilledAutomatically() throws Exception {
    declareLamps();
    assertThat(
            rules(
                "0002_rowid.sql",
                "ALTER TABLE lamps RENAME TO lamps_old;\n"
                    + "CREATE TABLE lamps (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,"
                    + " watts INTEGER);\n"
                    + "INSERT INTO lamps (watts, id) SELECT watts, id FROM lamps_old;\n"
                    + "DROP TABLE lamps_old;\n"))
        .containsExactly("DBG222");
    // a table-level key on an INTEGER column, not copied: SQLite numbers the rows
    assertThat(
            rules(
                "0003_table_key.sql",
                "CREATE TABLE lamps_tmp (id INTEGER, watts INTEGER);\n"
                    + "INSERT INTO lamps_tmp (id, watts) SELECT id, watts FROM lamps;\n"
                    + "DROP TABLE lamps;\n"
                    + "CREATE TABLE lamps (serial INTEGER NOT NULL, id INTEGER, watts INTEGER,"
                    + " CONSTRAINT lamps_pk PRIMARY KEY (serial));\n"
                    + "INSERT INTO lamps (id, watts) SELECT id, watts FROM lamps_tmp;\n"
                    + "DROP TABLE lamps_tmp;\n"))
        .containsExactly("DBG222");
  }
}
