package io.dbguard.operator.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether a retention plan made from the informer cache of DatabaseBackup records may be carried
 * out, as pure functions; every row is in {@code RetentionGuardTest}. The cache may lag the API
 * server by the watch delay, so:
 *
 * <ul>
 *   <li>no plan is made while the attempt's own record ({@code status.backup.databaseBackup}) is
 *       missing from the cache but exists on the API server ({@link #waitForOwnRecord}): the plan
 *       would count the kept backups without the newest one;
 *   <li>no plan that deletes is carried out unless every record it deletes is, on the API server at
 *       that moment, the very version the plan was made from and not pinned ({@link #unsafe}): a
 *       record pinned, re-verified or re-used after the cache was filled is never deleted on the
 *       cache's word.
 * </ul>
 *
 * In both cases retention waits (the migration is reconciled again a few seconds later) and plans
 * afresh; it never falls back to planning over what the cache shows.
 */
public final class RetentionGuard {
  private RetentionGuard() {}

  /**
   * A record as read from the API server by name.
   *
   * @param resourceVersion its {@code metadata.resourceVersion}
   * @param pinned its {@code spec.pinned}
   */
  public record Live(String resourceVersion, boolean pinned) {}

  /**
   * Whether retention must wait for the cache to show the attempt's own record.
   *
   * @param own {@code status.backup.databaseBackup} of the succeeded attempt, null when it has none
   * @param cachedNames names of the namespace's records in the cache
   * @param existsLive reads whether the API server has the record in the form the cache lacks, e.g.
   *     with its status written (called only when {@code own} is not among {@code cachedNames}: one
   *     GET)
   * @return true when {@code own} is missing from the cache but the API server has it
   */
  public static boolean waitForOwnRecord(
      String own, Collection<String> cachedNames, Function<String, Boolean> existsLive) {
    if (own == null || cachedNames.contains(own)) {
      return false;
    }
    return Boolean.TRUE.equals(existsLive.apply(own));
  }

  /**
   * Why the deletions of a plan made from the cache may not be carried out: one sentence per record
   * that is gone, changed since the cache's copy, or pinned on the API server. Empty when every
   * record is exactly the cached version and not pinned.
   *
   * @param cachedVersions the resourceVersion of each record to delete, as the plan saw it, by name
   * @param live reads a record from the API server by name (one GET each); null when it is gone
   */
  public static List<String> unsafe(
      Map<String, String> cachedVersions, Function<String, Live> live) {
    List<String> out = new ArrayList<>();
    cachedVersions.forEach(
        (name, cached) -> {
          Live now = live.apply(name);
          if (now == null) {
            out.add("DatabaseBackup " + name + " is gone since the cache was read");
          } else if (now.pinned()) {
            out.add("DatabaseBackup " + name + " is pinned");
          } else if (!Objects.equals(cached, now.resourceVersion())) {
            out.add(
                "DatabaseBackup "
                    + name
                    + " changed since the cache was read (resourceVersion "
                    + cached
                    + " → "
                    + now.resourceVersion()
                    + ")");
          }
        });
    return out;
  }
}
