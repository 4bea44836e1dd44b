package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.InsertKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The linear reader of {@code INSERT … VALUES} gives the operation the general parser gave before
 * (table, kind, no source), and leaves every other insert form to the general parser.
 */
class InsertValuesReaderTest {

  private static List<Operation> ops(String sql) {
    return new SqlFrontEnd("postgresql").parse(sql, 1).operations();
  }

  @Test
  void plainAndUpsertRowsAreReadWithoutTheGeneralParser() {
    assertThat(
            InsertValuesReader.read(
                new SqlTokens("INSERT INTO s.\"Tags\" (a) VALUES (1)"), 3, false))
        .contains(new Operation.Insert(3, "tags", InsertKind.PLAIN, null));
    assertThat(
            InsertValuesReader.read(
                new SqlTokens(
                    "INSERT INTO tags (a, b) VALUES (1, 'x;y'), (2, (SELECT 1)) "
                        + "ON CONFLICT (a) DO UPDATE SET b = excluded.b"),
                1,
                false))
        .contains(new Operation.Insert(1, "tags", InsertKind.IDEMPOTENT, null));
    assertThat(
            InsertValuesReader.read(
                new SqlTokens("INSERT INTO tags VALUES (1) RETURNING a"), 1, true))
        .contains(new Operation.Insert(1, "tags", InsertKind.IDEMPOTENT, null));
  }

  @Test
  void otherFormsGoToTheGeneralParser() {
    for (String sql :
        List.of(
            "INSERT INTO tags (a) SELECT a FROM old_tags",
            "INSERT INTO tags DEFAULT VALUES",
            "INSERT INTO tags AS t (a) VALUES (1)",
            "WITH x AS (SELECT 1) INSERT INTO tags SELECT * FROM x",
            "INSERT INTO tags (a) VALUES (1",
            "INSERT INTO tags (a) VALUES (1) ON CONSTRAINT foo")) {
      assertThat(InsertValuesReader.read(new SqlTokens(sql), 1, false)).as(sql).isEmpty();
    }
    // … and the general parser still reads the source table of INSERT … SELECT (and the columns
    // it names, when it names some)
    assertThat(ops("INSERT INTO tags (a) SELECT a FROM old_tags;"))
        .containsExactly(
            new Operation.Insert(
                1,
                "tags",
                InsertKind.PLAIN,
                "old_tags",
                List.of("a"),
                null,
                List.of(),
                List.of(),
                List.of("a")));
    assertThat(ops("INSERT INTO tags SELECT a FROM old_tags;"))
        .containsExactly(
            new Operation.Insert(1, "tags", InsertKind.PLAIN, "old_tags", List.of("a"), null));
  }

  @Test
  void bothPathsAgreeOnEscapeStringsAndSqliteOrIgnore() {
    assertThat(
            ops(
                "INSERT INTO notes (t) VALUES (E'it\\'s; fine');\nINSERT OR IGNORE INTO n VALUES (1);"))
        .containsExactly(
            new Operation.Insert(1, "notes", InsertKind.PLAIN, null),
            new Operation.Insert(2, "n", InsertKind.IDEMPOTENT, null));
  }

  @Test
  void aStatementOverTheParserLimitIsReportedUnparsedNotParsed() {
    String big =
        "UPDATE notes SET t = '" + "x".repeat(GeneralSqlParser.MAX_CHARS) + "' WHERE id = 1;";
    List<Operation> ops = ops(big);
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0)).isInstanceOf(Operation.Unparsed.class);
    assertThat(((Operation.Unparsed) ops.get(0)).reason()).contains("review it by hand");
  }

  @Test
  void aTriggerBodyStaysOneStatementWhateverItsLength() {
    String sql =
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET n = 1; "
            + "UPDATE a SET m = 2; END;\nDROP TABLE b;";
    assertThat(SqlSplitter.split(sql, 1).statements()).hasSize(2);
  }
}
