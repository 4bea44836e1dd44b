package io.dbguard.core.analysis.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulesDocTest {

  private static final Path DOC = Path.of("../docs/rules.md");

  @Test
  void committedRulesPageIsUpToDate() throws Exception {
    String expected = RulesDocGenerator.render();
    if (Boolean.getBoolean("dbguard.regenerateDocs")) {
      Files.writeString(DOC, expected);
    }
    assertThat(DOC).exists();
    assertThat(Files.readString(DOC))
        .as("docs/rules.md is stale: run the tests with -Ddbguard.regenerateDocs=true")
        .isEqualTo(expected);
  }

  @Test
  void idsAreUniqueStableAndFollowTheScheme() {
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Rule r : Rules.ALL) {
      assertThat(ids.add(r.id())).as(r.id()).isTrue();
      assertThat(names.add(r.name())).as(r.name()).isTrue();
      assertThat(r.id()).matches("DBG[1239]\\d\\d");
      assertThat(r.sources()).isNotEmpty();
      assertThat(r.explanation()).isNotBlank();
      if (r.id().startsWith("DBG1")) {
        assertThat(r.verdict()).isEqualTo(Verdict.REFUSE);
      }
      if (r.id().startsWith("DBG2") && !r.id().equals("DBG220")) {
        // ids are stable: DBG2xx rules moved to notice keep their ids, and so does DBG220,
        // moved to refuse (the running version's inserts fail)
        assertThat(r.verdict()).isIn(Verdict.WARN, Verdict.NOTICE);
      }
      if (r.id().startsWith("DBG9")) {
        assertThat(r.verdict()).isEqualTo(Verdict.NOTICE);
      }
    }
    assertThat(Rules.find("ban-drop-column")).contains(Rules.DROP_COLUMN);
    assertThat(Rules.find("DS102")).contains(Rules.DROP_TABLE);
  }
}
