package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renaming a type breaks the running version's queries that name it (issue 13, DBG115); the renames
 * that belong to an enum rebuild or to a type created in the batch do not. Examples written for
 * this test.
 */
class RenameTypeTest {

  @TempDir Path dir;

  private List<String> rules(String name, String sql) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, sql);
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .map(Finding::ruleId)
            .toList();
  }

  @Test
  void renamingAnExistingTypeIsRefused() throws Exception {
    assertThat(rules("a.sql", "ALTER TYPE \"KiteShape\" RENAME TO \"KiteForm\";\n"))
        .containsExactly("DBG115");
    assertThat(rules("b.sql", "ALTER TYPE public.sail_colour RENAME TO sail_color;\n"))
        .containsExactly("DBG115");
  }

  @Test
  void renamesInsideAnEnumRebuildOrOfANewTypeAreNot() throws Exception {
    // rename-first rebuild: the old name is created again
    assertThat(
            rules(
                "c.sql",
                "ALTER TYPE kite_state RENAME TO kite_state_old;\n"
                    + "CREATE TYPE kite_state AS ENUM ('grounded', 'flying');\n"
                    + "ALTER TABLE kites ALTER COLUMN state TYPE kite_state"
                    + " USING state::text::kite_state;\n"
                    + "DROP TYPE kite_state_old;\n"))
        .doesNotContain("DBG115");
    // create-first rebuild: the new type, created in the batch, takes the old name
    assertThat(
            rules(
                "d.sql",
                "CREATE TYPE kite_size_new AS ENUM ('s', 'm', 'l');\n"
                    + "ALTER TABLE kites ALTER COLUMN size TYPE kite_size_new"
                    + " USING size::text::kite_size_new;\n"
                    + "DROP TYPE kite_size;\n"
                    + "ALTER TYPE kite_size_new RENAME TO kite_size;\n"))
        .doesNotContain("DBG115");
  }
}
