package io.dbguard.operator.plan;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which dump backups of one database to prune after a succeeded attempt. Pure: the same
 * input gives the same plan; nothing is read or written.
 *
 * <p>Only records of the same database — same {@code spec.database}, backup claim and sub-path,
 * method {@code Dump} — are planned; every other record is left out of the plan entirely (another
 * database's backups are never pruned, whatever its name). Among them, newest first by {@link
 * BackupRecord#takenAt()}:
 *
 * <ul>
 *   <li>{@code Ready} records: pinned ones are kept; a backup a migration still needs ({@link
 *       Input#inUse()}: one in progress, restoring, or failed without a restore) is kept; the
 *       newest verified one is always kept; the newest {@code keepLast} verified ones are kept, and
 *       so are those younger than {@code maxAgeDays} when set; older verified ones are pruned;
 *       unverified ones are kept while newer than the newest verified one and pruned otherwise.
 *       Kept {@code Ready} records with a file are checked by the prune Job, which runs only when
 *       something is pruned.
 *   <li>{@code Missing} and {@code Failed} records are kept and reported, neither pruned nor
 *       checked (their file is not there or not usable; a person decides).
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
   */
  public record Input(
      String database,
      String claimName,
      String subPath,
      int keepLast,
      java.time.Duration maxAge,
      java.time.Instant now,
      Set<String> inUse,
      List<BackupRecord> records) {

    /** An input without an age rule. */
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
    }
  }

  /** What happens to one record. */
  public enum Action {
    /** Kept (and its file checked when it is Ready). */
    KEEP,
    /** Its file and manifest are deleted; the record becomes {@code Pruned}. */
    PRUNE,
    /** An old {@code Pruned} tombstone: the record itself is deleted. */
    FORGET
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

    /** Kept Ready records with a file, to check. */
    public List<BackupRecord> check() {
      return decisions.stream()
          .filter(d -> d.action() == Action.KEEP)
          .map(Decision::record)
          .filter(r -> r.state() == BackupState.Ready && r.file() != null)
          .limit(MAX_PER_RUN)
          .toList();
    }

    /** Tombstones to delete. */
    public List<BackupRecord> forget() {
      return of(Action.FORGET);
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
            .filter(r -> Objects.equals(in.claimName(), r.claimName()))
            .filter(r -> Objects.equals(blankToNull(in.subPath()), blankToNull(r.subPath())))
            .filter(r -> r.method() == BackupMethod.Dump)
            .sorted(NEWEST_FIRST)
            .toList();
    BackupRecord newestVerified =
        mine.stream()
            .filter(r -> r.state() == BackupState.Ready && r.verified())
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
          out.add(new Decision(r, Action.KEEP, r.state() + ": reported, not pruned"));
          continue;
        }
        default -> {}
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
      } else if (!beyond || r.file() == null) {
        out.add(new Decision(r, Action.KEEP, r.file() == null ? "no file recorded" : why));
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

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
