package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropping a UNIQUE or PRIMARY KEY constraint drops its index under an ACCESS EXCLUSIVE lock, with
 * no concurrent form (PostgreSQL manual, ALTER TABLE, DROP CONSTRAINT): DBG202 like DROP INDEX
 * without CONCURRENTLY, when the file, the earlier migrations or the constraint's default name show
 * it is unique; a FOREIGN KEY or CHECK drops no index and stays silent. SQL, Django and Rails;
 * every migration here was written for this test.
 */
class DropUniqueConstraintTest {

  @TempDir Path dir;

  private List<String> rules(String name, String text) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, text));
  }

  private void history() throws Exception {
    AnalysisFiles.write(
        dir,
        "pg/V1__init.sql",
        """
        CREATE TABLE hives (
          id bigint PRIMARY KEY,
          tag text,
          apiary_id bigint,
          weight int,
          CONSTRAINT hives_tag_once UNIQUE (tag),
          CONSTRAINT hives_apiary_link FOREIGN KEY (apiary_id) REFERENCES apiaries (id),
          CONSTRAINT hives_weight_positive CHECK (weight > 0)
        );
        ALTER TABLE hives ADD CONSTRAINT hives_pair UNIQUE (apiary_id, tag);
        ALTER TABLE frames ADD CONSTRAINT frames_main PRIMARY KEY (id);
        ALTER TABLE frames ADD CONSTRAINT frames_hive_ref FOREIGN KEY (hive_id) REFERENCES hives;
        """);
  }

  @Test
  void sqlDropOfAUniqueOrPrimaryKeyConstraintTheHistoryDeclares() throws Exception {
    // seen failing before the change: nothing reported for each
    history();
    assertThat(rules("pg/V2__a.sql", "ALTER TABLE hives DROP CONSTRAINT hives_tag_once;"))
        .containsExactly("DBG202");
    assertThat(rules("pg/V3__b.sql", "ALTER TABLE hives DROP CONSTRAINT IF EXISTS hives_pair;"))
        .containsExactly("DBG202");
    assertThat(rules("pg/V4__c.sql", "ALTER TABLE frames DROP CONSTRAINT \"frames_main\";"))
        .containsExactly("DBG202");
  }

  @Test
  void sqlDropOfAUniqueConstraintTheSameFileDeclares() throws Exception {
    // seen failing before the change: nothing reported
    assertThat(
            rules(
                "pg/V2__same.sql",
                """
                ALTER TABLE combs ADD CONSTRAINT combs_one_cell UNIQUE (cell);
                ALTER TABLE combs DROP CONSTRAINT combs_one_cell;
                """))
        .containsExactly("DBG205", "DBG202");
  }

  @Test
  void sqlDropOfAnUnknownConstraintByPostgresOrDjangoDefaultName() throws Exception {
    // seen failing before the change: nothing reported for each
    assertThat(rules("pg/V2__key.sql", "ALTER TABLE queens DROP CONSTRAINT queens_mark_key;"))
        .containsExactly("DBG202");
    assertThat(rules("pg/V3__pkey.sql", "ALTER TABLE queens DROP CONSTRAINT queens_pkey;"))
        .containsExactly("DBG202");
    assertThat(
            rules(
                "pg/V4__uniq.sql",
                "ALTER TABLE apiary_queen DROP CONSTRAINT IF EXISTS apiary_queen_mark_3f2a1b_uniq;"))
        .containsExactly("DBG202");
  }

  @Test
  void foreignKeyCheckAndUnknownConstraintDropsStaySilent() throws Exception {
    history();
    assertThat(rules("pg/V2__fk.sql", "ALTER TABLE hives DROP CONSTRAINT hives_apiary_link;"))
        .isEmpty();
    assertThat(rules("pg/V3__ck.sql", "ALTER TABLE hives DROP CONSTRAINT hives_weight_positive;"))
        .isEmpty();
    assertThat(rules("pg/V4__fk2.sql", "ALTER TABLE frames DROP CONSTRAINT frames_hive_ref;"))
        .isEmpty();
    assertThat(rules("pg/V5__fkey.sql", "ALTER TABLE hives DROP CONSTRAINT hives_apiary_id_fkey;"))
        .isEmpty();
    assertThat(rules("pg/V6__check.sql", "ALTER TABLE hives DROP CONSTRAINT hives_weight_check;"))
        .isEmpty();
    assertThat(rules("pg/V7__unknown.sql", "ALTER TABLE hives DROP CONSTRAINT hives_rule;"))
        .isEmpty();
  }

  @Test
  void aTableCreatedInTheSameFileAndConcurrentDropsStaySilent() throws Exception {
    assertThat(
            rules(
                "pg/V2__new.sql",
                """
                CREATE TABLE swarms (id bigint, code text CONSTRAINT swarms_code_once UNIQUE);
                ALTER TABLE swarms DROP CONSTRAINT swarms_code_once;
                ALTER TABLE swarms DROP CONSTRAINT swarms_pkey;
                """))
        .isEmpty();
    assertThat(rules("pg/V3__conc.sql", "DROP INDEX CONCURRENTLY hives_weight_idx;")).isEmpty();
  }

  private void django(String name, String deps, String operations) throws Exception {
    AnalysisFiles.write(
        dir,
        "apiary/migrations/" + name,
        """
        from django.db import migrations, models


        class Migration(migrations.Migration):
            dependencies = [%s]

            operations = [
        %s
            ]
        """
            .formatted(deps, operations.indent(8)));
  }

  private List<String> djangoRules(String name, String operations) throws Exception {
    django(name, "(\"apiary\", \"0001_initial\")", operations);
    return AnalysisFiles.ruleIds(dir.resolve("apiary/migrations/" + name));
  }

  private void djangoHistory() throws Exception {
    django(
        "0001_initial.py",
        "",
        """
        migrations.CreateModel(
            name="Hive",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
                ("tag", models.CharField(max_length=20, unique=True)),
                ("row", models.IntegerField()),
                ("slot", models.IntegerField()),
                ("weight", models.IntegerField()),
            ],
            options={
                "unique_together": {("row", "slot")},
                "constraints": [
                    models.UniqueConstraint(fields=["tag", "row"], name="hive_tag_row"),
                    models.CheckConstraint(check=models.Q(weight__gt=0), name="hive_weight"),
                ],
            },
        ),""");
  }

  @Test
  void djangoRemovalsOfUniqueConstraintsTheHistoryDeclares() throws Exception {
    // seen failing before the change: nothing reported for each
    djangoHistory();
    assertThat(
            djangoRules(
                "0002_a.py",
                "migrations.AlterUniqueTogether(name=\"hive\", unique_together=set()),"))
        .containsExactly("DBG202");
    assertThat(
            djangoRules(
                "0003_b.py",
                "migrations.RemoveConstraint(model_name=\"hive\", name=\"hive_tag_row\"),"))
        .containsExactly("DBG202");
    assertThat(
            djangoRules(
                "0004_c.py",
                "migrations.AlterField(model_name=\"hive\", name=\"tag\","
                    + " field=models.CharField(max_length=20)),"))
        .containsExactly("DBG202");
    assertThat(
            djangoRules(
                "0005_d.py",
                """
                migrations.SeparateDatabaseAndState(
                    database_operations=[
                        migrations.RemoveConstraint(model_name="hive", name="hive_tag_row"),
                    ],
                ),"""))
        .containsExactly("DBG202");
    assertThat(
            djangoRules(
                "0006_e.py",
                "migrations.RunSQL(\"ALTER TABLE apiary_hive DROP CONSTRAINT"
                    + " apiary_hive_tag_5c1f0e_uniq;\", reverse_sql=migrations.RunSQL.noop),"))
        .containsExactly("DBG202");
  }

  @Test
  void djangoAlterUniqueTogetherToAnotherGroupDropsTheOldOne() throws Exception {
    // seen failing before the change: only DBG205
    djangoHistory();
    assertThat(
            djangoRules(
                "0002_swap.py",
                "migrations.AlterUniqueTogether(name=\"hive\","
                    + " unique_together={(\"row\", \"weight\")}),"))
        .containsExactlyInAnyOrder("DBG202", "DBG205");
  }

  @Test
  void djangoAddsAndNonUniqueRemovalsStayAsTheyWere() throws Exception {
    djangoHistory();
    assertThat(
            djangoRules(
                "0002_add.py",
                "migrations.AlterUniqueTogether(name=\"hive\","
                    + " unique_together={(\"row\", \"slot\"), (\"tag\", \"weight\")}),"))
        .containsExactly("DBG205");
    assertThat(
            djangoRules(
                "0003_check.py",
                "migrations.RemoveConstraint(model_name=\"hive\", name=\"hive_weight\"),"))
        .isEmpty();
    assertThat(
            djangoRules(
                "0004_unknown.py",
                "migrations.RemoveConstraint(model_name=\"hive\", name=\"hive_other\"),"))
        .isEmpty();
    assertThat(
            djangoRules(
                "0005_same.py",
                "migrations.AlterUniqueTogether(name=\"hive\", unique_together={(\"slot\", \"row\")}),"))
        .isEmpty();
  }

  private List<String> rails(String name, String body) throws Exception {
    return rules(
        "db/migrate/" + name,
        "class Change < ActiveRecord::Migration[7.1]\n  disable_ddl_transaction!\n  def change\n"
            + body
            + "  end\nend\n");
  }

  @Test
  void railsRemoveIndexIsUnchanged() throws Exception {
    assertThat(rails("20240101000001_a.rb", "    remove_index :hives, :tag\n"))
        .containsExactly("DBG202");
    assertThat(
            rails(
                "20240101000002_b.rb", "    remove_index :hives, :tag, algorithm: :concurrently\n"))
        .isEmpty();
  }
}
