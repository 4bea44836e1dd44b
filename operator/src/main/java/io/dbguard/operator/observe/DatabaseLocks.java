package io.dbguard.operator.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run at a time per database ({@code namespace/database.name}). Status is the durable record (a
 * running phase in another DatabaseMigration blocks a start); this in-process table closes the
 * window between two reconciles deciding to start at the same moment, before either status write is
 * visible in the informer cache. Only the leader acts, so an in-process table is enough.
 */
public final class DatabaseLocks {
  /** A claim not confirmed by a running status within this time is considered stale. */
  static final Duration CLAIM_GRACE = Duration.ofSeconds(30);

  private record Claim(String holder, Instant at) {}

  private final Map<String, Claim> claims = new ConcurrentHashMap<>();

  /** Key for a database: {@code namespace/database}. */
  public static String key(String namespace, String database) {
    return namespace + "/" + database;
  }

  /**
   * Claims {@code key} for {@code holder} ({@code namespace/name}).
   *
   * @return true when the claim is now held by {@code holder}
   */
  public boolean tryAcquire(String key, String holder, Instant now) {
    Claim c =
        claims.compute(
            key,
            (k, old) ->
                old == null
                        || old.holder().equals(holder)
                        || old.at().plus(CLAIM_GRACE).isBefore(now)
                    ? new Claim(holder, now)
                    : old);
    return c.holder().equals(holder);
  }

  /** The recent claimant of {@code key} other than {@code holder}, if any. */
  public Optional<String> recentOther(String key, String holder, Instant now) {
    Claim c = claims.get(key);
    if (c == null || c.holder().equals(holder) || c.at().plus(CLAIM_GRACE).isBefore(now)) {
      return Optional.empty();
    }
    return Optional.of(c.holder());
  }

  /** Releases {@code key} if {@code holder} holds it. */
  public void release(String key, String holder) {
    claims.computeIfPresent(key, (k, c) -> c.holder().equals(holder) ? null : c);
  }
}
