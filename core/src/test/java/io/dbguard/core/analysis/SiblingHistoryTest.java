package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Column lists and types declared by earlier migrations that live in sibling version directories
 * (issue 13, third round, classes 3 and 4): one directory per version ({@code v1.7/schema.sql}
 * beside {@code v1.8/…}, Prisma's {@code <timestamp>_<name>/migration.sql}, Diesel's {@code
 * <timestamp>_<name>/up.sql} beside {@code down.sql}). Examples written for this test.
 */
class SiblingHistoryTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    return AnalysisFiles.write(dir, name, text);
  }

  private static List<String> rules(Path f) throws Exception {
    return AnalysisFiles.ruleIds(f);
  }

  private void versionedSchema() throws Exception {
    write(
        "schema/versioned/v1.7/schema.sql",
        "CREATE TABLE executions (\n"
            + "  shard_id INTEGER NOT NULL,\n"
            + "  run_id VARCHAR(64) NOT NULL,\n"
            + "  memo VARCHAR(100),\n"
            + "  PRIMARY KEY (shard_id, run_id)\n"
            + ");\n");
    // a later version's dump must not count as earlier
    write(
        "schema/versioned/v1.10/schema.sql",
        "CREATE TABLE executions (shard_id BIGINT, run_id TEXT, memo TEXT);\n");
  }

  @Test
  void aTypeDeclaredInAnEarlierVersionDirectoryIsThePreviousType() throws Exception {
    versionedSchema();
    assertThat(
            rules(
                write(
                    "schema/versioned/v1.8/widen_run_id.sql",
                    "ALTER TABLE executions ALTER COLUMN run_id TYPE VARCHAR(255);\n")))
        .isEmpty();
    assertThat(
            rules(
                write(
                    "schema/versioned/v1.9/memo_text.sql",
                    "ALTER TABLE executions ALTER COLUMN memo TYPE TEXT;\n")))
        .isEmpty();
    assertThat(
            rules(
                write(
                    "schema/versioned/v1.9/narrow_run_id.sql",
                    "ALTER TABLE executions ALTER COLUMN run_id TYPE VARCHAR(32);\n")))
        .containsExactly("DBG108");
    assertThat(
            rules(
                write(
                    "schema/versioned/v1.9/shard_bigint.sql",
                    "ALTER TABLE executions ALTER COLUMN shard_id TYPE BIGINT;\n")))
        .containsExactly("DBG209");
  }

  @Test
  void aDumpInTheFilesOwnDirectoryIsTheStateAfterItNotBefore() throws Exception {
    versionedSchema();
    // v1.9/schema.sql is the schema once v1.9 is applied: shard_id is already bigint there
    write(
        "schema/versioned/v1.9/schema.sql",
        "CREATE TABLE executions (shard_id BIGINT NOT NULL, run_id VARCHAR(64) NOT NULL);\n");
    assertThat(
            rules(
                write(
                    "schema/versioned/v1.9/upgrade.sql",
                    "ALTER TABLE executions ALTER COLUMN shard_id TYPE BIGINT;\n")))
        .containsExactly("DBG209"); // integer (v1.7) → bigint, not "no change"
  }

  @Test
  void theLastColumnOfACreateTableHasItsOwnTypeNotTheClosingParenthesis() throws Exception {
    write(
        "pg/001_parcels.sql", "CREATE TABLE parcels (id bigint PRIMARY KEY, weight_g integer);\n");
    // integer → bigint is a widening rewrite (DBG209), not a conversion from "integer)" (DBG108)
    assertThat(
            rules(
                write(
                    "pg/002_weight_bigint.sql",
                    "ALTER TABLE parcels ALTER COLUMN weight_g TYPE bigint;\n")))
        .containsExactly("DBG209");
  }

  @Test
  void prismaSqliteRebuildIsComparedWithTheColumnsOfEarlierMigrationDirectories() throws Exception {
    write(
        "sqlite-app/prisma/migrations/20240101000000_init/migration.sql",
        "CREATE TABLE \"Hive\" (\n"
            + "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
            + "    \"keeper\" TEXT NOT NULL,\n"
            + "    \"notes\" TEXT\n"
            + ");\n");
    String rebuild =
        "PRAGMA foreign_keys=OFF;\n"
            + "CREATE TABLE \"new_Hive\" (\n"
            + "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
            + "    \"keeper\" TEXT NOT NULL%s\n"
            + ");\n"
            + "INSERT INTO \"new_Hive\" (\"id\", \"keeper\"%s) SELECT \"id\", \"keeper\"%s"
            + " FROM \"Hive\";\n"
            + "DROP TABLE \"Hive\";\n"
            + "ALTER TABLE \"new_Hive\" RENAME TO \"Hive\";\n"
            + "PRAGMA foreign_keys=ON;\n";
    assertThat(
            rules(
                write(
                    "sqlite-app/prisma/migrations/20240301000000_drop_notes/migration.sql",
                    rebuild.formatted("", "", ""))))
        .containsExactly("DBG102");
    assertThat(
            rules(
                write(
                    "sqlite-app/prisma/migrations/20240302000000_keep_notes/migration.sql",
                    rebuild.formatted(",\n    \"notes\" TEXT", ", \"notes\"", ", \"notes\""))))
        .containsExactly("DBG222");
  }

  @Test
  void dieselDownFilesAreNotEarlierMigrations() throws Exception {
    write(
        "sqlite-app/migrations/2024-01-01-000000_create_hives/up.sql",
        "CREATE TABLE hives (id INTEGER PRIMARY KEY, keeper TEXT, notes TEXT);\n");
    write("sqlite-app/migrations/2024-01-01-000000_create_hives/down.sql", "DROP TABLE hives;\n");
    write(
        "sqlite-app/migrations/2024-02-01-000000_rebuild_hives/down.sql",
        "ALTER TABLE hives ADD COLUMN legacy TEXT;\n");
    assertThat(
            rules(
                write(
                    "sqlite-app/migrations/2024-02-01-000000_rebuild_hives/up.sql",
                    "CREATE TABLE hives_new (id INTEGER PRIMARY KEY, keeper TEXT, notes TEXT);\n"
                        + "INSERT INTO hives_new (id, keeper, notes)"
                        + " SELECT id, keeper, notes FROM hives;\n"
                        + "DROP TABLE hives;\n"
                        + "ALTER TABLE hives_new RENAME TO hives;\n")))
        .containsExactly("DBG222");
  }

  @Test
  void directoriesThatAreNotVersionsAreNotRead() throws Exception {
    write("sqlite-app/fixtures/create.sql", "CREATE TABLE hives (id INTEGER, legacy TEXT);\n");
    assertThat(
            rules(
                write(
                    "sqlite-app/rebuilds/rebuild.sql",
                    "CREATE TABLE hives_new (id INTEGER);\n"
                        + "INSERT INTO hives_new (id) SELECT id FROM hives;\n"
                        + "DROP TABLE hives;\n"
                        + "ALTER TABLE hives_new RENAME TO hives;\n")))
        .containsExactly("DBG222");
  }
}
