package io.dbguard.core.analysis;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Rails seed that destroys rows one by one through a loop over a model's rows ({@code
 * Hive.all.each(&:destroy)}, {@code (Hive.all - kept).each { |h| h.destroy }}, {@code
 * Hive.find_each(&:destroy!)}) deletes them as {@code destroy_all} does (ActiveRecord's {@code
 * destroy_all} is itself {@code each(&:destroy)}, per the Rails API docs): destructive. The same
 * loop over values that are not rows (an array of names, a hash) deletes nothing. Every seed here
 * was written for this test (a beekeeping domain).
 */
class SeedRowLoopDestroyTest {

  @TempDir Path root;

  private Idempotency seed(String name, String src) throws Exception {
    Path f = root.resolve("db/seeds").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
    return new SeedAnalyzer().classify(f).idempotency();
  }

  private static final String CREATE = "Apiary.find_or_create_by!(name: \"north\")\n";

  @Test
  void destroyingEachRowOfAModelIsDestructive() throws Exception {
    String[] seeds = {
      "Hive.all.each(&:destroy)\n",
      "Hive.where(apiary_id: 3).each(&:destroy)\n",
      "Hive.where(queenless: true).to_a.each(&:destroy!)\n",
      "kept = Hive.where(name: \"main\")\n[Hive.all - kept].flatten.each(&:destroy)\n",
      "kept = Hive.where(name: \"main\")\n(Hive.all - kept).each(&:destroy)\n",
      "Hive.all.each { |h| h.destroy }\n",
      "Hive.all.each do |hive|\n  hive.destroy!\nend\n",
      "Hive.find_each(&:destroy!)\n",
      "Frame.order(:id).each(&:delete)\n",
      "Hive.all.map(&:destroy)\n",
      "stale = Hive.where(queenless: true)\nstale.each(&:destroy)\n",
      "Beekeeper::Hive.all.each(&:destroy)\n",
      "Hive.where(apiary_id: 2).find_each { |h| h.destroy }\n",
      "(Hive.all - Hive.where(name: \"main\")).each do |h|\n  h.destroy\nend\n",
    };
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < seeds.length; i++) {
      soft.assertThat(seed("d" + i + ".rb", seeds[i] + CREATE))
          .as(seeds[i])
          .isEqualTo(Idempotency.DESTRUCTIVE);
    }
    soft.assertAll();
  }

  @Test
  void loopsOverValuesThatAreNotRowsDeleteNothing() throws Exception {
    String[] seeds = {
      "names = %w[north south]\nnames.each { |n| n.delete(\"-\") }\n",
      "[\"north\", \"south\"].each { |n| puts n.delete(\"-\") }\n",
      "opts = { a: 1 }\nopts.each { |k, v| opts.delete(k) }\n",
      "Apiary.all.each { |a| puts a.name }\n",
      "DEFAULT_HIVES.each { |h| h.delete(:legacy) }\n",
      "ENV.keys.each { |k| ENV.delete(k) if k.start_with?(\"BEE_\") }\n",
      "Hive.all.each { |h| Rails.cache.delete(\"hive/#{h.id}\") }\n",
    };
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < seeds.length; i++) {
      soft.assertThat(seed("v" + i + ".rb", seeds[i] + CREATE))
          .as(seeds[i])
          .isEqualTo(Idempotency.IDEMPOTENT);
    }
    soft.assertAll();
  }
}
