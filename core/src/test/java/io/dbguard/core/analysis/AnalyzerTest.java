package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.analysis.rules.Rules;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.report.ExitCode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {

  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void directoryIsOneBatchInVersionOrder() throws Exception {
    file("sql/V10__drop_col.sql", "ALTER TABLE t DROP COLUMN c;\n");
    file("sql/V2__create.sql", "CREATE TABLE t (id int, c text);\n");
    file("sql/V1__other.sql", "ALTER TABLE u DROP COLUMN c;\n");
    AnalysisReport r =
        new Analyzer().analyze(List.of(dir.resolve("sql")), AnalysisOptions.defaults());
    assertThat(r.files())
        .extracting(f -> Path.of(f.path()).getFileName().toString())
        .containsExactly("V1__other.sql", "V2__create.sql", "V10__drop_col.sql");
    // t was created earlier in the batch: exempt; u was not
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rules.DROP_COLUMN);
              assertThat(f.message()).contains("u.c");
            });
    assertThat(r.exitCode(Verdict.REFUSE)).isEqualTo(ExitCode.REFUSED);
  }

  @Test
  void acknowledgementByRuleNameAndFileWithoutSha() throws Exception {
    Path p = file("V1__drop.sql", "DROP TABLE t;\n");
    AnalysisReport r =
        new Analyzer()
            .analyze(
                List.of(p),
                new AnalysisOptions(
                    null, null, List.of(new Acknowledgement("drop-table", "V1__drop.sql", null))));
    assertThat(r.blocking()).isEmpty();
    assertThat(r.acknowledged())
        .singleElement()
        .satisfies(f -> assertThat(f.acknowledgedBy()).contains("drop-table"));
    assertThat(r.exitCode(Verdict.WARN)).isEqualTo(ExitCode.OK);
  }

  @Test
  void summaryFitsTheLimit() throws Exception {
    Path p = file("V1__drop.sql", "DROP TABLE a;\nDROP TABLE b;\nCREATE INDEX i ON c (x);\n");
    AnalysisReport r = new Analyzer().analyze(List.of(p), AnalysisOptions.defaults());
    assertThat(r.summary(4096))
        .startsWith("2 refused (DBG101 ")
        .contains("DBG201")
        .endsWith(", 1 warning(s), 0 acknowledged");
    assertThat(r.summary(60)).hasSizeLessThanOrEqualTo(60).startsWith("2 refused");
  }

  @Test
  void acknowledgementParsing() {
    String sha = "a".repeat(64);
    assertThat(Acknowledgement.parse("DBG102:db/migrate/1_x.rb:" + sha))
        .isEqualTo(new Acknowledgement("DBG102", "db/migrate/1_x.rb", sha));
    assertThat(Acknowledgement.parse("DBG102:C:/x.sql"))
        .isEqualTo(new Acknowledgement("DBG102", "C:/x.sql", null));
    assertThatThrownBy(() -> Acknowledgement.parse("DBG102"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void missingPathIsNoSuchFile() {
    assertThatThrownBy(
            () -> new Analyzer().analyze(List.of(dir.resolve("nope")), AnalysisOptions.defaults()))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void naturalOrder() {
    assertThat(Analyzer.natural("V2__a.sql", "V10__a.sql")).isNegative();
    assertThat(Analyzer.natural("0002_x.py", "0010_y.py")).isNegative();
    assertThat(Analyzer.natural("V1_1__a.sql", "V1_10__a.sql")).isNegative();
  }

  @Test
  void golangMigrateDownFilesAreListedButNotAnalysed() throws Exception {
    file("m/000001_init.up.sql", "CREATE TABLE t (id int);\n");
    file("m/000001_init.down.sql", "DROP TABLE t;\n");
    AnalysisReport r =
        new Analyzer().analyze(List.of(dir.resolve("m")), AnalysisOptions.defaults());
    assertThat(r.files()).hasSize(2);
    assertThat(r.findings()).isEmpty();
  }
}
