package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQL migration's dialect is sniffed from its statements, not its comments: a PostgreSQL file
 * whose comment says "applies to INSERT or UPDATE" is still judged by the PostgreSQL lock rules,
 * while SQLite-only syntax in a statement still makes it SQLite. Examples written for this test.
 */
class DialectSniffTest {

  @TempDir Path dir;

  private List<String> rules(String name, String text) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, name, text));
  }

  private static final String INDEX = "CREATE INDEX hives_frames_idx ON hives (frames);\n";

  @Test
  void wordsInCommentsDoNotMakeAFileSqlite() throws Exception {
    assertThat(
            rules(
                "V7__hive_frames_index.sql",
                "-- the default applies to later INSERT or UPDATE commands only\n"
                    + "/* unlike PRAGMA table_info, nothing here is SQLite; AUTOINCREMENT neither */\n"
                    + INDEX))
        .containsExactly("DBG201");
  }

  @Test
  void sqliteSyntaxInAStatementStillMakesItSqlite() throws Exception {
    // SQLite has no concurrent index build: an index build there is no lock finding
    assertThat(rules("V8__hive_frames.sql", "PRAGMA foreign_keys = ON;\n" + INDEX)).isEmpty();
    assertThat(
            rules(
                "V9__hive_frames.sql",
                "INSERT OR IGNORE INTO settings (k, v) VALUES ('frames', '10');\n" + INDEX))
        .isEmpty();
  }
}
