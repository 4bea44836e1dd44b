package io.dbguard.core.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which backups to keep (docs/design.md §3 "Retention"). A backup is deleted only when every
 * configured rule lets it go:
 *
 * <ul>
 *   <li>{@code keepLast}: the newest {@code keepLast} <em>verified</em> backups are kept (default
 *       10; 0 disables the rule only when {@code maxAge} is set);
 *   <li>{@code maxAge}: backups completed less than {@code maxAge} ago are kept (null: rule off);
 *   <li>the newest verified backup is always kept, whatever the rules say;
 *   <li>pinned backups are always kept;
 *   <li>unverified backups (failed or interrupted) are kept while they are newer than the newest
 *       verified one (they may still be in progress) and are otherwise deleted.
 * </ul>
 *
 * <p>"Newest" is by the manifest's recorded {@link BackupManifest#completedAt()} (UTC), never by
 * file name or file modification time. A manifest without {@code completedAt} sorts as oldest.
 *
 * @param keepLast number of newest verified backups to keep, ≥ 0
 * @param maxAge keep backups younger than this; null for no age rule
 */
public record RetentionPolicy(int keepLast, Duration maxAge) {
  /** Default number of verified backups kept. */
  public static final int DEFAULT_KEEP_LAST = 10;

  public RetentionPolicy {
    if (keepLast < 0) {
      throw new IllegalArgumentException("keepLast must be >= 0, was " + keepLast);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
  }

  /** keep the last 10 verified backups, no age rule. */
  public static RetentionPolicy defaults() {
    return new RetentionPolicy(DEFAULT_KEEP_LAST, null);
  }

  /** One decision of a plan. */
  public record Decision(BackupManifest backup, boolean keep, String why) {}

  /**
   * The plan: every backup exactly once, newest first.
   *
   * @param decisions keep/delete decisions with the rule that decided
   */
  public record Plan(List<Decision> decisions) {
    /** The backups to delete, newest first. */
    public List<BackupManifest> toDelete() {
      return decisions.stream().filter(d -> !d.keep()).map(Decision::backup).toList();
    }

    /** The backups to keep, newest first. */
    public List<BackupManifest> toKeep() {
      return decisions.stream().filter(Decision::keep).map(Decision::backup).toList();
    }
  }

  /** Orders newest first by {@code completedAt}, then by name for a stable order. */
  public static final Comparator<BackupManifest> NEWEST_FIRST =
      Comparator.comparing(
              (BackupManifest m) -> m.completedAt() == null ? Instant.MIN : m.completedAt())
          .reversed()
          .thenComparing(BackupManifest::name, Comparator.reverseOrder());

  /**
   * Decides, without touching anything, which backups to keep and which to delete.
   *
   * @param backups the manifests of one database's backups, any order
   * @param now the current UTC instant (for {@code maxAge})
   */
  public Plan plan(List<BackupManifest> backups, Instant now) {
    List<BackupManifest> sorted = new ArrayList<>(backups);
    sorted.sort(NEWEST_FIRST);
    Instant newestVerified =
        sorted.stream()
            .filter(BackupManifest::verified)
            .findFirst()
            .map(BackupManifest::completedAt)
            .orElse(null);
    List<Decision> out = new ArrayList<>();
    int verifiedSeen = 0;
    boolean newestVerifiedKept = false;
    for (BackupManifest m : sorted) {
      Instant done = m.completedAt() == null ? Instant.MIN : m.completedAt();
      boolean young = maxAge != null && m.completedAt() != null && done.isAfter(now.minus(maxAge));
      if (m.pinned()) {
        out.add(new Decision(m, true, "pinned"));
      } else if (!m.verified()) {
        if (newestVerified == null || done.isAfter(newestVerified)) {
          out.add(new Decision(m, true, "unverified, newer than every verified backup"));
        } else if (young) {
          out.add(new Decision(m, true, "unverified, younger than " + maxAge));
        } else {
          out.add(new Decision(m, false, "unverified and superseded by a verified backup"));
        }
        continue;
      } else if (!newestVerifiedKept) {
        out.add(new Decision(m, true, "newest verified backup (always kept)"));
      } else if (verifiedSeen < keepLast) {
        out.add(new Decision(m, true, "one of the last " + keepLast + " verified"));
      } else if (young) {
        out.add(new Decision(m, true, "younger than " + maxAge));
      } else {
        out.add(
            new Decision(
                m,
                false,
                "beyond the last "
                    + keepLast
                    + " verified"
                    + (maxAge == null ? "" : " and older than " + maxAge)));
      }
      if (m.verified()) {
        verifiedSeen++;
        newestVerifiedKept = true;
      }
    }
    return new Plan(out);
  }
}
