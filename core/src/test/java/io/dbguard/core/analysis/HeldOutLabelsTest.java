package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HeldOutLabels} refuses a corpus whose files are missing, altered or mislabelled. */
class HeldOutLabelsTest {

  @TempDir Path dir;

  private void corpus(String label, String sha) throws IOException {
    Files.writeString(
        dir.resolve("labels.tsv"), "file\tlabel\treason\npg/a.sql\t" + label + "\tr\n");
    Files.writeString(
        dir.resolve("provenance.tsv"),
        "file\trepository\tpath\tcommit\tlicence\tsha256\npg/a.sql\to/r\ta.sql\t\tMIT\t"
            + sha
            + "\n");
  }

  private Path file() throws IOException {
    Files.createDirectories(dir.resolve("pg"));
    return Files.writeString(dir.resolve("pg/a.sql"), "DROP TABLE t;\n");
  }

  @Test
  void acceptsAnIntactCorpus() throws IOException {
    Path f = file();
    corpus("refuse", HeldOutLabels.sha256(f));
    assertThat(HeldOutLabels.read(dir, dir))
        .containsExactly(new HeldOutLabels.Entry("pg/a.sql", "refuse", "r"));
  }

  /**
   * The in-repository layout puts a project's other migrations beside the labelled ones: only the
   * files named in {@code labels.tsv} are entries (and so scored), never the files around them.
   */
  @Test
  void returnsOnlyTheLabelledFilesNotTheContextBesideThem() throws IOException {
    Path f = file();
    corpus("refuse", HeldOutLabels.sha256(f));
    Files.writeString(dir.resolve("pg/0_earlier.sql"), "CREATE TABLE t (id int);\n");
    Files.createDirectories(dir.resolve("pg/v1"));
    Files.writeString(dir.resolve("pg/v1/later.sql"), "DROP TABLE u;\n");
    assertThat(HeldOutLabels.read(dir, dir))
        .containsExactly(new HeldOutLabels.Entry("pg/a.sql", "refuse", "r"));
  }

  @Test
  void refusesAMissingFile() throws IOException {
    corpus("refuse", "00");
    assertThatThrownBy(() -> HeldOutLabels.read(dir, dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pg/a.sql: missing");
  }

  @Test
  void refusesAnAlteredFile() throws IOException {
    file();
    corpus("refuse", "0".repeat(64));
    assertThatThrownBy(() -> HeldOutLabels.read(dir, dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("differs from the recorded sha256");
  }

  @Test
  void leavesExcludedFilesOutWithoutLookingForThem() throws IOException {
    corpus("refuse", "00");
    assertThat(HeldOutLabels.read(dir, dir, Set.of("pg/a.sql"))).isEmpty();
  }

  @Test
  void refusesAnExclusionThatIsNotALabelledFile() throws IOException {
    Path f = file();
    corpus("refuse", HeldOutLabels.sha256(f));
    assertThatThrownBy(() -> HeldOutLabels.read(dir, dir, Set.of("pg/typo.sql")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pg/typo.sql: excluded, but not a labelled file");
  }

  @Test
  void refusesAnUndefinedLabel() throws IOException {
    Path f = file();
    corpus("idempotent", HeldOutLabels.sha256(f));
    assertThatThrownBy(() -> HeldOutLabels.read(dir, dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not defined for its kind");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "src/test/resources/heldout",
        "src/test/resources/heldout2",
        "src/test/resources/heldout3",
        "src/test/resources/heldout4",
        "src/test/resources/heldout5",
        "src/test/resources/heldout6",
        "src/test/resources/heldout7",
        "src/test/resources/heldout8",
        "src/test/resources/heldout9"
      })
  void theCommittedLabelSetsAreWellFormed(String set) throws IOException {
    Path labels = Path.of(set);
    java.util.List<String> l = Files.readAllLines(labels.resolve("labels.tsv"));
    java.util.List<String> p = Files.readAllLines(labels.resolve("provenance.tsv"));
    assertThat(l.get(0)).isEqualTo("file\tlabel\treason");
    assertThat(p.get(0)).isEqualTo("file\trepository\tpath\tcommit\tlicence\tsha256");
    Set<String> allowed =
        Set.of("refuse", "warn", "safe", "idempotent", "non-idempotent", "destructive");
    java.util.Map<String, String> kinds = new java.util.HashMap<>();
    for (String row : l.subList(1, l.size())) {
      String[] c = row.split("\t", -1);
      assertThat(c).as(row).hasSize(3);
      assertThat(allowed).as(row).contains(c[1]);
      assertThat(c[2]).as(row).isNotBlank();
      assertThat(kinds.put(c[0], c[1])).as("labelled twice: " + c[0]).isNull();
    }
    Set<String> withProvenance = new java.util.HashSet<>();
    for (String row : p.subList(1, p.size())) {
      String[] c = row.split("\t", -1);
      assertThat(c).as(row).hasSize(6);
      assertThat(c[3]).as(row).matches("|[0-9a-f]{40}");
      assertThat(c[5]).as(row).matches("[0-9a-f]{64}");
      withProvenance.add(c[0]);
    }
    assertThat(withProvenance).isEqualTo(kinds.keySet());
  }
}
