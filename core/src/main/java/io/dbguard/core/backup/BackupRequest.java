package io.dbguard.core.backup;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What to back up and where.
 *
 * @param directory existing, writable directory that receives {@code <name><ext>} and {@code
 *     <name>.manifest.json}
 * @param databaseName logical database name used in the file name (e.g. {@code shop})
 * @param environment environment used in the file name (e.g. {@code production})
 * @param startedAt the UTC instant that names the backup ({@code YYYYMMDD_HHMMSS})
 * @param attempt the migration attempt this backup protects (image, revision), may be {@code null}
 *     for an ad-hoc backup
 * @param lockWaitTimeoutSeconds how long the backup may wait for table locks before failing
 *     (PostgreSQL {@code --lock-wait-timeout}); 0 means the engine default (30 s)
 * @param contentChecksums whether the profile in the manifest carries per-column content checksums
 *     ({@code --content-checksum}); a data-loss check against this backup then compares values, not
 *     only counts
 */
public record BackupRequest(
    Path directory,
    String databaseName,
    String environment,
    Instant startedAt,
    BackupManifest.Attempt attempt,
    int lockWaitTimeoutSeconds,
    boolean contentChecksums) {

  /** A request without content checksums. */
  public BackupRequest(
      Path directory,
      String databaseName,
      String environment,
      Instant startedAt,
      BackupManifest.Attempt attempt,
      int lockWaitTimeoutSeconds) {
    this(directory, databaseName, environment, startedAt, attempt, lockWaitTimeoutSeconds, false);
  }
}
