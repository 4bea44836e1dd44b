package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column moved aside and back — renamed away, re-added under its old name, every value copied
 * back by an UPDATE without WHERE, the moved column dropped — ends with the same column name and
 * every value: judged as a whole, it is neither a rename the running version sees nor a lost
 * column. Examples written for this test.
 */
class ColumnMovedBackTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, sql));
  }

  private static final String SQLITE_MOVE =
      "ALTER TABLE readings RENAME COLUMN celsius TO celsius_old;\n"
          + "ALTER TABLE readings ADD COLUMN celsius REAL NOT NULL DEFAULT 0;\n"
          + "UPDATE readings SET celsius = celsius_old;\n"
          + "ALTER TABLE readings DROP COLUMN celsius_old;\n";

  @Test
  void onSqliteTheMoveIsANoticeInsteadOfARenameAndADrop() throws Exception {
    assertThat(rules("sqlite/0002_celsius_real.sql", SQLITE_MOVE)).containsExactly("DBG222");
    // a cast of the moved column is a copy too
    assertThat(
            rules(
                "sqlite/0003_celsius_cast.sql",
                SQLITE_MOVE.replace(
                    "SET celsius = celsius_old", "SET celsius = CAST(celsius_old AS REAL)")))
        .containsExactly("DBG222");
  }

  @Test
  void onPostgresqlOnlyTheBackfillRemains() throws Exception {
    String pg =
        "ALTER TABLE readings RENAME COLUMN celsius TO celsius_old;\n"
            + "ALTER TABLE readings ADD COLUMN celsius numeric(6,2);\n"
            + "UPDATE readings SET celsius = celsius_old::numeric(6,2);\n"
            + "ALTER TABLE readings DROP COLUMN celsius_old;\n";
    assertThat(rules("postgres/V2__celsius.sql", pg)).containsExactly("DBG223");
  }

  @Test
  void aRailsMigrationThatMovesAColumnBackIsJudgedTheSameWay() throws Exception {
    String rb =
        "class ChangeCelsius < ActiveRecord::Migration[7.1]\n"
            + "  def up\n"
            + "    rename_column :readings, :celsius, :celsius_old\n"
            + "    add_column :readings, :celsius, :float\n"
            + "    execute \"UPDATE readings SET celsius = celsius_old\"\n"
            + "    remove_column :readings, :celsius_old\n"
            + "  end\n"
            + "end\n";
    assertThat(rules("db/migrate/20240101000000_change_celsius.rb", rb)).containsExactly("DBG223");
    // without the copy the values of celsius are lost
    assertThat(
            rules(
                "db/migrate/20240101000001_change_celsius.rb",
                rb.replace("    execute \"UPDATE readings SET celsius = celsius_old\"\n", "")))
        .containsExactly("DBG106", "DBG102");
  }

  @Test
  void aMissingScopedOrOtherCopyKeepsTheRefusals() throws Exception {
    // no copy: the values of celsius are lost and the rename is seen
    assertThat(
            rules(
                "sqlite/0004_no_copy.sql",
                SQLITE_MOVE.replace("UPDATE readings SET celsius = celsius_old;\n", "")))
        .containsExactly("DBG106", "DBG102");
    // a scoped copy keeps only some values
    assertThat(
            rules(
                "sqlite/0005_scoped.sql",
                SQLITE_MOVE.replace("celsius_old;\nALTER", "celsius_old WHERE id < 100;\nALTER")))
        .containsExactly("DBG106", "DBG102");
    // a copy computed from the moved column is not the value itself (filling a column added
    // earlier in the batch, the UPDATE alone loses nothing: the drop does)
    assertThat(
            rules(
                "sqlite/0006_rounded.sql",
                SQLITE_MOVE.replace("= celsius_old;", "= round(celsius_old);")))
        .containsExactly("DBG106", "DBG102");
    // a column re-added under another name is a rename after all
    assertThat(
            rules(
                "sqlite/0007_other_name.sql",
                SQLITE_MOVE
                    .replace("ADD COLUMN celsius ", "ADD COLUMN temp_c ")
                    .replace("SET celsius =", "SET temp_c =")))
        .contains("DBG106", "DBG102");
    // the copy after the drop reads nothing
    assertThat(
            rules(
                "sqlite/0008_late_copy.sql",
                "ALTER TABLE readings RENAME COLUMN celsius TO celsius_old;\n"
                    + "ALTER TABLE readings ADD COLUMN celsius REAL;\n"
                    + "ALTER TABLE readings DROP COLUMN celsius_old;\n"
                    + "UPDATE readings SET celsius = celsius_old;\n"))
        .contains("DBG106", "DBG102");
  }

  @Test
  void theSecondOrderAddCopyDropRenameBackIsTheSameMove() throws Exception {
    // seen failing before the change: DBG102 and DBG106 (a drop and a rename)
    String pg =
        "ALTER TABLE parcels ADD COLUMN weight_new bigint;\n"
            + "UPDATE parcels SET weight_new = weight;\n"
            + "ALTER TABLE parcels DROP COLUMN weight;\n"
            + "ALTER TABLE parcels RENAME COLUMN weight_new TO weight;\n";
    assertThat(rules("postgres/V3__weight.sql", pg)).containsExactly("DBG223");
    assertThat(rules("sqlite/0004_weight.sql", pg.replace("bigint", "INTEGER")))
        .containsExactly("DBG222");
    // a cast that can lose values is refused, as in the first order (an unknown source type
    // counts as text on SQLite)
    assertThat(
            rules(
                "sqlite-cast/0005_weight.sql",
                pg.replace("bigint", "INTEGER")
                    .replace(
                        "SET weight_new = weight", "SET weight_new = CAST(weight AS INTEGER)")))
        .containsExactly("DBG108");
    // SET NOT NULL on the new home of the column: the running version writes it under its old
    // name, so no DBG109 (seen failing before the change); the scan remains
    assertThat(
            rules(
                "postgres/V4__id_text.sql",
                "ALTER TABLE parcels ADD COLUMN id_text text;\n"
                    + "UPDATE parcels SET id_text = id::text;\n"
                    + "ALTER TABLE parcels ALTER COLUMN id_text SET NOT NULL;\n"
                    + "ALTER TABLE parcels DROP COLUMN id;\n"
                    + "ALTER TABLE parcels RENAME COLUMN id_text TO id;\n"))
        .containsExactly("DBG223", "DBG208");
  }

  @Test
  void theSecondOrderWithoutItsCopyOrRenameKeepsTheRefusals() throws Exception {
    assertThat(
            rules(
                "postgres/V5__code.sql",
                "ALTER TABLE parcels ADD COLUMN code_new text;\n"
                    + "ALTER TABLE parcels DROP COLUMN code;\n"
                    + "ALTER TABLE parcels RENAME COLUMN code_new TO code;\n"))
        .contains("DBG102", "DBG106");
    assertThat(
            rules(
                "postgres/V6__code.sql",
                "ALTER TABLE parcels ADD COLUMN code_new text;\n"
                    + "UPDATE parcels SET code_new = code;\n"
                    + "ALTER TABLE parcels DROP COLUMN code;\n"))
        .contains("DBG102");
    assertThat(
            rules(
                "postgres/V7__code.sql",
                "ALTER TABLE parcels ADD COLUMN code_new text;\n"
                    + "UPDATE parcels SET code_new = code WHERE code <> '';\n"
                    + "ALTER TABLE parcels DROP COLUMN code;\n"
                    + "ALTER TABLE parcels RENAME COLUMN code_new TO code;\n"))
        .contains("DBG102", "DBG106");
  }
}
