package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.frontend.SqlFrontEnd;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.rules.Rules;
import io.dbguard.core.analysis.rules.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL enum lifecycle: DBG113 (RENAME VALUE) and DBG114 (a type rebuild that loses labels
 * known from earlier in the batch).
 */
class EnumRulesTest {

  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  private AnalysisReport batch(AnalysisOptions options) throws Exception {
    return new Analyzer().analyze(List.of(dir), options);
  }

  private List<String> ids(AnalysisReport r) {
    return r.findings().stream().map(f -> f.ruleId() + (f.acknowledged() ? "!" : "")).toList();
  }

  private static List<Operation> sql(String s) {
    return new SqlFrontEnd("postgresql").parse(s, 1).operations();
  }

  // ---- front end ----

  @Test
  void frontEndReadsEnumStatements() {
    assertThat(sql("CREATE TYPE public.\"Mood\" AS ENUM ('sad', 'it''s ok', 'Happy')"))
        .containsExactly(new Operation.CreateEnum(1, "mood", List.of("sad", "it's ok", "Happy")));
    assertThat(sql("create type point2 as (x int, y int)")).isEmpty();
    assertThat(sql("ALTER TYPE s.mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'sad'"))
        .containsExactly(new Operation.AddEnumValue(1, "mood", "meh", "BEFORE 'sad'"));
    assertThat(sql("ALTER TYPE mood ADD VALUE 'meh'"))
        .containsExactly(new Operation.AddEnumValue(1, "mood", "meh", null));
    assertThat(sql("alter type \"Mood\" rename value 'sad' to 'blue'"))
        .containsExactly(new Operation.RenameEnumValue(1, "mood", "sad", "blue"));
    assertThat(sql("ALTER TYPE mood RENAME TO mood_old"))
        .containsExactly(new Operation.RenameType(1, "mood", "mood_old"));
    assertThat(sql("DROP TYPE IF EXISTS mood_old, s.other CASCADE"))
        .containsExactly(new Operation.DropType(1, List.of("mood_old", "other")));
    assertThat(sql("ALTER TYPE mood OWNER TO app")).isEmpty();
    // schema."Quoted" names (the tokenizer keeps the dot on the schema word)
    assertThat(sql("ALTER TABLE public.\"Users\" DROP COLUMN x"))
        .containsExactly(new Operation.DropColumn(1, "users", "x"));
  }

  // ---- DBG113 rename-enum-value ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';",
        "alter type public.order_status rename value 'canceled' to 'cancelled';",
        "ALTER TYPE \"public\".\"Order_Status\" RENAME VALUE 'canceled' TO 'cancelled';",
        "ALTER TYPE order_status\n  RENAME VALUE 'canceled'\n  TO 'cancelled';"
      })
  void renameValueIsRefusedWithBothLabels(String stmt) throws Exception {
    file("V1__rename.sql", stmt + "\n");
    AnalysisReport r = batch(AnalysisOptions.defaults());
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rules.RENAME_ENUM_VALUE);
              assertThat(f.rule().verdict()).isEqualTo(Verdict.REFUSE);
              assertThat(f.acknowledged()).isFalse();
              assertThat(f.line()).isEqualTo(1);
              assertThat(f.message())
                  .contains("'canceled'", "order_status", "'cancelled'")
                  .doesNotContain("public");
            });
    assertThat(r.blocking()).hasSize(1);
  }

  @Test
  void renameValueFromRailsCarriesTheLabels() throws Exception {
    file(
        "db/migrate/20240101000001_rename_status.rb",
        """
        class RenameStatus < ActiveRecord::Migration[7.1]
          def change
            rename_enum_value :order_status, from: "canceled", to: "cancelled"
          end
        end
        """);
    AnalysisReport r = batch(AnalysisOptions.defaults());
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rules.RENAME_ENUM_VALUE);
              assertThat(f.line()).isEqualTo(3);
              assertThat(f.message()).contains("'canceled'", "'cancelled'");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"DBG113", "rename-enum-value", "rename_enum_value"})
  void renameValueAcknowledgedIsReportedAsAcknowledged(String selector) throws Exception {
    file("V1__rename.sql", "ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';\n");
    AnalysisReport r =
        batch(
            new AnalysisOptions(
                null, null, List.of(new Acknowledgement(selector, "V1__rename.sql", null))));
    assertThat(ids(r)).containsExactly("DBG113!");
    assertThat(r.blocking()).isEmpty();
  }

  @Test
  void renameValueSuppressedByCommentIsAcknowledged() throws Exception {
    file(
        "V1__rename.sql",
        "-- dbguard:ignore DBG113 no code reads the old label since release 42\n"
            + "ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';\n");
    assertThat(ids(batch(AnalysisOptions.defaults()))).containsExactly("DBG113!");
  }

  @Test
  void addValueAndNewTypesAreNotFlagged() throws Exception {
    file(
        "V1__enum.sql",
        """
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        ALTER TYPE mood ADD VALUE 'happy';
        ALTER TYPE public.order_status ADD VALUE IF NOT EXISTS 'refunded';
        ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
        """);
    assertThat(batch(AnalysisOptions.defaults()).findings()).isEmpty();
  }

  // ---- DBG114 enum-value-removed ----

  @Test
  void rebuildByRenamingTheOldTypeAwayRefusesTheRemovedLabels() throws Exception {
    file("V1__create.sql", "CREATE TYPE Public.Mood AS ENUM ('sad', 'ok', 'happy', 'meh');\n");
    file(
        "V2__rebuild.sql",
        """
        ALTER TYPE mood RENAME TO mood_old;
        CREATE TYPE mood AS ENUM ('sad', 'happy');
        ALTER TABLE person ALTER COLUMN current_mood TYPE mood USING current_mood::text::mood;
        DROP TYPE mood_old;
        """);
    AnalysisReport r = batch(AnalysisOptions.defaults());
    // the USING cast on an existing table is DBG108 already; DBG114 names the lost labels
    assertThat(ids(r)).containsExactlyInAnyOrder("DBG114", "DBG108");
    assertThat(r.findings())
        .filteredOn(f -> f.rule() == Rules.ENUM_VALUE_REMOVED)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule().verdict()).isEqualTo(Verdict.REFUSE);
              assertThat(Path.of(f.file()).getFileName().toString()).isEqualTo("V2__rebuild.sql");
              assertThat(f.line()).isEqualTo(2);
              assertThat(f.message()).contains("enum mood", "'ok', 'meh'").doesNotContain("'sad'");
            });
  }

  @Test
  void rebuildThroughANewTypeRenamedToTheOldNameAcrossFiles() throws Exception {
    // the type predates the batch: only the labels added in the batch are known
    file("V1__add.sql", "ALTER TYPE \"order_status\" ADD VALUE 'on_hold';\n");
    file(
        "V2__new_type.sql",
        """
        CREATE TYPE order_status_new AS ENUM ('pending', 'paid', 'shipped');
        ALTER TABLE orders ALTER COLUMN status TYPE order_status_new
          USING status::text::order_status_new;
        """);
    file("V3__drop_old.sql", "DROP TYPE order_status;\n");
    file("V4__rename.sql", "ALTER TYPE order_status_new RENAME TO order_status;\n");
    AnalysisReport r = batch(AnalysisOptions.defaults());
    assertThat(ids(r)).containsExactlyInAnyOrder("DBG108", "DBG114");
    assertThat(r.findings())
        .filteredOn(f -> f.rule() == Rules.ENUM_VALUE_REMOVED)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(Path.of(f.file()).getFileName().toString()).isEqualTo("V4__rename.sql");
              assertThat(f.message()).contains("value 'on_hold'");
            });
  }

  @Test
  void rebuildWithRenameAwayThenRenameNewIn() throws Exception {
    file(
        "V1__rebuild.sql",
        """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TYPE mood_new AS ENUM ('sad', 'happy');
        ALTER TYPE mood RENAME TO mood_old;
        ALTER TYPE mood_new RENAME TO mood;
        DROP TYPE mood_old;
        """);
    AnalysisReport r = batch(AnalysisOptions.defaults());
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rules.ENUM_VALUE_REMOVED);
              assertThat(f.line()).isEqualTo(4);
              assertThat(f.message()).contains("value 'ok'");
            });
  }

  @Test
  void rebuildKeepingOrAddingLabelsIsNotDbg114() throws Exception {
    file("V1__create.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n");
    // RENAME VALUE is followed: 'ok' is now 'fine' (DBG113 for the rename itself)
    file("V2__rename.sql", "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';\n");
    file(
        "V3__rebuild.sql",
        """
        ALTER TYPE mood RENAME TO mood_old;
        CREATE TYPE mood AS ENUM ('meh', 'fine', 'sad', 'happy');
        DROP TYPE mood_old;
        """);
    assertThat(ids(batch(AnalysisOptions.defaults()))).containsExactly("DBG113");
  }

  @Test
  void rebuildOfATypeWithUnknownLabelsIsNotGuessed() throws Exception {
    file(
        "V1__rebuild.sql",
        """
        ALTER TYPE mood RENAME TO mood_old;
        CREATE TYPE mood AS ENUM ('sad');
        ALTER TABLE person ALTER COLUMN current_mood TYPE mood USING current_mood::text::mood;
        DROP TYPE mood_old;
        """);
    // only the existing type-change rule fires on the USING cast
    assertThat(ids(batch(AnalysisOptions.defaults()))).containsExactly("DBG108");
  }

  @Test
  void rebuildAcknowledgedIsReportedAsAcknowledged() throws Exception {
    file("V1__create.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n");
    file(
        "V2__rebuild.sql",
        """
        DROP TYPE mood;
        -- dbguard:ignore DBG114 'ok' rows were migrated in OPS-77
        CREATE TYPE mood AS ENUM ('sad');
        """);
    assertThat(ids(batch(AnalysisOptions.defaults()))).containsExactly("DBG114!");

    Files.writeString(
        dir.resolve("V2__rebuild.sql"), "DROP TYPE mood;\nCREATE TYPE mood AS ENUM ('sad');\n");
    AnalysisReport r =
        batch(
            new AnalysisOptions(
                null,
                null,
                List.of(new Acknowledgement("enum-value-removed", "V2__rebuild.sql", null))));
    assertThat(ids(r)).containsExactly("DBG114!");
    assertThat(r.blocking()).isEmpty();
  }

  @Test
  void railsEnumHelpersFeedTheSameTracking() throws Exception {
    file(
        "db/migrate/20240101000001_create_mood.rb",
        """
        class CreateMood < ActiveRecord::Migration[7.1]
          def change
            create_enum :mood, ["sad", "ok", "happy"]
            add_enum_value :mood, "meh"
          end
        end
        """);
    file(
        "db/migrate/20240101000002_rebuild_mood.rb",
        """
        class RebuildMood < ActiveRecord::Migration[7.1]
          def up
            rename_enum :mood, :mood_old
            create_enum :mood, ["sad", "happy", "meh"]
            drop_enum :mood_old
          end
        end
        """);
    AnalysisReport r = batch(AnalysisOptions.defaults());
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rules.ENUM_VALUE_REMOVED);
              assertThat(f.line()).isEqualTo(4);
              assertThat(f.message()).contains("value 'ok'");
            });
  }
}
