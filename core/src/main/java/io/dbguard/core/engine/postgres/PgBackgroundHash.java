package io.dbguard.core.engine.postgres;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The SHA-256 and size check of a backup file, run on its own thread while the swap restore's
 * {@code pg_restore --jobs} reads the same file into the aside database. The restore uses {@link
 * #require()} as a gate before anything is swapped in: an aside database restored from an archive
 * whose bytes do not match the manifest is dropped, never renamed. When the hash finishes first and
 * does not match, {@code onMismatch} runs at once (the restore stops pg_restore) rather than
 * waiting for the restore to finish.
 */
final class PgBackgroundHash {
  private final CompletableFuture<DbguardException> result = new CompletableFuture<>();

  private PgBackgroundHash() {}

  /**
   * Starts hashing {@code file} on a daemon thread {@code dbguard-archive-hash}; progress phase
   * {@code hash} (bytes of the file).
   *
   * @param onMismatch run on the hashing thread when the file does not match or cannot be read
   */
  static PgBackgroundHash start(
      Path file, BackupManifest manifest, ProgressListener pl, Runnable onMismatch) {
    PgBackgroundHash h = new PgBackgroundHash();
    Thread t =
        new Thread(
            () -> {
              DbguardException problem;
              try {
                ArchiveStreams.Pass pass = ArchiveStreams.readFile(file, null, pl, "hash");
                problem = mismatch(file, manifest, pass.bytes(), pass.sha256());
              } catch (DbguardException e) {
                problem = e;
              } catch (RuntimeException e) {
                problem =
                    new DbguardException(
                        "BackupCorrupt", "cannot read backup file " + file + ": " + e, e);
              }
              if (problem != null) {
                try {
                  onMismatch.run();
                } catch (RuntimeException ignored) {
                  // stopping the restore early is an optimisation; require() still refuses
                }
              }
              h.result.complete(problem);
            },
            "dbguard-archive-hash");
    t.setDaemon(true);
    t.start();
    return h;
  }

  /**
   * The refusal for a file whose size or SHA-256 differ from the manifest, or {@code null} when
   * they match.
   */
  static DbguardException mismatch(Path file, BackupManifest manifest, long bytes, String sha256) {
    if (bytes == manifest.sizeBytes() && sha256.equalsIgnoreCase(manifest.sha256())) {
      return null;
    }
    return new DbguardException(
        "BackupCorrupt",
        "refusing to restore "
            + file
            + ": it has "
            + bytes
            + " bytes and SHA-256 "
            + sha256
            + ", the manifest records "
            + manifest.sizeBytes()
            + " bytes and "
            + manifest.sha256());
  }

  /** Whether the hash has finished and found a mismatch (does not wait). */
  boolean failedAlready() {
    return result.isDone() && result.getNow(null) != null;
  }

  /**
   * Waits for the hash and returns normally only when the file matches the manifest.
   *
   * @throws DbguardException {@code BackupCorrupt} when size or SHA-256 differ or the file could
   *     not be read; {@code Interrupted}
   */
  void require() {
    DbguardException problem;
    try {
      problem = result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DbguardException("Interrupted", "interrupted while hashing the backup file");
    } catch (ExecutionException e) {
      throw new DbguardException("BackupCorrupt", "cannot hash the backup file: " + e, e);
    }
    if (problem != null) {
      throw new DbguardException(problem.reason(), problem.getMessage(), problem);
    }
  }
}
