package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code AlterUniqueTogether} / {@code AlterIndexTogether} in every way Django has written the set
 * of groups into a migration: a set literal, a list or tuple, and {@code set([...])} (Django on
 * Python 2). A non-empty value builds a unique constraint or an index on an existing table; an
 * empty one drops them. Examples written for this test (issue 13).
 */
class DjangoTogetherTest {

  @TempDir Path dir;

  private List<String> rules(String operation) throws Exception {
    Path m = dir.resolve("kennel/migrations");
    Files.createDirectories(m);
    Path f = m.resolve("0004_together.py");
    Files.writeString(
        f,
        """
        from django.db import migrations


        class Migration(migrations.Migration):
            dependencies = [("kennel", "0003_previous")]

            operations = [
                %s
            ]
        """
            .formatted(operation));
    return new Analyzer()
        .analyze(List.of(f), AnalysisOptions.defaults()).findings().stream()
            .map(Finding::ruleId)
            .toList();
  }

  @Test
  void everySpellingOfANonEmptySetBuildsUnderLock() throws Exception {
    for (String groups :
        List.of(
            "{(\"run\", \"slot\")}",
            "[(\"run\", \"slot\")]",
            "((\"run\", \"slot\"),)",
            // seen failing before the change: set([...]) came out with no finding
            "set([(\"run\", \"slot\")])",
            "frozenset([(\"run\", \"slot\")])")) {
      assertThat(
              rules(
                  "migrations.AlterUniqueTogether(name=\"booking\", unique_together=%s),"
                      .formatted(groups)))
          .as(groups)
          .containsExactly("DBG205");
      assertThat(
              rules(
                  "migrations.AlterIndexTogether(name=\"booking\", index_together=%s),"
                      .formatted(groups)))
          .as(groups)
          .containsExactly("DBG201");
    }
  }

  @Test
  void anEmptySetDropsAndBuildsNothing() throws Exception {
    for (String groups : List.of("set()", "set([])", "[]", "{}")) {
      assertThat(
              rules(
                  "migrations.AlterUniqueTogether(name=\"booking\", unique_together=%s),"
                      .formatted(groups)))
          .as(groups)
          .isEmpty();
    }
  }
}
