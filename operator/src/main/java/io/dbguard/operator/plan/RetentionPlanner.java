package io.dbguard.operator.plan;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which backups of one database to prune after a succeeded attempt, for the migration's
 * backup method. Pure: the same input gives the same plan; nothing is read or written.
 *
 * <p>Only records of the same database are planned; every other record is left out of the plan
 * entirely (another database's backups are never pruned, whatever its name). For {@code Dump}: same
 * {@code spec.database}, backup claim and sub-path, method {@code Dump}. For {@code
 * VolumeSnapshot}: same {@code spec.database}, method {@code VolumeSnapshot}, and a VolumeSnapshot
 * of the database's claim ({@link Input#claimName()}; a snapshot whose source is unknown because it
 * is gone counts as the database's). Among them, newest first by {@link BackupRecord#takenAt()}:
 *
 * <ul>
 *   <li>{@code Ready} records: pinned ones are kept; a backup a migration still needs ({@link
 *       Input#inUse()}: one in progress, restoring, or failed without a restore) is kept; the
 *       newest verified one is always kept; the newest {@code keepLast} verified ones are kept, and
 *       so are those younger than {@code maxAgeDays} when set; older verified ones are pruned;
 *       unverified ones are kept while newer than the newest verified one and pruned otherwise.
 *       Kept {@code Ready} records with a file are checked by the prune Job, which runs only when
 *       something is pruned.
 *   <li>{@code Missing} and {@code Failed} records are kept and reported, never pruned (their file
 *       is not there or not usable; a person decides). {@code Missing} ones are re-checked: a
 *       dump's file by the prune Job with the kept backups ({@link Plan#check()}), a snapshot by
 *       observation — one whose VolumeSnapshot is found again, ready to use and without an error,
 *       becomes {@code Ready} ({@link Action#FOUND}) and is ranked from the next run on.
 *   <li>VolumeSnapshot records are checked by observation before they are ranked: a {@code Ready}
 *       record whose VolumeSnapshot is not found becomes {@code Missing} ({@link Action#MISSING}),
 *       one whose VolumeSnapshot reports an error becomes {@code Failed} ({@link Action#FAILED});
 *       neither counts as a verified backup, so the newest verified backup kept is one that exists.
 *       One not ready to use yet is kept and not counted.
 *   <li>{@code Pruned} records are tombstones: the newest {@value #TOMBSTONES} are kept, older ones
 *       are forgotten (the record is deleted).
 * </ul>
 *
 * At most {@value #MAX_PER_RUN} backups are pruned (and checked) per run, oldest first; the rest
 * follow after the next attempt.
 */
public final class RetentionPlanner {
  /** Pruned records kept per database as tombstones. */
  public static final int TOMBSTONES = 10;

  /** Largest number of backups pruned, and of backups checked, by one prune Job. */
  public static final int MAX_PER_RUN = 50;

  private RetentionPlanner() {}

  /**
   * What retention plans over.
   *
   * @param database the logical database name of the migration
   * @param claimName the migration's backup claim
   * @param subPath the migration's backup sub-path, or null
   * @param keepLast {@code spec.backup.retention.keepLast}, ≥ 1
   * @param maxAge {@code spec.backup.retention.maxAgeDays} as a duration: backups taken less than
   *     this before {@code now} are also kept; null for no age rule
   * @param now the observation time (UTC), for {@code maxAge}
   * @param inUse names of records a migration still needs (never pruned)
   * @param records the namespace's DatabaseBackup records (any database)
   * @param method the migration's backup method: which records are planned; for {@code
   *     VolumeSnapshot}, {@code claimName} is the database's claim (the snapshots' source) and
   *     {@code subPath} is ignored
   */
  public record Input(
      String database,
      String claimName,
      String subPath,
      int keepLast,
      java.time.Duration maxAge,
      java.time.Instant now,
      Set<String> inUse,
      List<BackupRecord> records,
      BackupMethod method) {

    /** An input for dumps. */
    public Input(
        String database,
        String claimName,
        String subPath,
        int keepLast,
        java.time.Duration maxAge,
        java.time.Instant now,
        Set<String> inUse,
        List<BackupRecord> records) {
      this(database, claimName, subPath, keepLast, maxAge, now, inUse, records, BackupMethod.Dump);
    }

    /** An input for dumps without an age rule. */
    public Input(
        String database,
        String claimName,
        String subPath,
        int keepLast,
        Set<String> inUse,
        List<BackupRecord> records) {
      this(database, claimName, subPath, keepLast, null, null, inUse, records);
    }

    public Input {
      if (maxAge != null && now == null) {
        throw new IllegalArgumentException("maxAge needs now");
      }
      if (keepLast < 1) {
        throw new IllegalArgumentException("keepLast must be >= 1, was " + keepLast);
      }
      inUse = Set.copyOf(inUse);
      records = List.copyOf(records);
      method = method == null ? BackupMethod.Dump : method;
    }
  }

  /** What happens to one record. */
  public enum Action {
    /** Kept (and its file checked when it is Ready). */
    KEEP,
    /** Its file and manifest are deleted; the record becomes {@code Pruned}. */
    PRUNE,
    /** An old {@code Pruned} tombstone: the record itself is deleted. */
    FORGET,
    /** A VolumeSnapshot record whose snapshot is not found: the record becomes {@code Missing}. */
    MISSING,
    /**
     * A VolumeSnapshot record whose snapshot reports an error: the record becomes {@code Failed}.
     */
    FAILED,
    /**
     * A {@code Missing} VolumeSnapshot record whose snapshot is found again, ready to use: the
     * record becomes {@code Ready}.
     */
    FOUND
  }

  /** One decision, with the rule that made it. */
  public record Decision(BackupRecord record, Action action, String why) {}

  /**
   * The plan: the records of the database, newest first, each once.
   *
   * @param decisions the decisions
   */
  public record Plan(List<Decision> decisions) {
    /** Records to prune, newest first. */
    public List<BackupRecord> prune() {
      return of(Action.PRUNE);
    }

    /**
     * Kept {@code Ready} and {@code Missing} dump records with a file, for the prune Job to check
     * (a Missing one whose file is back and matches its manifest becomes Ready again).
     */
    public List<BackupRecord> check() {
      return decisions.stream()
          .filter(d -> d.action() == Action.KEEP)
          .map(Decision::record)
          .filter(r -> r.method() == BackupMethod.Dump)
          .filter(r -> r.state() == BackupState.Ready || r.state() == BackupState.Missing)
          .filter(r -> r.file() != null)
          .limit(MAX_PER_RUN)
          .toList();
    }

    /** Tombstones to delete. */
    public List<BackupRecord> forget() {
      return of(Action.FORGET);
    }

    /**
     * Records whose state the observation changes ({@link Action#MISSING}, {@link Action#FAILED},
     * {@link Action#FOUND}).
     */
    public List<Decision> marks() {
      return decisions.stream()
          .filter(
              d ->
                  d.action() == Action.MISSING
                      || d.action() == Action.FAILED
                      || d.action() == Action.FOUND)
          .toList();
    }

    /**
     * Whether a prune Job runs: when there is something to prune (it then also checks the kept
     * backups). A check alone does not start a Job after every attempt.
     */
    public boolean needsJob() {
      return !prune().isEmpty();
    }

    private List<BackupRecord> of(Action a) {
      return decisions.stream().filter(d -> d.action() == a).map(Decision::record).toList();
    }
  }

  private static final Comparator<BackupRecord> NEWEST_FIRST =
      Comparator.comparing(BackupRecord::takenAt)
          .reversed()
          .thenComparing(BackupRecord::name, Comparator.reverseOrder());

  /** Plans retention for {@code in}. */
  public static Plan plan(Input in) {
    List<BackupRecord> mine =
        in.records().stream()
            .filter(r -> in.database().equals(r.database()))
            .filter(r -> r.method() == in.method())
            .filter(r -> sameLocation(in, r))
            .sorted(NEWEST_FIRST)
            .toList();
    BackupRecord newestVerified =
        mine.stream()
            .filter(r -> r.state() == BackupState.Ready && r.verified() && usable(r))
            .findFirst()
            .orElse(null);
    List<Decision> out = new ArrayList<>();
    int verifiedSeen = 0;
    int tombstones = 0;
    int pruned = 0;
    for (BackupRecord r : mine) {
      switch (r.state()) {
        case Pruned -> {
          tombstones++;
          out.add(
              tombstones <= TOMBSTONES
                  ? new Decision(r, Action.KEEP, "pruned; one of the newest " + TOMBSTONES)
                  : new Decision(r, Action.FORGET, "pruned; older than " + TOMBSTONES + " others"));
          continue;
        }
        case Missing, Failed -> {
          VolumeSnapshotFacts snap = r.snapshot();
          if (r.state() == BackupState.Missing && snap != null && usable(r)) {
            out.add(
                new Decision(
                    r, Action.FOUND, "VolumeSnapshot " + r.volumeSnapshot() + " found again"));
          } else {
            out.add(new Decision(r, Action.KEEP, r.state() + ": reported, not pruned"));
          }
          continue;
        }
        default -> {}
      }
      VolumeSnapshotFacts snap = r.snapshot();
      if (snap != null && !snap.exists()) {
        out.add(
            new Decision(r, Action.MISSING, "VolumeSnapshot " + r.volumeSnapshot() + " not found"));
        continue;
      }
      if (snap != null && snap.error() != null) {
        out.add(
            new Decision(
                r,
                Action.FAILED,
                "VolumeSnapshot " + r.volumeSnapshot() + " reports an error: " + snap.error()));
        continue;
      }
      if (snap != null && !snap.readyToUse()) {
        out.add(
            new Decision(
                r, Action.KEEP, "VolumeSnapshot " + r.volumeSnapshot() + " not ready to use"));
        continue;
      }
      boolean beyond;
      String why;
      if (r.verified()) {
        verifiedSeen++;
        beyond = verifiedSeen > in.keepLast();
        why =
            r == newestVerified
                ? "newest verified backup (always kept)"
                : beyond
                    ? "beyond the last " + in.keepLast() + " verified"
                    : "one of the last " + in.keepLast() + " verified";
        beyond = beyond && r != newestVerified;
      } else {
        beyond = newestVerified != null && !r.takenAt().isAfter(newestVerified.takenAt());
        why =
            beyond
                ? "unverified and superseded by a verified backup"
                : "unverified, newer than every verified backup";
      }
      boolean young = in.maxAge() != null && r.takenAt().isAfter(in.now().minus(in.maxAge()));
      if (r.pinned()) {
        out.add(new Decision(r, Action.KEEP, "pinned"));
      } else if (beyond && young) {
        out.add(new Decision(r, Action.KEEP, "younger than " + in.maxAge().toDays() + " day(s)"));
      } else if (in.inUse().contains(r.name())) {
        out.add(new Decision(r, Action.KEEP, "a migration still needs it"));
      } else if (!beyond || target(r) == null) {
        out.add(
            new Decision(
                r,
                Action.KEEP,
                target(r) != null
                    ? why
                    : r.method() == BackupMethod.Dump
                        ? "no file recorded"
                        : "no VolumeSnapshot recorded"));
      } else {
        out.add(new Decision(r, Action.PRUNE, why));
        pruned++;
      }
    }
    // at most MAX_PER_RUN prunes, the oldest first; the others wait for the next run
    if (pruned > MAX_PER_RUN) {
      int excess = pruned - MAX_PER_RUN;
      List<Decision> limited = new ArrayList<>(out);
      for (int i = 0; i < limited.size() && excess > 0; i++) {
        Decision d = limited.get(i);
        if (d.action() == Action.PRUNE) {
          limited.set(i, new Decision(d.record(), Action.KEEP, d.why() + "; next run"));
          excess--;
        }
      }
      out = limited;
    }
    return new Plan(List.copyOf(out));
  }

  private static boolean sameLocation(Input in, BackupRecord r) {
    if (in.method() == BackupMethod.Dump) {
      return Objects.equals(in.claimName(), r.claimName())
          && Objects.equals(blankToNull(in.subPath()), blankToNull(r.subPath()));
    }
    String source = r.snapshot() == null ? null : r.snapshot().sourceClaim();
    return source == null || source.equals(in.claimName());
  }

  /** A dump has no observation here (the prune Job checks it); a snapshot must be ready to use. */
  private static boolean usable(BackupRecord r) {
    return r.snapshot() == null
        || (r.snapshot().exists() && r.snapshot().readyToUse() && r.snapshot().error() == null);
  }

  /** What pruning deletes: the dump file, or the VolumeSnapshot. */
  private static String target(BackupRecord r) {
    return r.method() == BackupMethod.Dump ? r.file() : r.volumeSnapshot();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
