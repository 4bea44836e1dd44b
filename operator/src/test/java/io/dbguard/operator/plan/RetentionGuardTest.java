package io.dbguard.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every row of {@link RetentionGuard}: a retention plan made from a lagging record cache is never
 * carried out on the cache's word. The "API server" of each row is a map (what a GET by name would
 * return), the cache's view another; the guard must wait or refuse wherever the two differ in a way
 * that matters.
 */
class RetentionGuardTest {

  // --- the attempt's own record --------------------------------------------------------------

  @Test
  void ownRecordInTheCacheNeedsNoReadAndNoWait() {
    List<String> reads = new ArrayList<>();
    boolean wait =
        RetentionGuard.waitForOwnRecord(
            "shop-2", Set.of("shop-1", "shop-2"), n -> reads.add(n) && true);
    assertThat(wait).isFalse();
    assertThat(reads).as("no GET when the cache has it").isEmpty();
  }

  @Test
  void ownRecordMissingFromTheCacheButLiveMeansWaitNotPlanOverTheOlderOnes() {
    List<String> reads = new ArrayList<>();
    boolean wait =
        RetentionGuard.waitForOwnRecord("shop-3", Set.of("shop-1", "shop-2"), n -> reads.add(n));
    assertThat(wait).as("the cache lags: plan later, not over shop-1 and shop-2 alone").isTrue();
    assertThat(reads).containsExactly("shop-3");
  }

  @Test
  void ownRecordGoneEverywhereDoesNotHoldRetentionForever() {
    assertThat(RetentionGuard.waitForOwnRecord("shop-3", Set.of("shop-1"), n -> false)).isFalse();
  }

  @Test
  void anAttemptWithoutARecordDoesNotWait() {
    assertThat(RetentionGuard.waitForOwnRecord(null, Set.of(), n -> true)).isFalse();
  }

  // --- records a plan deletes ----------------------------------------------------------------

  @Test
  void recordsUnchangedAndUnpinnedMayBeDeleted() {
    Map<String, RetentionGuard.Live> live =
        Map.of(
            "shop-1", new RetentionGuard.Live("10", false),
            "shop-2", new RetentionGuard.Live("11", false));
    assertThat(RetentionGuard.unsafe(ordered("shop-1", "10", "shop-2", "11"), live::get)).isEmpty();
  }

  @Test
  void aRecordPinnedAfterTheCacheWasFilledIsNeverDeleted() {
    // the cache still shows shop-1 unpinned at resourceVersion 10; a person pinned it since
    Map<String, RetentionGuard.Live> live =
        Map.of(
            "shop-1", new RetentionGuard.Live("12", true),
            "shop-2", new RetentionGuard.Live("11", false));
    assertThat(RetentionGuard.unsafe(ordered("shop-1", "10", "shop-2", "11"), live::get))
        .containsExactly("DatabaseBackup shop-1 is pinned");
  }

  @Test
  void aRecordPinnedEvenAtTheCachedVersionIsNeverDeleted() {
    // a planner fed by a cache that showed the pin would not pick it; this row guards the guard
    Map<String, RetentionGuard.Live> live = Map.of("shop-1", new RetentionGuard.Live("10", true));
    assertThat(RetentionGuard.unsafe(ordered("shop-1", "10"), live::get)).hasSize(1);
  }

  @Test
  void aRecordChangedSinceTheCacheWasFilledIsNotDeletedOnTheOldCopy() {
    // e.g. re-verified by a prune Job, or re-used by a restore request: the plan is made again
    Map<String, RetentionGuard.Live> live = Map.of("shop-1", new RetentionGuard.Live("15", false));
    assertThat(RetentionGuard.unsafe(ordered("shop-1", "10"), live::get))
        .containsExactly(
            "DatabaseBackup shop-1 changed since the cache was read (resourceVersion 10 → 15)");
  }

  @Test
  void aRecordGoneSinceTheCacheWasFilledIsReported() {
    Map<String, RetentionGuard.Live> live = new HashMap<>();
    assertThat(RetentionGuard.unsafe(ordered("shop-1", "10"), live::get))
        .containsExactly("DatabaseBackup shop-1 is gone since the cache was read");
  }

  @Test
  void aRecordTheCacheNoLongerHasIsNotDeletedEither() {
    Map<String, RetentionGuard.Live> live = Map.of("shop-1", new RetentionGuard.Live("10", false));
    assertThat(RetentionGuard.unsafe(ordered("shop-1", null), live::get)).hasSize(1);
  }

  @Test
  void eachRecordToDeleteIsReadOnceAndNothingElse() {
    List<String> reads = new ArrayList<>();
    RetentionGuard.unsafe(
        ordered("shop-1", "10", "shop-2", "11"),
        n -> {
          reads.add(n);
          return new RetentionGuard.Live(n.equals("shop-1") ? "10" : "11", false);
        });
    assertThat(reads).containsExactly("shop-1", "shop-2");
    assertThat(RetentionGuard.unsafe(Map.of(), n -> null)).isEmpty();
  }

  private static Map<String, String> ordered(String... nameVersion) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameVersion.length; i += 2) {
      m.put(nameVersion[i], nameVersion[i + 1]);
    }
    return m;
  }
}
