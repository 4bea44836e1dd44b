package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL {@code UPDATE … FROM} whose WHERE only joins the target to the FROM tables touches
 * every matched row, like an UPDATE without WHERE (issue 13, third round, class 2): values read
 * from the joined rows are the backfill warning DBG223, constants the overwrite DBG112; a WHERE
 * that also filters stays a scoped update. Examples written for this test, in SQL, Rails {@code
 * execute} and Django {@code RunSQL}.
 */
class UpdateFromTest {

  @TempDir Path dir;

  private List<String> rules(String name, String text) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, text));
  }

  private static final String JOIN_BACKFILL =
      "UPDATE hives SET keeper_name = k.name FROM keepers k WHERE hives.keeper_id = k.id";

  @Test
  void joinOnlyUpdateFromWithValuesOfTheJoinedRowsIsABackfill() throws Exception {
    assertThat(rules("a.sql", JOIN_BACKFILL + ";\n")).containsExactly("DBG223");
    assertThat(
            rules(
                "b.sql",
                "UPDATE hives AS h SET frames = a.default_frames, region = a.region\n"
                    + "  FROM apiaries a JOIN regions r ON r.id = a.region_id\n"
                    + "  WHERE h.apiary_id = a.id AND a.region_id = r.id;\n"))
        .containsExactly("DBG223");
  }

  @Test
  void joinOnlyUpdateFromWithConstantsOverwritesEveryMatchedRow() throws Exception {
    assertThat(
            rules(
                "c.sql",
                "UPDATE hives h SET status = 'retired' FROM apiaries a WHERE a.id = h.apiary_id;\n"))
        .containsExactly("DBG112");
  }

  @Test
  void updateFromWithARealFilterStaysScoped() throws Exception {
    assertThat(rules("d.sql", JOIN_BACKFILL + " AND hives.keeper_name IS NULL;\n")).isEmpty();
    assertThat(
            rules(
                "e.sql",
                "UPDATE hives h SET status = 'retired' FROM apiaries a\n"
                    + " WHERE h.apiary_id = a.id AND a.closed_at < now();\n"))
        .isEmpty();
    // a column compared with a column of the same table is a filter, not a join
    assertThat(
            rules(
                "f.sql",
                "UPDATE hives h SET status = 'x' FROM apiaries a"
                    + " WHERE h.apiary_id = a.id AND h.frames = h.max_frames;\n"))
        .isEmpty();
  }

  @Test
  void aJoinToRowsAQuerySelectedIsScoped() throws Exception {
    // a WITH query that keeps some rows
    assertThat(
            rules(
                "h.sql",
                "WITH idle AS (SELECT id FROM hives WHERE inspected_at < now() - interval '2 years')\n"
                    + "UPDATE hives SET status = 'dormant' FROM idle WHERE hives.id = idle.id;\n"))
        .isEmpty();
    // a subquery with HAVING
    assertThat(
            rules(
                "i.sql",
                "UPDATE hives h SET status = 'split' FROM (SELECT apiary_id FROM hives"
                    + " GROUP BY apiary_id HAVING count(*) > 40) crowded"
                    + " WHERE h.apiary_id = crowded.apiary_id;\n"))
        .isEmpty();
    // a temporary table the migration filled with the duplicates, then joined to
    assertThat(
            rules(
                "j.sql",
                "CREATE TEMP TABLE duplicate_tags AS\n"
                    + "  SELECT id, first_id FROM (SELECT id, min(id) OVER (PARTITION BY hive_id, code)"
                    + " AS first_id FROM hive_tags) t WHERE id <> first_id;\n"
                    + "UPDATE hive_tags SET retired_at = now() FROM duplicate_tags"
                    + " WHERE hive_tags.id = duplicate_tags.id;\n"
                    + "DROP TABLE duplicate_tags;\n"))
        .isEmpty();
  }

  @Test
  void aJoinToAQueryOfEveryRowStillOverwritesEveryMatchedRow() throws Exception {
    assertThat(
            rules(
                "k.sql",
                "WITH every_hive AS (SELECT id FROM hives)\n"
                    + "UPDATE hives SET status = 'dormant' FROM every_hive"
                    + " WHERE hives.id = every_hive.id;\n"))
        .containsExactly("DBG112");
    assertThat(
            rules(
                "l.sql",
                "CREATE TEMP TABLE hive_copy AS SELECT id FROM hives;\n"
                    + "UPDATE hives SET status = 'dormant' FROM hive_copy"
                    + " WHERE hives.id = hive_copy.id;\n"))
        .containsExactly("DBG112");
    // a LIMIT alone is a batch of a loop that walks every row: no filter
    assertThat(
            rules(
                "n.sql",
                "WITH batch AS (SELECT id FROM hives ORDER BY id LIMIT 500)\n"
                    + "UPDATE hives SET status = 'dormant' FROM batch WHERE hives.id = batch.id;\n"))
        .containsExactly("DBG112");
    // a GROUP BY alone keeps a row for every group: no filter
    assertThat(
            rules(
                "m.sql",
                "UPDATE apiaries a SET hive_count = 0 FROM (SELECT apiary_id FROM hives"
                    + " GROUP BY apiary_id) g WHERE a.id = g.apiary_id;\n"))
        .containsExactly("DBG112");
  }

  @Test
  void railsExecutesShareTheSelectedRowsOfTheMigration() throws Exception {
    assertThat(
            rules(
                "db/migrate/20240102000000_retire_duplicate_tags.rb",
                "class RetireDuplicateTags < ActiveRecord::Migration[7.1]\n"
                    + "  def up\n"
                    + "    execute(\"CREATE TEMP TABLE dup_tags AS SELECT id FROM hive_tags"
                    + " WHERE code IS NULL\")\n"
                    + "    execute(\"UPDATE hive_tags SET retired_at = NOW() FROM dup_tags"
                    + " WHERE hive_tags.id = dup_tags.id\")\n"
                    + "  end\n"
                    + "end\n"))
        .containsExactly("DBG219"); // scoped, in the transaction that creates the temp table
  }

  @Test
  void aTableCreatedInTheFileIsExempt() throws Exception {
    assertThat(
            rules(
                "g.sql",
                "CREATE TABLE hives (id bigint, keeper_id bigint, keeper_name text);\n"
                    + JOIN_BACKFILL
                    + ";\n"))
        .isEmpty();
  }

  @Test
  void railsExecuteAndDjangoRunSqlGoThroughTheSameReading() throws Exception {
    assertThat(
            rules(
                "db/migrate/20240101000000_backfill_keeper_names.rb",
                "class BackfillKeeperNames < ActiveRecord::Migration[7.1]\n"
                    + "  def up\n"
                    + "    execute <<~SQL\n"
                    + "      "
                    + JOIN_BACKFILL
                    + "\n"
                    + "    SQL\n"
                    + "  end\n"
                    + "end\n"))
        .containsExactly("DBG223");
    assertThat(
            rules(
                "apiary/migrations/0002_keeper_names.py",
                "from django.db import migrations\n\n\n"
                    + "class Migration(migrations.Migration):\n"
                    + "    dependencies = [(\"apiary\", \"0001_initial\")]\n"
                    + "    operations = [\n"
                    + "        migrations.RunSQL(\n"
                    + "            \""
                    + "UPDATE apiary_hive h SET status = 'retired' FROM apiary_site s"
                    + " WHERE h.site_id = s.id"
                    + "\",\n"
                    + "            reverse_sql=migrations.RunSQL.noop,\n"
                    + "        ),\n"
                    + "    ]\n"))
        .containsExactly("DBG112");
  }
}
