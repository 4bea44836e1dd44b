package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ALTER COLUMN c SET NOT NULL} on a column the directory's earlier SQL migrations (or the
 * file's earlier statements) already leave NOT NULL is a no-op in PostgreSQL: no scan, no DBG208,
 * no DBG109. A column the history does not know, or one made nullable again, is still reported.
 * Examples written for this test.
 */
class NotNullAlreadyTest {

  @TempDir Path dir;

  private List<String> rules(String dirName, String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, dirName + "/" + name, sql));
  }

  private void earlier(String dirName, String name, String sql) throws Exception {
    AnalysisFiles.write(dir, dirName + "/" + name, sql);
  }

  @Test
  void aColumnCreatedNotNullIsNotScannedAgain() throws Exception {
    // seen failing before the change: DBG208
    earlier(
        "a",
        "V1__init.sql",
        "CREATE TABLE notices (id serial PRIMARY KEY, heading varchar(30) NOT NULL);\n");
    assertThat(
            rules(
                "a",
                "V2__widen.sql",
                "ALTER TABLE notices ALTER COLUMN heading TYPE varchar(100),"
                    + " ALTER COLUMN heading SET NOT NULL;\n"))
        .isEmpty();
  }

  @Test
  void primaryKeySerialAndEarlierSetNotNullCount() throws Exception {
    // seen failing before the change: DBG208 on each
    earlier(
        "b",
        "V1__init.sql",
        "CREATE TABLE \"Items\" (id bigserial, code text, sku text, CONSTRAINT pk PRIMARY KEY"
            + " (code));\nALTER TABLE items ADD COLUMN price int NOT NULL DEFAULT 0;\n");
    earlier("b", "V2__sku.sql", "ALTER TABLE items ALTER COLUMN sku SET NOT NULL;\n");
    assertThat(
            rules(
                "b",
                "V3__again.sql",
                "ALTER TABLE public.items ALTER COLUMN id SET NOT NULL;\n"
                    + "ALTER TABLE items ALTER COLUMN code SET NOT NULL;\n"
                    + "ALTER TABLE items ALTER COLUMN price SET NOT NULL;\n"
                    + "ALTER TABLE items ALTER COLUMN sku SET NOT NULL;\n"))
        .isEmpty();
  }

  @Test
  void theSameFilesEarlierSetNotNullCounts() throws Exception {
    // seen failing before the change: DBG208 twice
    assertThat(
            rules(
                "c",
                "V1__twice.sql",
                "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;\n"
                    + "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;\n"))
        .containsExactly("DBG208");
  }

  @Test
  void aRenamedColumnKeepsItsNotNull() throws Exception {
    // seen failing before the change: DBG208
    earlier("d", "V1__init.sql", "CREATE TABLE people (id int, nick text NOT NULL);\n");
    earlier("d", "V2__rename.sql", "ALTER TABLE people RENAME COLUMN nick TO handle;\n");
    assertThat(rules("d", "V3__set.sql", "ALTER TABLE people ALTER COLUMN handle SET NOT NULL;\n"))
        .isEmpty();
  }

  @Test
  void unknownOrNullableAgainColumnsAreStillScanned() throws Exception {
    earlier(
        "e",
        "V1__init.sql",
        "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, title text,"
            + " CHECK (title IS NOT NULL OR body IS NOT NULL));\n");
    earlier("e", "V2__relax.sql", "ALTER TABLE notes ALTER COLUMN body DROP NOT NULL;\n");
    assertThat(rules("e", "V3__set.sql", "ALTER TABLE notes ALTER COLUMN body SET NOT NULL;\n"))
        .containsExactly("DBG208");
    assertThat(rules("e", "V4__set.sql", "ALTER TABLE notes ALTER COLUMN title SET NOT NULL;\n"))
        .containsExactly("DBG208");
    assertThat(rules("f", "V1__set.sql", "ALTER TABLE unknown ALTER COLUMN c SET NOT NULL;\n"))
        .containsExactly("DBG208");
    // dropped in the same file, relaxed, then set again: scanned
    assertThat(
            rules(
                "e",
                "V5__relax.sql",
                "ALTER TABLE notes ALTER COLUMN id DROP NOT NULL;\n"
                    + "ALTER TABLE notes ALTER COLUMN id SET NOT NULL;\n"))
        .containsExactly("DBG213", "DBG208");
  }

  @Test
  void aColumnAddedNullableInTheBatchIsStillDbg109() throws Exception {
    earlier("g", "V1__init.sql", "CREATE TABLE tags (id int PRIMARY KEY, name text NOT NULL);\n");
    assertThat(
            rules(
                "g",
                "V2__add.sql",
                "ALTER TABLE tags ADD COLUMN slug text;\n"
                    + "ALTER TABLE tags ALTER COLUMN slug SET NOT NULL;\n"))
        .containsExactly("DBG109", "DBG208");
  }
}
