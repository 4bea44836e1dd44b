package io.dbguard.core.engine.postgres;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Restores and profiles from a copy of the data directory ({@code --from-copy}, {@code
 * backup.method: VolumeSnapshot}): a {@link PgDataDirectoryCopy} server is started on the copy, the
 * database of the live name is read from it, and the server is stopped again.
 */
final class PostgresCopyRestore {
  /** How long the private server may take to start and finish crash recovery. */
  static final Duration START_TIMEOUT = Duration.ofMinutes(10);

  private final PgContext ctx;
  private final PostgresRestore restores;

  PostgresCopyRestore(PgContext ctx, PostgresRestore restores) {
    this.ctx = ctx;
    this.restores = restores;
  }

  /** The profile of the live database's name on the copy. */
  DataProfile profile(Path dataDir, boolean contentChecksums) {
    try (PgDataDirectoryCopy copy =
        PgDataDirectoryCopy.start(dataDir, ctx.target(), ctx.tools(), START_TIMEOUT)) {
      return new PostgresEngine(copy.target(), ctx.options()).profile(contentChecksums);
    }
  }

  /**
   * Refuses an unusable copy before writing to it ({@link PgDataDirectoryCopy#precheck}), then
   * dumps the database from the copy into a 0700 directory {@code dbguard-restore-*} inside the
   * copy's data directory (on the copy claim: as large as the database's own claim, deleted after
   * the attempt; the server ignores it), verified as every backup is, stops the server, then runs
   * the configured restore of that dump into the live database and verifies it against the copy's
   * profile. The dump is deleted afterwards.
   */
  RestoreResult restore(Path dataDir, ProgressListener progress) {
    // refused copies are left exactly as they are: no dump directory is created in them
    PgDataDirectoryCopy.precheck(dataDir.toAbsolutePath().normalize());
    Path scratch;
    try {
      scratch =
          Files.createTempDirectory(
              dataDir.toAbsolutePath().normalize(),
              "dbguard-restore-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new DbguardException(
          "SnapshotUnusable",
          "cannot create the dump directory in the copy " + dataDir + ": " + e.getMessage(),
          e);
    }
    try {
      BackupManifest m;
      try (PgDataDirectoryCopy copy =
          PgDataDirectoryCopy.start(dataDir, ctx.target(), ctx.tools(), START_TIMEOUT)) {
        m =
            new PostgresEngine(copy.target(), ctx.options())
                .backup(
                    new BackupRequest(
                        scratch, ctx.target().database(), "snapshot-copy", Instant.now(), null, 0),
                    progress);
      }
      return restores.restore(scratch.resolve(m.file()), m, progress);
    } finally {
      try (Stream<Path> s = Files.walk(scratch)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // the copy claim is deleted with the attempt
      }
    }
  }
}
