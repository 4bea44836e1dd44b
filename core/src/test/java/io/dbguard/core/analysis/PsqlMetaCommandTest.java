package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line of a SQL file that starts with a backslash is a psql meta-command ({@code \echo}, {@code
 * \set}, {@code \connect}, {@code \c}, {@code \i}), which psql ends at the end of the line (psql
 * manual, "Meta-Commands"); it is not SQL and does not run on into the next statement. The
 * statements after it are read as SQL, in seeds and migrations alike. {@code \i}/{@code \ir} in a
 * seed runs another file, which is classified in turn. Every file here was written for this test (a
 * library domain).
 */
class PsqlMetaCommandTest {

  @TempDir Path dir;

  private SeedClassification seed(String name, String sql) throws Exception {
    Path f = AnalysisFiles.write(dir, "db/seeds/" + name, sql);
    return new SeedAnalyzer().classify(f);
  }

  private List<String> seedRules(String name) throws Exception {
    return new SeedAnalyzer()
            .analyze(List.of(dir.resolve("db/seeds/" + name)), AnalysisOptions.defaults())
            .findings()
            .stream()
            .map(Finding::ruleId)
            .toList();
  }

  private static final String[] COMMANDS = {
    "\\echo 'seeding the shelves'\n",
    "\\set ON_ERROR_STOP on\n",
    "\\connect library\n",
    "\\c library\n",
    "  \\timing on\n",
    "\\pset pager off\n\\echo done with settings\n",
    "\\set shelf_count 3\n",
  };

  @Test
  void aMetaCommandDoesNotSwallowTheNextStatement() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < COMMANDS.length; i++) {
      String plain =
          COMMANDS[i] + "INSERT INTO shelves (id, label) VALUES (1, 'fiction'), (2, 'poetry');\n";
      soft.assertThat(seed("plain" + i + ".sql", plain).idempotency())
          .as(plain)
          .isEqualTo(Idempotency.NON_IDEMPOTENT);
      soft.assertThat(seedRules("plain" + i + ".sql")).as(plain).doesNotContain("DBG901");
      String guarded =
          COMMANDS[i]
              + "INSERT INTO shelves (id, label) VALUES (1, 'fiction') ON CONFLICT (id) DO"
              + " NOTHING;\n"
              + COMMANDS[i]
              + "INSERT INTO loans (id, shelf_id) VALUES (7, 1) ON CONFLICT DO NOTHING;\n";
      soft.assertThat(seed("guarded" + i + ".sql", guarded).idempotency())
          .as(guarded)
          .isEqualTo(Idempotency.IDEMPOTENT);
      soft.assertThat(seedRules("guarded" + i + ".sql")).as(guarded).doesNotContain("DBG901");
      String deleting = COMMANDS[i] + "DELETE FROM loans;\n";
      soft.assertThat(seed("deleting" + i + ".sql", deleting).idempotency())
          .as(deleting)
          .isEqualTo(Idempotency.DESTRUCTIVE);
    }
    soft.assertAll();
  }

  @Test
  void aBackslashInsideAStringOrDollarQuoteIsSql() throws Exception {
    String sql =
        "INSERT INTO shelves (id, label) VALUES (1, 'a\n\\echo not a command') ON CONFLICT DO"
            + " NOTHING;\n"
            + "DO $$\nBEGIN\n  RAISE NOTICE 'x';\n\\echo inside the body\nEND $$;\n"
            + "INSERT INTO shelves (id, label) VALUES (2, 'b');\n";
    SeedClassification c = seed("strings.sql", sql);
    assertThat(c.idempotency()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(c.line()).isEqualTo(8);
  }

  @Test
  void gSendsTheStatementBeforeIt() throws Exception {
    String sql =
        "INSERT INTO shelves (id, label) VALUES (1, 'x') ON CONFLICT DO NOTHING\n"
            + "\\g\n"
            + "INSERT INTO loans (id, shelf_id) VALUES (2, 1)\n"
            + "\\gset\n";
    SeedClassification c = seed("g.sql", sql);
    assertThat(c.idempotency()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(c.line()).isEqualTo(3);
    assertThat(seedRules("g.sql")).doesNotContain("DBG901");
  }

  @Test
  void aMigrationAfterAMetaCommandIsRead() throws Exception {
    Path f =
        AnalysisFiles.write(
            dir,
            "migrations/0003_shelves.sql",
            "\\set ON_ERROR_STOP on\nALTER TABLE shelves DROP COLUMN colour;\n");
    assertThat(AnalysisFiles.ruleIds(f)).contains("DBG102").doesNotContain("DBG901");
  }

  @Test
  void anIncludedFileIsClassified() throws Exception {
    AnalysisFiles.write(
        dir, "db/seeds/loans.sql", "INSERT INTO loans (id, shelf_id) VALUES (9, 1);\n");
    AnalysisFiles.write(
        dir,
        "db/seeds/shelves.sql",
        "INSERT INTO shelves (id, label) VALUES (1, 'x') ON CONFLICT DO NOTHING;\n");
    assertThat(seed("all.sql", "\\ir loans.sql\n").idempotency())
        .isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(seed("all2.sql", "\\ir shelves.sql\n\\echo ok\n").idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
    assertThat(seed("all3.sql", "\\i :seed_dir/other.sql\n").idempotency())
        .isEqualTo(Idempotency.UNKNOWN);
  }
}
