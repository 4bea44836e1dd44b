package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails seed (or rake task) that empties several tables through a literal list of model classes
 * ({@code [Hive, Frame, Apiary].each(&:destroy_all)}) deletes every row of each, as {@code
 * Hive.destroy_all} does: destructive. A list of values that are not models ({@code %w[a b]}, a
 * value constant, {@code Rails}) deletes nothing, and {@code &:destroy} on each class (an instance
 * method) is not a class method call. Every seed here was written for this test (a beekeeping
 * domain).
 */
class SeedModelListDestroyTest {

  @TempDir Path root;

  private Idempotency seed(String src) throws Exception {
    Path f = root.resolve("db/seeds.rb");
    Files.createDirectories(f.getParent());
    Files.writeString(f, src + "Apiary.find_or_create_by!(name: \"north\")\n");
    return new SeedAnalyzer().classify(f).idempotency();
  }

  @Test
  void aLiteralListOfModelsEmptiedOneByOneIsDestructive() throws Exception {
    // seen failing before the change: idempotent (the list was read as values, not rows)
    assertThat(seed("[Hive, Frame, Apiary].each(&:destroy_all)\n"))
        .isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(seed("[\n  Hive,\n  Frame,\n  Beekeeping::Apiary,\n].each(&:delete_all)\n"))
        .isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void listsOfOtherValuesDeleteNothing() throws Exception {
    assertThat(seed("%w[hive frame].each(&:destroy_all)\n")).isEqualTo(Idempotency.IDEMPOTENT);
    assertThat(seed("[\"hive\", \"frame\"].each(&:destroy_all)\n"))
        .isEqualTo(Idempotency.IDEMPOTENT);
    assertThat(seed("[DEFAULTS, Rails].each(&:destroy_all)\n")).isEqualTo(Idempotency.IDEMPOTENT);
  }
}
