package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.Where;
import io.dbguard.core.analysis.model.Suppression;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrontEndTest {

  private static List<Operation> sql(String s) {
    return new SqlFrontEnd("postgresql").parse(s, 1).operations();
  }

  @Test
  void splitterKeepsLinesAndIgnoresSemicolonsInStringsCommentsAndDollarQuotes() {
    SqlSplitter.Result r =
        SqlSplitter.split(
            "-- a; b\nSELECT 'x;y';\n/* c;\n d */ CREATE FUNCTION f() AS $f$ x; y $f$;\n\nDROP TABLE t;",
            1);
    assertThat(r.statements()).extracting(SqlSplitter.Statement::line).containsExactly(2, 4, 6);
    assertThat(r.comments()).extracting(SqlSplitter.Comment::line).containsExactly(1, 3);
  }

  @Test
  void sqliteTriggerBodyIsOneStatement() {
    SqlSplitter.Result r =
        SqlSplitter.split(
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; DELETE FROM c; END;\nSELECT 1;",
            1);
    assertThat(r.statements()).hasSize(2);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "DELETE FROM t | NONE",
        "DELETE FROM t WHERE 1=1 | TAUTOLOGY",
        "DELETE FROM t WHERE true | TAUTOLOGY",
        "DELETE FROM t WHERE 'a' = 'a' | TAUTOLOGY",
        "DELETE FROM t WHERE (1 = 1) | TAUTOLOGY",
        "DELETE FROM t WHERE x = 1 OR 2 = 2 | TAUTOLOGY",
        "DELETE FROM t WHERE NOT 1 = 0 | TAUTOLOGY",
        "DELETE FROM t WHERE 1 <> 2 | TAUTOLOGY",
        "DELETE FROM t WHERE x = 1 | REAL",
        "DELETE FROM t WHERE x = 1 AND 1 = 1 | REAL",
        "DELETE FROM t WHERE id IN (SELECT id FROM u) | REAL"
      })
  void whereClassification(String stmt, Where expected) {
    assertThat(sql(stmt))
        .singleElement()
        .isInstanceOfSatisfying(
            Operation.Delete.class, d -> assertThat(d.where()).isEqualTo(expected));
  }

  @Test
  void ddlGrammarReadsFlagsJsqlParserRejects() {
    assertThat(
            sql(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t USING btree (a) WHERE b IS NULL"))
        .containsExactly(new Operation.CreateIndex(1, "t", "i", true, true, true));
    assertThat(sql("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID"))
        .containsExactly(
            new Operation.AddConstraint(
                1, "t", "f", Operation.ConstraintKind.FOREIGN_KEY, true, false));
    assertThat(
            sql("ALTER TABLE t ALTER COLUMN c SET DATA TYPE character varying(20) USING c::text"))
        .containsExactly(
            new Operation.ChangeColumnType(1, "t", "c", null, "varchar(20)", "c:: text", false));
    assertThat(sql("DROP TABLE IF EXISTS a, b CASCADE"))
        .containsExactly(new Operation.DropTable(1, "a"), new Operation.DropTable(1, "b"));
  }

  @Test
  void unknownStatementsAreReportedNotGuessed() {
    assertThat(sql("FROBNICATE TABLE x")).singleElement().isInstanceOf(Operation.Unparsed.class);
    assertThat(sql("ALTER TABLE t FROBNICATE c"))
        .singleElement()
        .isInstanceOf(Operation.Unparsed.class);
    assertThat(sql("SELECT 1; SET search_path = x; COMMENT ON TABLE t IS 'x'")).isEmpty();
  }

  @Test
  void insertIdempotencyForms() {
    for (String stmt :
        List.of(
            "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING",
            "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a",
            "INSERT OR IGNORE INTO t (a) VALUES (1)",
            "INSERT IGNORE INTO t (a) VALUES (1)",
            "REPLACE INTO t (a) VALUES (1)",
            "INSERT INTO t (a) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM t WHERE a = 1)")) {
      assertThat(sql(stmt))
          .as(stmt)
          .singleElement()
          .isInstanceOfSatisfying(
              Operation.Insert.class,
              i -> assertThat(i.kind()).isEqualTo(Operation.InsertKind.IDEMPOTENT));
    }
    assertThat(sql("INSERT INTO t (a) VALUES (1)"))
        .singleElement()
        .isInstanceOfSatisfying(
            Operation.Insert.class,
            i -> assertThat(i.kind()).isEqualTo(Operation.InsertKind.PLAIN));
  }

  @Test
  void escapeStringsBecomeStandardStrings() {
    assertThat(SqlDml.standardStrings("VALUES (E'it\\'s', 'a''b')"))
        .isEqualTo("VALUES ('it''s', 'a''b')");
  }

  @ParameterizedTest
  @CsvSource({
    "varchar(10),text,false,SAFE",
    "varchar(10),varchar(20),false,SAFE",
    "varchar(20),varchar(10),false,INCOMPATIBLE",
    "'numeric(10,2)','numeric(12,2)',false,SAFE",
    "integer,bigint,false,REWRITE",
    "bigint,integer,false,INCOMPATIBLE",
    ",text,false,REWRITE",
    ",integer,false,INCOMPATIBLE",
    ",varchar(5),false,INCOMPATIBLE",
    "text,text,true,INCOMPATIBLE",
    "timestamp,timestamptz,false,REWRITE"
  })
  void typeChanges(String from, String to, boolean using, SqlTypes.Change expected) {
    assertThat(SqlTypes.classify(from, to, using)).isEqualTo(expected);
  }

  @Test
  void rubyHeredocsStringsAndBlocks() {
    String src =
        "class X < ActiveRecord::Migration[7.1]\n"
            + "  def up\n"
            + "    execute <<~SQL, <<-OTHER\n"
            + "      DROP TABLE a;\n"
            + "    SQL\n"
            + "      DROP TABLE b;\n"
            + "      OTHER\n"
            + "    s = \"remove_column :x, :y\" # remove_column :p, :q\n"
            + "    add_column :t,\n"
            + "      :c, :string, null: false\n"
            + "  end\n"
            + "  def down\n"
            + "    drop_table :t\n"
            + "  end\n"
            + "end\n";
    FrontEndResult r = new RubyFrontEnd(false).parse(src);
    assertThat(r.operations())
        .containsExactly(
            new Operation.DropTable(4, "a"),
            new Operation.AddColumn(9, "t", "c", "varchar", true, null, false));
    assertThat(r.wrappedInTransaction()).isTrue();
  }

  @Test
  void rubyOneLineBracesAndSafetyAssured() {
    FrontEndResult r =
        new RubyFrontEnd(false)
            .parse(
                "disable_ddl_transaction!\nsafety_assured { remove_column :a, :b }\nremove_column :c, :d\n");
    assertThat(r.wrappedInTransaction()).isFalse();
    assertThat(r.operations()).hasSize(2);
    assertThat(r.suppressions())
        .singleElement()
        .satisfies(s -> assertThat(s.origin()).isEqualTo("safety_assured"))
        .satisfies(s -> assertThat(s.line()).isEqualTo(2))
        .satisfies(s -> assertThat(s.endLine()).isEqualTo(2));
  }

  @Test
  void pythonOperationsAndStrings() {
    String src =
        "from django.db import migrations, models\n"
            + "class Migration(migrations.Migration):\n"
            + "    atomic = False\n"
            + "    operations = [\n"
            + "        migrations.RunSQL(\n"
            + "            '''\n"
            + "            DELETE FROM shop_x;\n"
            + "            ''', reverse_sql=migrations.RunSQL.noop),\n"
            + "        migrations.RenameField('order', 'a', 'b'),  # 'DROP TABLE y'\n"
            + "    ]\n";
    FrontEndResult r = new DjangoFrontEnd("shop", false).parse(src);
    assertThat(r.wrappedInTransaction()).isFalse();
    assertThat(r.operations())
        .contains(
            new Operation.Delete(7, "shop_x", Where.NONE, null),
            new Operation.RenameColumn(9, "shop_order", "a", "b"));
  }

  @Test
  void suppressionComments() {
    assertThat(Suppressions.fromComment("dbguard:ignore DBG101,DBG102 archived in OPS-1", 3))
        .contains(
            new Suppression(
                3, 3, List.of("DBG101", "DBG102"), "dbguard:ignore", "archived in OPS-1"));
    assertThat(Suppressions.fromComment("squawk-ignore-file", 1).orElseThrow().wholeFile())
        .isTrue();
    assertThat(
            Suppressions.fromComment("squawk-ignore ban-drop-column, renaming-table", 5)
                .orElseThrow()
                .selectors())
        .containsExactly("ban-drop-column", "renaming-table");
    assertThat(Suppressions.fromComment("just a comment", 1)).isEmpty();
  }
}
