package io.dbguard.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.plan.RetentionPlanner.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests of {@link RetentionPlanner}: one row per rule. */
class RetentionPlannerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A Ready, verified dump of shop on claim "backups", taken {@code hour} hours after T0. */
  static BackupRecord b(String name, int hour) {
    return new BackupRecord(
        name,
        "shop",
        "backups",
        null,
        name + ".dump",
        BackupMethod.Dump,
        BackupState.Ready,
        true,
        false,
        T0.plusSeconds(3600L * hour));
  }

  static BackupRecord with(BackupRecord r, BackupState state) {
    return new BackupRecord(
        r.name(),
        r.database(),
        r.claimName(),
        r.subPath(),
        r.file(),
        r.method(),
        state,
        r.verified(),
        r.pinned(),
        r.takenAt());
  }

  static BackupRecord pinned(BackupRecord r) {
    return new BackupRecord(
        r.name(),
        r.database(),
        r.claimName(),
        r.subPath(),
        r.file(),
        r.method(),
        r.state(),
        r.verified(),
        true,
        r.takenAt());
  }

  static BackupRecord unverified(BackupRecord r) {
    return new BackupRecord(
        r.name(),
        r.database(),
        r.claimName(),
        r.subPath(),
        r.file(),
        r.method(),
        r.state(),
        false,
        r.pinned(),
        r.takenAt());
  }

  static BackupRecord ofDatabase(BackupRecord r, String db, String claim) {
    return new BackupRecord(
        r.name(),
        db,
        claim,
        r.subPath(),
        r.file(),
        r.method(),
        r.state(),
        r.verified(),
        r.pinned(),
        r.takenAt());
  }

  static BackupRecord snapshot(BackupRecord r) {
    return new BackupRecord(
        r.name(),
        r.database(),
        r.claimName(),
        r.subPath(),
        r.file(),
        BackupMethod.VolumeSnapshot,
        r.state(),
        r.verified(),
        r.pinned(),
        r.takenAt());
  }

  static Arguments row(
      String rule,
      int keepLast,
      Set<String> inUse,
      List<BackupRecord> records,
      List<String> prune,
      List<String> forget,
      List<String> notPlanned) {
    return Arguments.of(rule, keepLast, inUse, records, prune, forget, notPlanned);
  }

  static Stream<Arguments> table() {
    List<BackupRecord> twelveTombstones = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      twelveTombstones.add(with(b("p" + i, i), BackupState.Pruned));
    }
    twelveTombstones.add(b("live", 20));
    return Stream.of(
        row(
            "keepLast 2 of 4: the two oldest go",
            2,
            Set.of(),
            List.of(b("a", 1), b("b", 2), b("c", 3), b("d", 4)),
            List.of("b", "a"),
            List.of(),
            List.of()),
        row(
            "no more than keepLast: nothing goes",
            10,
            Set.of(),
            List.of(b("a", 1), b("b", 2)),
            List.of(),
            List.of(),
            List.of()),
        row(
            "order is by takenAt, not by name",
            1,
            Set.of(),
            List.of(b("z-old", 1), b("a-new", 2)),
            List.of("z-old"),
            List.of(),
            List.of()),
        row(
            "a migration in progress keeps its backup",
            1,
            Set.of("a"),
            List.of(b("a", 1), b("b", 2), b("c", 3)),
            List.of("b"),
            List.of(),
            List.of()),
        row(
            "pinned is never pruned",
            1,
            Set.of(),
            List.of(pinned(b("a", 1)), b("b", 2), b("c", 3)),
            List.of("b"),
            List.of(),
            List.of()),
        row(
            "the newest verified is kept even when the newest is unverified",
            1,
            Set.of(),
            List.of(b("a", 1), b("b", 2), unverified(b("c", 3))),
            List.of("a"),
            List.of(),
            List.of()),
        row(
            "an unverified backup older than the newest verified goes",
            5,
            Set.of(),
            List.of(unverified(b("a", 1)), b("b", 2)),
            List.of("a"),
            List.of(),
            List.of()),
        row(
            "another database's backups are not planned at all",
            1,
            Set.of(),
            List.of(
                b("a", 1),
                b("b", 2),
                ofDatabase(b("blog1", 0), "blog", "backups"),
                ofDatabase(b("other-claim", 0), "shop", "elsewhere")),
            List.of("a"),
            List.of(),
            List.of("blog1", "other-claim")),
        row(
            "snapshots are not pruned by the dump retention",
            1,
            Set.of(),
            List.of(snapshot(b("s", 0)), b("a", 1), b("b", 2)),
            List.of("a"),
            List.of(),
            List.of("s")),
        row(
            "Pruned and Missing records are not pruned again and do not count",
            1,
            Set.of(),
            List.of(
                with(b("gone", 1), BackupState.Pruned),
                with(b("lost", 2), BackupState.Missing),
                with(b("bad", 3), BackupState.Failed),
                b("a", 4),
                b("b", 5)),
            List.of("a"),
            List.of(),
            List.of()),
        row(
            "the newest 10 tombstones stay, older ones are forgotten",
            10,
            Set.of(),
            twelveTombstones,
            List.of(),
            List.of("p2", "p1"),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void plans(
      String rule,
      int keepLast,
      Set<String> inUse,
      List<BackupRecord> records,
      List<String> prune,
      List<String> forget,
      List<String> notPlanned) {
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input("shop", "backups", null, keepLast, inUse, records));

    assertThat(plan.prune())
        .extracting(BackupRecord::name)
        .as(rule)
        .containsExactlyElementsOf(prune);
    assertThat(plan.forget())
        .extracting(BackupRecord::name)
        .as(rule)
        .containsExactlyElementsOf(forget);
    assertThat(plan.decisions())
        .extracting(d -> d.record().name())
        .as(rule + ": every record of the database exactly once, nothing else")
        .noneMatch(notPlanned::contains)
        .doesNotHaveDuplicates()
        .hasSize(records.size() - notPlanned.size());
    // what is pruned is never also checked; what is kept and Ready is checked
    assertThat(plan.check()).extracting(BackupRecord::name).noneMatch(prune::contains);
    assertThat(plan.check())
        .allMatch(r -> r.state() == BackupState.Ready || r.state() == BackupState.Missing)
        .extracting(BackupRecord::name)
        .noneMatch(notPlanned::contains);
  }

  @Test
  void keptReadyAndMissingRecordsAreCheckedAndEveryDecisionSaysWhy() {
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input(
                "shop",
                "backups",
                null,
                1,
                Set.of(),
                List.of(
                    b("a", 1),
                    b("b", 2),
                    with(b("lost", 0), BackupState.Missing),
                    with(b("bad", 0), BackupState.Failed))));

    // a Missing dump is re-checked (Ready again when its file is back); a Failed one is not
    assertThat(plan.check()).extracting(BackupRecord::name).containsExactly("b", "lost");
    assertThat(plan.decisions())
        .filteredOn(d -> d.record().name().equals("b"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.action()).isEqualTo(Action.KEEP);
              assertThat(d.why()).contains("newest verified");
            });
    assertThat(plan.decisions())
        .filteredOn(d -> d.record().name().equals("a"))
        .singleElement()
        .satisfies(d -> assertThat(d.why()).contains("beyond the last 1"));
  }

  @Test
  void prunesAtMostMaxPerRunOldestFirst() {
    List<BackupRecord> many = new ArrayList<>();
    for (int i = 0; i < RetentionPlanner.MAX_PER_RUN + 5; i++) {
      many.add(b(String.format("b%03d", i), i));
    }
    many.add(b("newest", 1000));
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input("shop", "backups", null, 1, Set.of(), many));

    assertThat(plan.prune()).hasSize(RetentionPlanner.MAX_PER_RUN);
    assertThat(plan.prune()).extracting(BackupRecord::name).contains("b000").doesNotContain("b054");
  }

  @Test
  void maxAgeKeepsYoungBackupsBeyondKeepLast() {
    // taken at hours 1, 2, 3, 50; now is hour 51; keep 1 and anything younger than 2 days
    List<BackupRecord> records = List.of(b("a", 1), b("b", 2), b("c", 3), b("d", 50));
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input(
                "shop",
                "backups",
                null,
                1,
                java.time.Duration.ofDays(2),
                T0.plusSeconds(3600L * 51),
                Set.of(),
                records));

    // now hour 51: the cut is hour 3; c (exactly at the cut), b and a are not younger
    assertThat(plan.prune()).extracting(BackupRecord::name).containsExactly("c", "b", "a");
    RetentionPlanner.Plan young =
        RetentionPlanner.plan(
            new RetentionPlanner.Input(
                "shop",
                "backups",
                null,
                1,
                java.time.Duration.ofDays(2),
                T0.plusSeconds(3600L * 49),
                Set.of(),
                records));
    // now hour 49: the cut is hour 1; c and b are younger, a is not
    assertThat(young.prune()).extracting(BackupRecord::name).containsExactly("a");
    assertThat(young.decisions())
        .filteredOn(d -> d.record().name().equals("b"))
        .singleElement()
        .satisfies(d -> assertThat(d.why()).contains("younger than 2 day"));
  }

  @Test
  void keepLastBelowOneIsRefused() {
    assertThatThrownBy(
            () -> new RetentionPlanner.Input("shop", "backups", null, 0, Set.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- VolumeSnapshot records -------------------------------------------------------------

  /** A Ready, verified snapshot of shop's claim "data", taken {@code hour} hours after T0. */
  static BackupRecord s(String name, int hour) {
    return snap(
        name,
        hour,
        new VolumeSnapshotFacts(true, "data", true, null, "content-" + name, "Delete", "1Gi"));
  }

  @Test
  void aMissingSnapshotFoundAgainIsReadyOneStillGoneStaysMissing() {
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input(
                "shop",
                "data",
                null,
                1,
                null,
                null,
                Set.of(),
                List.of(
                    missing(s("back", 1)),
                    missing(snap("gone", 2, VolumeSnapshotFacts.absent())),
                    s("newest", 3)),
                BackupMethod.VolumeSnapshot));

    assertThat(plan.marks())
        .extracting(d -> d.record().name() + " " + d.action())
        .containsExactly("back FOUND");
    assertThat(plan.prune()).isEmpty();
    assertThat(plan.decisions())
        .filteredOn(d -> d.record().name().equals("gone"))
        .singleElement()
        .satisfies(d -> assertThat(d.action()).isEqualTo(Action.KEEP));
  }

  static BackupRecord missing(BackupRecord r) {
    return new BackupRecord(
        r.name(),
        r.database(),
        r.claimName(),
        r.subPath(),
        r.file(),
        r.method(),
        BackupState.Missing,
        r.verified(),
        r.pinned(),
        r.takenAt(),
        r.volumeSnapshot(),
        r.snapshot());
  }

  static BackupRecord snap(String name, int hour, VolumeSnapshotFacts facts) {
    return new BackupRecord(
        name,
        "shop",
        null,
        null,
        name,
        BackupMethod.VolumeSnapshot,
        BackupState.Ready,
        true,
        false,
        T0.plusSeconds(3600L * hour),
        name,
        facts);
  }

  static Arguments snapRow(
      String rule,
      int keepLast,
      Set<String> inUse,
      List<BackupRecord> records,
      List<String> prune,
      List<String> missing,
      List<String> failed,
      List<String> notPlanned) {
    return Arguments.of(rule, keepLast, inUse, records, prune, missing, failed, notPlanned);
  }

  static Stream<Arguments> snapshotTable() {
    return Stream.of(
        snapRow(
            "keepLast 1 of 3: the two oldest snapshots go",
            1,
            Set.of(),
            List.of(s("a", 1), s("b", 2), s("c", 3)),
            List.of("b", "a"),
            List.of(),
            List.of(),
            List.of()),
        snapRow(
            "a snapshot that is gone is Missing and not the newest verified",
            1,
            Set.of(),
            List.of(s("a", 1), s("b", 2), snap("c", 3, VolumeSnapshotFacts.absent())),
            List.of("a"),
            List.of("c"),
            List.of(),
            List.of()),
        snapRow(
            "a snapshot with an error is Failed and does not count",
            1,
            Set.of(),
            List.of(
                s("a", 1),
                s("b", 2),
                snap(
                    "c",
                    3,
                    new VolumeSnapshotFacts(
                        true, "data", false, "driver lost it", "x", null, null))),
            List.of("a"),
            List.of(),
            List.of("c"),
            List.of()),
        snapRow(
            "a snapshot not ready to use yet is kept and does not count",
            1,
            Set.of(),
            List.of(
                s("a", 1),
                s("b", 2),
                snap("c", 3, new VolumeSnapshotFacts(true, "data", false, null, null, null, null))),
            List.of("a"),
            List.of(),
            List.of(),
            List.of()),
        snapRow(
            "pinned and in-use snapshots are kept; a Retain content is still pruned (reported)",
            1,
            Set.of("b"),
            List.of(
                pinned(s("a", 1)),
                s("b", 2),
                snap(
                    "r",
                    3,
                    new VolumeSnapshotFacts(
                        true, "data", true, null, "content-r", "Retain", "1Gi")),
                s("c", 4)),
            List.of("r"),
            List.of(),
            List.of(),
            List.of()),
        snapRow(
            "snapshots of another claim and dumps are not planned; a gone one of unknown source is",
            1,
            Set.of(),
            List.of(
                s("a", 1),
                s("b", 2),
                snap(
                    "other",
                    0,
                    new VolumeSnapshotFacts(true, "other-data", true, null, "c", "Delete", "1Gi")),
                snap("lost", 0, VolumeSnapshotFacts.absent()),
                b("dump", 0)),
            List.of("a"),
            List.of("lost"),
            List.of(),
            List.of("other", "dump")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snapshotTable")
  void plansSnapshots(
      String rule,
      int keepLast,
      Set<String> inUse,
      List<BackupRecord> records,
      List<String> prune,
      List<String> missing,
      List<String> failed,
      List<String> notPlanned) {
    RetentionPlanner.Plan plan =
        RetentionPlanner.plan(
            new RetentionPlanner.Input(
                "shop",
                "data",
                null,
                keepLast,
                null,
                null,
                inUse,
                records,
                BackupMethod.VolumeSnapshot));

    assertThat(plan.prune())
        .extracting(BackupRecord::name)
        .as(rule)
        .containsExactlyElementsOf(prune);
    assertThat(plan.marks())
        .filteredOn(d -> d.action() == Action.MISSING)
        .extracting(d -> d.record().name())
        .as(rule)
        .containsExactlyElementsOf(missing);
    assertThat(plan.marks())
        .filteredOn(d -> d.action() == Action.FAILED)
        .extracting(d -> d.record().name())
        .as(rule)
        .containsExactlyElementsOf(failed);
    assertThat(plan.decisions())
        .extracting(d -> d.record().name())
        .as(rule)
        .noneMatch(notPlanned::contains);
    // snapshots are never handed to the prune Job
    assertThat(plan.check()).isEmpty();
  }
}
