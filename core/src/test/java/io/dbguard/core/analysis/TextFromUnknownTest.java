package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change to {@code text} (or unbounded {@code varchar}) whose previous type no earlier migration
 * declares is a notice (DBG226): nothing is lost whatever the type was, and from {@code varchar},
 * the usual source, nothing is rewritten. A known previous type is judged exactly. Examples written
 * for this test.
 */
class TextFromUnknownTest {

  @TempDir Path dir;

  private int cases;

  /** The rule ids of migration {@code name}, alone in a directory of its own. */
  private List<String> rules(String name, String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "case" + ++cases + "/" + name, sql));
  }

  @Test
  void anUnknownPreviousTypeIsANotice() throws Exception {
    // seen failing before the change: DBG209 (warn)
    assertThat(rules("V2__notes.sql", "ALTER TABLE nests ALTER COLUMN notes TYPE text;"))
        .containsExactly("DBG226");
    assertThat(rules("V2__notes_varchar.sql", "ALTER TABLE nests ALTER COLUMN notes TYPE varchar;"))
        .containsExactly("DBG226");
  }

  @Test
  void aKnownPreviousTypeOrAConversionIsJudgedAsBefore() throws Exception {
    // the previous types from an earlier migration of the directory
    AnalysisFiles.write(
        dir, "known/V1__nests.sql", "CREATE TABLE nests (id int, notes varchar(80), eggs int);\n");
    assertThat(
            AnalysisFiles.ruleIds(
                AnalysisFiles.write(
                    dir,
                    "known/V2__text.sql",
                    "ALTER TABLE nests ALTER COLUMN notes TYPE text;\n"
                        + "ALTER TABLE nests ALTER COLUMN eggs TYPE text;\n")))
        .containsExactly("DBG209");
    assertThat(
            rules(
                "V4__using.sql",
                "ALTER TABLE nests ALTER COLUMN notes TYPE text USING notes::text || '!';"))
        .doesNotContain("DBG226");
    assertThat(
            rules(
                "V5__collate.sql", "ALTER TABLE nests ALTER COLUMN notes TYPE text COLLATE \"C\";"))
        .doesNotContain("DBG226");
  }
}
