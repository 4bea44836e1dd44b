package io.dbguard.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.engine.DataProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionPolicyTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  /** A backup completed {@code hoursAgo} before NOW; flags: v = verified, p = pinned. */
  static BackupManifest b(String name, int hoursAgo, String flags) {
    return new BackupManifest(
        1,
        name,
        name + ".sqlite3",
        "SQLite",
        "3",
        Map.of(),
        Map.of(),
        "test",
        NOW.minus(Duration.ofHours(hoursAgo + 1)),
        NOW.minus(Duration.ofHours(hoursAgo)),
        flags.contains("v") ? NOW.minus(Duration.ofHours(hoursAgo)) : null,
        1,
        "x",
        "none",
        new DataProfile(Map.of(), "f", null),
        null,
        flags.contains("p"));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // keep last 2 verified
        Arguments.of(
            new RetentionPolicy(2, null),
            List.of(b("a", 1, "v"), b("b", 2, "v"), b("c", 3, "v"), b("d", 4, "v")),
            List.of("c", "d")),
        // order by completedAt, not by name: "z" is newest although it sorts last
        Arguments.of(
            new RetentionPolicy(1, null),
            List.of(b("a", 5, "v"), b("z", 1, "v"), b("m", 3, "v")),
            List.of("m", "a")),
        // pinned never deleted
        Arguments.of(
            new RetentionPolicy(1, null),
            List.of(b("a", 1, "v"), b("b", 2, "vp"), b("c", 3, "v")),
            List.of("c")),
        // keepLast 0 still keeps the newest verified
        Arguments.of(
            new RetentionPolicy(0, Duration.ofHours(1)),
            List.of(b("a", 10, "v"), b("b", 20, "v")),
            List.of("b")),
        // max age keeps young ones beyond N
        Arguments.of(
            new RetentionPolicy(1, Duration.ofHours(6)),
            List.of(b("a", 1, "v"), b("b", 2, "v"), b("c", 5, "v"), b("d", 7, "v")),
            List.of("d")),
        // unverified newer than the newest verified is kept; older unverified goes
        Arguments.of(
            new RetentionPolicy(10, null),
            List.of(b("new-unverified", 1, ""), b("a", 2, "v"), b("old-unverified", 3, "")),
            List.of("old-unverified")),
        // newest verified kept even when only unverified are newer and N = 0
        Arguments.of(
            new RetentionPolicy(0, Duration.ofMinutes(1)),
            List.of(b("u", 1, ""), b("a", 2, "v"), b("b", 3, "v")),
            List.of("b")),
        // nothing to do
        Arguments.of(RetentionPolicy.defaults(), List.of(), List.of()));
  }

  @ParameterizedTest
  @MethodSource("table")
  void plansExactlyTheExpectedDeletions(
      RetentionPolicy policy, List<BackupManifest> backups, List<String> expectedDeleted) {
    List<BackupManifest> shuffled = new ArrayList<>(backups);
    java.util.Collections.reverse(shuffled);
    RetentionPolicy.Plan plan = policy.plan(shuffled, NOW);
    assertThat(plan.toDelete().stream().map(BackupManifest::name).toList())
        .containsExactlyElementsOf(expectedDeleted);
    assertThat(plan.decisions()).hasSize(backups.size());
    assertThat(plan.toDelete()).noneMatch(BackupManifest::pinned);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new RetentionPolicy(-1, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetentionPolicy(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
